import type { Context } from 'hono';
import { toProblem, YrdxError } from '../errors/errors.js';
import { LANGUAGE_TAGS, type Language } from '../vocabulary/language.js';
import type { AppEnv } from './env.js';

/** 简体中文 unless the client prefers English. */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  if (acceptLanguage === undefined) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q === undefined ? 1 : Number(q.trim().slice(2)) || 0 };
    })
    .filter((x) => x.tag.startsWith('zh') || x.tag.startsWith('en'))
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh';
}

/**
 * Renders any error as RFC 9457 problem+json. Unknown errors are logged and reveal nothing. A client
 * that hung up before its body was complete is a normal event: one line, without a stack.
 */
export function problemResponse(c: Context<AppEnv>, error: unknown): Response {
  if (!(error instanceof YrdxError)) c.var.log?.('error', 'unhandled error', { err: error });
  else if (error.code === 'request_aborted')
    c.var.log?.('info', 'request aborted by the client', { method: c.req.method, path: c.req.path });
  const problem = toProblem(error, preferredLanguage(c.req.header('accept-language')), c.req.path);
  return c.body(JSON.stringify(problem), problem.status as 400, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-language': LANGUAGE_TAGS[preferredLanguage(c.req.header('accept-language'))],
  });
}

export function notFound(c: Context<AppEnv>): Response {
  return problemResponse(c, new YrdxError('not_found'));
}
