import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpClient } from '../../src/runtime/node/http-client.js';

/** A real server on 127.0.0.1 whose answer each test chooses by path. */
let server: Server;
let base: string;
const seen: { method: string; headers: IncomingMessage['headers']; body: string }[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  switch (req.url) {
    case '/echo':
      res.writeHead(201, { 'content-type': 'application/json', 'x-two': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, body }));
      return;
    case '/empty':
      res.writeHead(204).end();
      return;
    case '/busy':
      res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      return;
    case '/moved':
      res.writeHead(302, { location: `${base}/echo` }).end();
      return;
    case '/large':
      res.writeHead(200).end('x'.repeat(5000));
      return;
    case '/stall':
      res.writeHead(200);
      res.write('partial');
      return; // never ends
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the Node HTTP client of the exchange', () => {
  it('sends method, headers and body, and returns status, headers and body like fetch', async () => {
    const client = nodeHttpClient();
    try {
      const res = await client.fetch(`${base}/echo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/jose', 'X-Yrdx-Message-Id': 'm-1' },
        body: '浙江→江苏',
      });
      expect(res.status).toBe(201);
      expect(res.ok).toBe(true);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-two')).toBe('a, b');
      expect(await res.json()).toEqual({ method: 'POST', body: '浙江→江苏' });
      const request = seen.at(-1)!;
      expect(request.headers['content-type']).toBe('application/jose');
      expect(request.headers['x-yrdx-message-id']).toBe('m-1');
      // Headers given as a Headers object or as pairs reach the server the same way.
      await (
        await client.fetch(`${base}/echo`, { method: 'POST', headers: new Headers({ a: '1' }), body: 'x' })
      ).text();
      expect(seen.at(-1)!.headers.a).toBe('1');
      await (
        await client.fetch(`${base}/echo`, {
          method: 'POST',
          headers: [['b', '2']],
          body: new Uint8Array([120]),
        })
      ).text();
      expect(seen.at(-1)!.headers.b).toBe('2');
      expect(seen.at(-1)!.body).toBe('x');
    } finally {
      await client.close();
    }
  });

  it('returns answers without a body, and 4xx answers with their headers, without throwing', async () => {
    const client = nodeHttpClient();
    try {
      const empty = await client.fetch(`${base}/empty`, { method: 'POST', body: 'x' });
      expect(empty.status).toBe(204);
      expect(await empty.text()).toBe('');
      const busy = await client.fetch(`${base}/busy`, { method: 'POST', body: 'x' });
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toBe('7');
      expect(await busy.text()).toBe('slow down');
    } finally {
      await client.close();
    }
  });

  it('reads a body once, as fetch does, in any of its forms', async () => {
    const client = nodeHttpClient();
    const call = () => client.fetch(`${base}/echo`, { method: 'POST', body: '湖州' });
    const expected = JSON.stringify({ method: 'POST', body: '湖州' });
    try {
      const res = await call();
      const copy = res.clone();
      expect(res.bodyUsed).toBe(false);
      expect(await res.text()).toBe(expected);
      expect(res.bodyUsed).toBe(true);
      await expect(res.text()).rejects.toThrow(TypeError);
      expect(() => res.clone()).toThrow(TypeError);
      expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe(expected);
      expect(new TextDecoder().decode(await (await call()).bytes())).toBe(expected);
      expect(await new Response((await call()).body).text()).toBe(expected);
      expect((await client.fetch(`${base}/empty`, { method: 'POST', body: 'x' })).body).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('never follows a redirect: the 3xx answer is returned as it is', async () => {
    const client = nodeHttpClient();
    try {
      const before = seen.length;
      const res = await client.fetch(`${base}/moved`, { method: 'POST', body: 'sealed' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${base}/echo`);
      expect(seen.length).toBe(before + 1);
    } finally {
      await client.close();
    }
  });

  it('fails the call on an answer over the limit, on a timeout and on a refused connection', async () => {
    const client = nodeHttpClient({ maxResponseBytes: 1000 });
    try {
      await expect(client.fetch(`${base}/large`)).rejects.toThrow(/larger than allowed/);
      await expect(client.fetch(`${base}/stall`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
      // A port nothing listens on.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));
      await expect(
        client.fetch(`http://127.0.0.1:${port}/v1/inbox`, { method: 'POST', body: 'x' }),
      ).rejects.toThrow();
    } finally {
      await client.close();
    }
  });

  it('refuses what it does not carry: a Request object or a stream body', async () => {
    const client = nodeHttpClient();
    try {
      await expect(client.fetch(new Request(`${base}/echo`))).rejects.toThrow(TypeError);
      await expect(client.fetch(`${base}/echo`, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(
        TypeError,
      );
    } finally {
      await client.close();
    }
  });
});

describe('the bounds of the Node HTTP client', () => {
  it('ends every call after its own timeout, whatever the caller passes', async () => {
    const client = nodeHttpClient({ timeoutMs: 300 });
    try {
      const started = Date.now();
      await expect(client.fetch(`${base}/stall`)).rejects.toMatchObject({
        name: 'EgressError',
        failure: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await client.close();
    }
  });

  it('fails with words that name no address, port or answer', async () => {
    const client = nodeHttpClient({ maxResponseBytes: 1000 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      const refused = await client.fetch(`http://127.0.0.1:${port}/x`).catch((e: Error) => e);
      expect(refused).toMatchObject({ name: 'EgressError', failure: 'refused' });
      expect((refused as Error).message).not.toContain(String(port));
      const large = await client.fetch(`${base}/large`).catch((e: Error) => e);
      expect(large).toMatchObject({ name: 'EgressError', failure: 'too-large' });
      expect((large as Error).message).not.toContain('xxx');
    } finally {
      await client.close();
    }
  });

  it('with an address policy, calls configured origins and refuses other non-public addresses', async () => {
    const resolved: string[] = [];
    const client = nodeHttpClient({
      policy: { allowPrivateNetworks: false, trustedOrigins: new Set([base]) },
      resolve: async (host) => {
        resolved.push(host);
        return host === 'partner.internal.test' ? ['93.184.215.14', '10.0.0.7'] : ['127.0.0.1'];
      },
    });
    try {
      expect((await client.fetch(`${base}/echo`, { method: 'POST', body: 'x' })).status).toBe(201);
      const before = seen.length;
      const port = base.split(':').at(-1)!;
      for (const url of [
        `http://localhost:${port}/echo`,
        `http://[::1]:${port}/echo`,
        `http://127.0.0.2:${port}/echo`,
        `http://169.254.169.254/latest/meta-data`,
        `http://partner.internal.test:${port}/echo`,
        `http://rebound.test:${port}/echo`,
      ]) {
        const error = await client.fetch(url, { method: 'POST', body: 'x' }).catch((e: Error) => e);
        expect(error, url).toMatchObject({ name: 'EgressError', failure: 'address' });
        expect((error as Error).message, url).not.toContain(port);
      }
      // Names are checked at connection time, on every address they resolve to.
      expect(resolved).toEqual(['partner.internal.test', 'rebound.test']);
      expect(seen.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});
