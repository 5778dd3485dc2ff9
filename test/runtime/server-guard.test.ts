import type { Server } from 'node:http';
import { connect } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardServer, MAX_HEADER_BYTES } from '../../src/runtime/node/server-guard.js';

/**
 * The HTTP server's own refusals (before any route runs) are problem+json with a stable code, like
 * every other refusal of a node: a head over the header limit, a request that is not HTTP.
 */
let server: ServerType;
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: () => new Response('ok'), port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
    guardServer(server as Server);
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw bytes and returns everything the server wrote before it closed the connection. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      answer += d;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(answer) : reject(e)));
    socket.write(bytes);
  });
}

function problemOf(answer: string): { status: number; type: string; code: string } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(head.split(' ')[1]);
  const type = /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '';
  return { status, type, code: (JSON.parse(body) as { code: string }).code };
}

describe('the server before the app', () => {
  it('answers a head over the limit with 431 problem+json, not a bare status line', async () => {
    const answer = await raw(`GET /${'x'.repeat(MAX_HEADER_BYTES + 1024)} HTTP/1.1\r\nhost: a\r\n\r\n`);
    expect(problemOf(answer)).toEqual({
      status: 431,
      type: 'application/problem+json; charset=utf-8',
      code: 'request_headers_too_large',
    });
  });

  it('answers bytes that are not HTTP with 400 problem+json', async () => {
    for (const junk of ['\u0000\u0001\u0002 / HTTP/1.1\r\n\r\n', 'GET / HTTP/1.1\r\nbad header\r\n\r\n']) {
      const answer = await raw(junk);
      expect(problemOf(answer)).toMatchObject({ status: 400, code: 'request_malformed' });
    }
  });

  it('still serves ordinary requests', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');
  });
});
