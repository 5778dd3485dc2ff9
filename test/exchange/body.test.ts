import { Readable } from 'node:stream';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isYrdxError } from '../../src/errors/errors.js';
import { readBody } from '../../src/http/body.js';

const LIMIT = 1000;

/** The outcome of readBody as `text` or the error code. */
async function outcome(req: Request): Promise<string> {
  try {
    return await readBody(req, LIMIT);
  } catch (error) {
    if (isYrdxError(error)) return `error:${error.code}`;
    throw error;
  }
}

const streamOf = (...parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });

describe('reading a request body within the limit', () => {
  it('reads a body with a declared length, and refuses a declared length over the limit unread', async () => {
    expect(await outcome(new Request('http://x/', { method: 'POST', body: '湖州→苏州' }))).toBe('湖州→苏州');
    const over = new Request('http://x/', {
      method: 'POST',
      headers: { 'content-length': String(LIMIT + 1) },
      body: streamOf('x'),
      duplex: 'half',
    } as RequestInit);
    expect(await outcome(over)).toBe('error:body_too_large');
    expect(over.bodyUsed).toBe(false);
  });

  it('refuses a body whose real length passes the limit whatever length it declares', async () => {
    const lying = new Request('http://x/', {
      method: 'POST',
      headers: { 'content-length': '10' },
      body: streamOf('y'.repeat(LIMIT + 1)),
      duplex: 'half',
    } as RequestInit);
    expect(await outcome(lying)).toBe('error:body_too_large');
  });

  it('reads a streamed body without a declared length, refusing it once it passes the limit', async () => {
    const chunked = (...parts: string[]) =>
      new Request('http://x/', { method: 'POST', body: streamOf(...parts), duplex: 'half' } as RequestInit);
    expect(await outcome(chunked('长三角', '一体化'))).toBe('长三角一体化');
    expect(await outcome(chunked('a'.repeat(600), 'b'.repeat(600)))).toBe('error:body_too_large');
    expect(await outcome(new Request('http://x/', { method: 'POST' }))).toBe('');
  });

  describe('over real HTTP on 127.0.0.1', () => {
    let server: ReturnType<typeof serve>;
    let url: string;
    beforeAll(async () => {
      const app = new Hono().post('/', async (c) => c.text(await outcome(c.req.raw)));
      await new Promise<void>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
          url = `http://127.0.0.1:${info.port}/`;
          resolve();
        });
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const send = async (body: string | AsyncIterable<Uint8Array>) => {
      const res = await request(url, {
        method: 'POST',
        body: typeof body === 'string' ? body : Readable.from(body),
      });
      return res.body.text();
    };
    async function* chunks(...parts: string[]) {
      for (const p of parts) yield new TextEncoder().encode(p);
    }

    it('with Content-Length and chunked, within and over the limit', async () => {
      expect(await send('浙江省'.repeat(10))).toBe('浙江省'.repeat(10));
      expect(await send('z'.repeat(LIMIT + 1))).toBe('error:body_too_large');
      expect(await send(chunks('江苏', '安徽'))).toBe('江苏安徽');
      expect(await send(chunks('q'.repeat(700), 'r'.repeat(700)))).toBe('error:body_too_large');
    });
  });
});
