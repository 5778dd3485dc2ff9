import type { MiddlewareHandler } from 'hono';
import { YrdxError } from '../errors/errors.js';
import { decodePercentStrict } from '../text/safe-text.js';
import type { AppEnv } from './env.js';

/**
 * Refuses, before any route, a URL whose path or query decodes to NUL, a lone surrogate or invalid
 * UTF-8 (`text_invalid`, 400): route parameters and query values reach the store and the logs, and
 * one store refusing what another keeps would turn such a request into a 500 on one of them.
 */
export function safeUrl(): MiddlewareHandler<AppEnv> {
  return async function safeUrlMiddleware(c, next) {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('://') + 3);
    const q = start < 0 ? -1 : url.indexOf('?', start);
    const path = start < 0 ? '' : url.slice(start, q < 0 ? undefined : q);
    if (decodePercentStrict(path) === undefined)
      throw new YrdxError('text_invalid', { params: { at: 'URL path' } });
    if (q >= 0 && decodePercentStrict(url.slice(q + 1).replaceAll('+', ' ')) === undefined)
      throw new YrdxError('text_invalid', { params: { at: 'URL query' } });
    await next();
  };
}
