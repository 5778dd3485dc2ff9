import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRemoteAddress } from '../../src/runtime/node/remote-address.js';

/**
 * The caller's address for rate limits on Node: the socket's peer, or — only with `trustProxy` —
 * the last X-Forwarded-For entry, the one the proxy in front of the node appended.
 */
const servers: ServerType[] = [];
const urls: Record<'trusting' | 'plain', string> = { trusting: '', plain: '' };

beforeAll(async () => {
  for (const kind of ['trusting', 'plain'] as const) {
    const remote = nodeRemoteAddress(kind === 'trusting');
    const app = new Hono().get('/', (c) => c.text(remote(c) ?? 'unknown'));
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        urls[kind] = `http://127.0.0.1:${info.port}/`;
        resolve();
      });
      servers.push(server);
    });
  }
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const seen = async (kind: 'trusting' | 'plain', forwarded?: string) =>
  (
    await fetch(urls[kind], forwarded === undefined ? {} : { headers: { 'x-forwarded-for': forwarded } })
  ).text();

describe('the remote address on Node', () => {
  it('is the socket peer without trustProxy, whatever X-Forwarded-For says', async () => {
    expect(await seen('plain')).toBe('127.0.0.1');
    expect(await seen('plain', '203.0.113.7')).toBe('127.0.0.1');
  });

  it('is the last X-Forwarded-For entry with trustProxy', async () => {
    expect(await seen('trusting', '203.0.113.7')).toBe('203.0.113.7');
    expect(await seen('trusting', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(await seen('trusting', '10.0.0.1,2001:db8::5')).toBe('2001:db8::5');
  });

  it('falls back to the socket peer when the header is absent or not an address', async () => {
    expect(await seen('trusting')).toBe('127.0.0.1');
    expect(await seen('trusting', '203.0.113.7, not-an-address')).toBe('127.0.0.1');
  });
});
