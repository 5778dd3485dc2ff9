import { connect } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { LogFn } from '../../src/http/env.js';
import { adminCredentials } from '../admin/helpers.js';
import { eventually } from '../helpers/live-nodes.js';
import { FakeClock } from '../helpers/nodes.js';
import { suzhouNode } from '../helpers/suzhou.js';

/**
 * A client that hangs up in the middle of its body is a normal event on the Internet: one info line
 * without a stack, no "unhandled error", no 500 — whether the body had a length or was chunked.
 */
const clock = new FakeClock();
const logged: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
const log: LogFn = (level, msg, fields = {}) => logged.push({ level, msg, fields });
let server: ServerType;
let port = 0;
let adminToken = '';

beforeAll(async () => {
  const creds = await adminCredentials(clock.now());
  adminToken = creds.tokens.admin;
  const suzhou = await suzhouNode({ clock, admin: creds.admin });
  const app = buildApp({ ...suzhou, now: clock.now, log });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends the head and part of the body of a request over a raw socket, then hangs up. */
function hangUpMidBody(head: string, part: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${head}\r\n\r\n${part}`, () => {
        // Give the server the head and the first bytes, then reset the connection.
        setImmediate(() => {
          socket.resetAndDestroy();
          resolve();
        });
      });
    });
    socket.on('error', reject);
  });
}

describe('a client that hangs up mid-body', () => {
  const cases = [
    {
      name: 'an admin contract upload with a declared length',
      head: (p: number, t: string) => [
        'POST /admin/v1/contracts HTTP/1.1',
        `Host: 127.0.0.1:${p}`,
        `Authorization: Bearer ${t}`,
        'Content-Type: application/json',
        'Content-Length: 5000000',
      ],
      part: `{"contract":{"domain":"food-safety","version":"9.9.9"},"canonical":{"x":"${'y'.repeat(60_000)}`,
    },
    {
      name: 'a chunked admin contract upload',
      head: (p: number, t: string) => [
        'POST /admin/v1/contracts HTTP/1.1',
        `Host: 127.0.0.1:${p}`,
        `Authorization: Bearer ${t}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ],
      part: `ea60\r\n${'z'.repeat(60_000)}\r\n`,
    },
    {
      name: 'a chunked console sign-in',
      head: (p: number, _t: string) => [
        'POST /console/sign-in HTTP/1.1',
        `Host: 127.0.0.1:${p}`,
        `Origin: http://127.0.0.1:${p}`,
        'Content-Type: application/x-www-form-urlencoded',
        'Transfer-Encoding: chunked',
      ],
      part: '6\r\ntoken=\r\n',
    },
  ];

  it.each(cases)('$name: one info line, no unhandled error', async ({ head, part }) => {
    logged.length = 0;
    await hangUpMidBody(head(port, adminToken).join('\r\n'), part);
    await eventually(() =>
      logged.some((l) => l.msg === 'request aborted by the client') ? true : undefined,
    );
    const aborted = logged.filter((l) => l.msg === 'request aborted by the client');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.level).toBe('info');
    expect(JSON.stringify(aborted[0]!.fields)).not.toContain('stack');
    expect(logged.filter((l) => l.level === 'error' || l.msg === 'unhandled error')).toEqual([]);
  });
});
