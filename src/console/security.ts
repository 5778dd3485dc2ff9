import type { Context, MiddlewareHandler } from 'hono';
import { forwardedProto } from '../http/forwarded.js';
import type { ConsoleEnv } from './env.js';

/** No script, no inline style, no framing; forms post only to this node. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Security headers on every console answer. Pages are never cached: they show who is signed in. */
export function consoleHeaders(): MiddlewareHandler<ConsoleEnv> {
  return async function securityHeaders(c, next) {
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('x-frame-options', 'DENY');
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}

/**
 * Whether a POST comes from a page of this node: its `Origin` (or, without one, its `Referer`)
 * names this host. Browsers send `Origin` on every cross-site POST, so a forged form fails here.
 */
export function sameOrigin(c: Context<ConsoleEnv>): boolean {
  const source = c.req.header('origin') ?? c.req.header('referer');
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  if (source === undefined || source === 'null') return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** Equal strings, compared without an early exit. */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether the request reached the node over HTTPS (then the console's cookies are `Secure`): its URL,
 * or behind a TLS-terminating proxy (`trustProxy`) the proxy's `X-Forwarded-Proto`.
 */
export function isHttps(c: Context<ConsoleEnv>, trustProxy: boolean): boolean {
  if (trustProxy) {
    const proto = forwardedProto(c.req.header('x-forwarded-proto'));
    if (proto !== undefined) return proto === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}
