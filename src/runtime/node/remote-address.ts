import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { forwardedFor } from '../../http/forwarded.js';

/**
 * The caller's address on Node, for rate limits: with `trustProxy`, the last `X-Forwarded-For`
 * entry (the address the proxy in front of the node saw); otherwise, or when that entry is not an
 * address, the socket's peer.
 */
export function nodeRemoteAddress(trustProxy: boolean): (c: Context) => string | undefined {
  return function remoteAddress(c) {
    if (trustProxy) {
      const forwarded = forwardedFor(c.req.header('x-forwarded-for'));
      if (forwarded !== undefined) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address;
    } catch {
      // Requests that did not come through the Node server (tests calling app.request).
      return undefined;
    }
  };
}

/**
 * The socket's peer address on Node, never a forwarded one: whether the request comes from a proxy
 * trusted to pass the client certificate (`clientCertificates.trustedProxies`).
 */
export function nodePeerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    // Requests that did not come through the Node server (tests calling app.request).
    return undefined;
  }
}
