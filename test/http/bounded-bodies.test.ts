import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type ServerType, serve } from '@hono/node-server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { adminCredentials } from '../admin/helpers.js';
import { killAllNodes, type NodeProcess, prepareNodes } from '../helpers/node-process.js';
import { FakeClock } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { suzhouNode } from '../helpers/suzhou.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Every body is read by one bounded reader, chunked or not, within a limit that fits what the route
 * expects: a sign-in form is a few hundred bytes, a console form a few KB. Before, the sign-in and
 * every console action read their whole body (chunked bodies bypassed the Content-Length check).
 */
const MiB = 1024 * 1024;
const clock = new FakeClock();
let server: ServerType;
let url = '';
let adminToken = '';

beforeAll(async () => {
  const creds = await adminCredentials(clock.now());
  adminToken = creds.tokens.admin;
  const suzhou = await suzhouNode({ clock, admin: creds.admin });
  const app = buildApp({ ...suzhou, now: clock.now });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      url = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * POSTs a chunked form body of up to `total` bytes (`token=aaaa…`), and says how many bytes the
 * client had produced when the answer arrived. The upload is stopped once the answer is in.
 */
async function chunkedPost(
  target: string,
  total: number,
  headers: Record<string, string> = {},
): Promise<{ status: number | 'reset'; body: string; sentBeforeAnswer: number }> {
  let sent = 0;
  const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
  async function* body() {
    yield new TextEncoder().encode('token=');
    while (sent < total) {
      sent += chunk.length;
      yield chunk;
    }
  }
  const abort = new AbortController();
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, ...headers },
      body: Readable.from(body()),
      signal: abort.signal,
      // The server closes a connection whose refused upload goes on: never reuse it.
      reset: true,
    });
  } catch (error) {
    // The server answered 413, stopped reading and closed the connection while this client was
    // still writing (on a busy machine the upload outlasts the server's short discard window):
    // the write fails before the answer is read. A refusal too.
    const code = (error as { code?: string }).code;
    if (code === 'EPIPE' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')
      return { status: 'reset', body: '', sentBeforeAnswer: sent };
    throw error;
  }
  const sentBeforeAnswer = sent;
  const text = await res.body.text();
  abort.abort();
  return { status: res.statusCode, body: text, sentBeforeAnswer };
}

async function signIn(): Promise<string> {
  const res = await fetch(`${url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ token: adminToken }),
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('console forms are read within a small limit', () => {
  it('refuses a chunked sign-in body over the limit early, with a 413 problem', async () => {
    const answer = await chunkedPost(`${url}/console/sign-in`, 64 * MiB);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'body_too_large', status: 413 });
    // Refused while the client was still sending: far less than the 64 MiB it would have sent.
    expect(answer.sentBeforeAnswer).toBeLessThan(16 * MiB);
  });

  it('refuses a sign-in body over a few KB, declared or chunked', async () => {
    const declared = await fetch(`${url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: `token=${'b'.repeat(8 * 1024)}`,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ code: 'body_too_large' });
    expect((await chunkedPost(`${url}/console/sign-in`, 128 * 1024)).status).toBe(413);
  });

  it('refuses a chunked console POST over the limit, before reading it whole', async () => {
    const cookie = await signIn();
    const answer = await chunkedPost(`${url}/console/sign-out`, 64 * MiB, { cookie });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'body_too_large' });
    expect(answer.sentBeforeAnswer).toBeLessThan(16 * MiB);
    // A console form of a few hundred KB is no form a page sends: refused too (the limit is 64 KiB).
    expect((await chunkedPost(`${url}/console/sign-out`, 256 * 1024, { cookie })).status).toBe(413);
  });

  it('still signs in and out with ordinary forms', async () => {
    const cookie = await signIn();
    const out = await fetch(`${url}/console/sign-out`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, cookie },
      body: new URLSearchParams({ _csrf: 'wrong' }),
    });
    // Read and parsed within the limit; refused by the anti-forgery check, not by the reader.
    expect(out.status).toBe(403);
  });
});

describe('the form reader', () => {
  const signInWith = (body: BodyInit, type?: string) =>
    fetch(`${url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: url, ...(type === undefined ? {} : { 'content-type': type }) },
      body,
    });

  it('parses multipart forms from the bounded bytes, and refuses one over the limit', async () => {
    const form = new FormData();
    form.set('token', adminToken);
    expect((await signInWith(form)).status).toBe(303);
    const big = new FormData();
    big.set('token', adminToken);
    big.set('file', new Blob(['x'.repeat(8 * 1024)]), 'big.txt');
    const refused = await signInWith(big);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ code: 'body_too_large' });
  });

  it('refuses NUL in a field, percent-encoded or raw, and bytes that are not UTF-8', async () => {
    for (const body of [`token=${adminToken}%00`, `to%00ken=${adminToken}`, `token=a\u0000b`]) {
      const res = await signInWith(body, 'application/x-www-form-urlencoded');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'text_invalid' });
    }
    const bytes = new Uint8Array([...new TextEncoder().encode('token=ab'), 0xc3, 0x28]);
    const res = await signInWith(bytes, 'application/x-www-form-urlencoded');
    expect(await res.json()).toMatchObject({ code: 'text_invalid' });
  });
});

describe('a node process under parallel oversized sign-ins', () => {
  let node: NodeProcess;
  let token = '';
  beforeAll(async () => {
    [node] = (await prepareNodes(
      [{ id: '320500', name: '苏州市', province: 'js', pushUrl: 'http://127.0.0.1:9/yrdx' }],
      tempDir('yrdx-bounded-'),
    )) as [NodeProcess];
    const creds = await adminCredentials(Date.now());
    token = creds.tokens.admin;
    const config = JSON.parse(readFileSync(node.configFile, 'utf8')) as Record<string, unknown>;
    config.admin = {
      credentials: [
        { id: 'ops-admin', role: 'admin', tokenHash: `sha256:${creds.admin.credentials[0]!.tokenHash}` },
      ],
    };
    writeFileSync(node.configFile, JSON.stringify(config));
    await node.start();
  }, patient(60_000));
  afterAll(() => killAllNodes());

  /** Peak resident memory of the process so far (Linux). */
  const peakRss = () => {
    const status = readFileSync(`/proc/${node.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
  };

  it(
    'keeps its memory flat: the bodies are refused, not buffered',
    async () => {
      // Warm up: pages and the sign-in path once, so the baseline includes them.
      const page = await fetch(`${node.url}/console/sign-in`);
      expect(page.status).toBe(200);
      await page.text();
      const before = peakRss();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          chunkedPost(`${node.url}/console/sign-in`, 32 * MiB, { origin: node.url }),
        ),
      );
      for (const a of answers) expect([413, 'reset']).toContain(a.status);
      // Six 32 MiB bodies buffered would add about 200 MiB; refused, the peak barely moves.
      expect(peakRss() - before).toBeLessThan(64 * MiB);
      // And the node still signs people in.
      const ok = await fetch(`${node.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: node.url },
        body: new URLSearchParams({ token }),
      });
      expect(ok.status).toBe(303);
    },
    patient(60_000),
  );
});
