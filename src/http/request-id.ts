import type { MiddlewareHandler } from 'hono';
import { ulid } from '../envelope/ulid.js';
import type { AppEnv, LogFn } from './env.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Takes a well-formed `X-Request-Id` from the caller or makes one, and echoes it. */
export function requestId(now: () => number, log?: LogFn): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header('x-request-id');
    const id = given !== undefined && SAFE_ID.test(given) ? given : ulid(now());
    c.set('requestId', id);
    if (log) c.set('log', (level, msg, fields) => log(level, msg, { requestId: id, ...fields }));
    c.header('x-request-id', id);
    await next();
  };
}
