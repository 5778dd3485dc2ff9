import { readFileSync } from 'node:fs';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBytes, sha256, tusUpload } from '../attachments/helpers.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { requireBundle, type WorkerNode, workerNode } from './worker-node.js';

/**
 * Case files on the edge build: the bundled Worker (Miniflare: workerd, D1, an R2 bucket FILES with
 * 1 MiB chunk objects) as Suzhou beside Huzhou as a real Node node, files going both ways, each a few
 * MiB so that the R2 store's chunks (and tus PATCHes that end inside one) are crossed. Suzhou reaches
 * Huzhou through a relay that can slow down file transfers, so that one file needs several
 * invocations of the Worker (FILES_BUDGET_MS). A second Worker without FILES refuses attachments.
 */
const CHUNK = 1024 * 1024;
/** What one invocation of Suzhou may spend on transfers (ample for a few MiB, on a loaded machine too). */
const BUDGET_MS = patient(1500);

let suzhou: WorkerNode;
/** A Worker node without the FILES binding. */
let wuxi: WorkerNode;
let huzhou: LiveNode;
let relay: Relay;

interface Relay {
  readonly url: string;
  /**
   * When set, each case-file answer passes on this many bytes of its body, then stalls (as a slow
   * or cut link would) until the caller gives up: every invocation of the Worker gets that far.
   */
  piece: number | undefined;
  /** The Range header of every case-file request passed on ('' when none), in order. */
  readonly ranges: string[];
  close(): Promise<void>;
}

/** Between Suzhou and Huzhou: passes everything on; case-file bodies a piece at a time when asked. */
async function startRelay(target: string): Promise<Relay> {
  const ranges: string[] = [];
  const state: { piece: number | undefined } = { piece: undefined };
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve(
      {
        fetch: async (req) => {
          const url = new URL(req.url);
          const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer();
          const answer = await fetch(`${target}${url.pathname}${url.search}`, {
            method: req.method,
            headers: req.headers,
            ...(body === undefined ? {} : { body }),
          });
          if (!url.pathname.startsWith('/v1/attachments/') || req.method !== 'GET') return answer;
          ranges.push(req.headers.get('range') ?? '');
          const piece = state.piece;
          if (piece === undefined || answer.body === null) return answer;
          const reader = answer.body.getReader();
          let left = piece;
          const stalled = new ReadableStream<Uint8Array>({
            async pull(controller) {
              if (left === 0) return new Promise<void>(() => undefined); // never more
              const { done, value } = await reader.read();
              if (done) return controller.close();
              const part = value.subarray(0, left);
              left -= part.byteLength;
              controller.enqueue(part);
            },
            cancel: (reason) => reader.cancel(reason),
          });
          return new Response(stalled, { status: answer.status, headers: answer.headers });
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      () => resolve(started),
    );
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get piece() {
      return state.piece;
    },
    set piece(value: number | undefined) {
      state.piece = value;
    },
    ranges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

interface InboxItem {
  messageId: string;
  attachments: { href: string; name: string; size: number; sha256?: string; state?: string }[];
}

async function inbox(url: string, apiKey: string): Promise<InboxItem[]> {
  const res = await fetch(`${url}/v1/inbox/messages`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: InboxItem[] }).items;
}

async function download(url: string, apiKey: string, href: string, range?: string): Promise<Response> {
  return fetch(`${url}${href}`, {
    headers: { authorization: `Bearer ${apiKey}`, ...(range === undefined ? {} : { range }) },
  });
}

/** The sender's view of a message's files: each recipient's files receipt. */
async function filesStatus(url: string, apiKey: string, id: string): Promise<string | undefined> {
  // Polled: a kept-alive connection the server closed meanwhile is only asked again.
  const res = await fetch(`${url}/v1/messages/${id}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  }).catch(() => undefined);
  const doc = (await res?.json()) as { files?: { status: string }[] } | undefined;
  return doc?.files?.[0]?.status;
}

/** Huzhou's case system sends Suzhou a notification with one PDF; resolves to the message id. */
async function huzhouSends(bytes: Uint8Array, name: string): Promise<string> {
  const { id } = await tusUpload(huzhou.url, huzhou.apiKey, bytes, { chunk: 768 * 1024, name });
  const res = await huzhou.submit({
    to: suzhou.id,
    domain: 'food-safety',
    type: 'notification',
    body: example('zj', 'notification'),
    attachments: [{ upload: id }],
  });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

/** Suzhou's inbox item once its files arrived (held until then). */
async function arrivedAtSuzhou(id: string, ms = 20_000, tick?: () => Promise<void>): Promise<InboxItem> {
  return eventually(
    async () => {
      await tick?.();
      return (await inbox(suzhou.url, suzhou.apiKey)).find((i) => i.messageId === id);
    },
    ms,
    'the message with its case file in Suzhou’s inbox',
  );
}

beforeAll(async () => {
  requireBundle();
  suzhou = await workerNode({
    id: '320500',
    name: '苏州市',
    province: 'js',
    files: { chunkBytes: CHUNK, budgetMs: BUDGET_MS },
  });
  wuxi = await workerNode({ id: '320200', name: '无锡市', province: 'js' });
  [huzhou] = (await startNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        mode: 'pull',
      },
    ],
    tempDir('yrdx-edge-files-'),
    { external: [suzhou.member, wuxi.member] },
  )) as [LiveNode];
  relay = await startRelay(huzhou.url);
  await Promise.all([
    suzhou.start([suzhou.member, { ...huzhou.member, url: relay.url }]),
    wuxi.start([wuxi.member, huzhou.member]),
  ]);
}, patient(120_000));

afterAll(async () => {
  await huzhou?.stop();
  await suzhou?.stop();
  await wuxi?.stop();
  await relay?.close();
});

describe('case files on the bundled Worker (Miniflare, D1, R2)', () => {
  it('fetches a Node sender’s PDF into R2 right after receiving it; its local system downloads it byte-identical', async () => {
    const bytes = pdfBytes(3 * CHUNK + 12_345, 7);
    const id = await huzhouSends(bytes, '检查报告.pdf');

    // No cron run: the transfer runs in the waitUntil of the request that delivered the message.
    const item = await arrivedAtSuzhou(id);
    expect(item.attachments).toEqual([
      expect.objectContaining({ name: '检查报告.pdf', size: bytes.length, sha256: sha256(bytes) }),
    ]);
    const href = item.attachments[0]!.href;
    const whole = await download(suzhou.url, suzhou.apiKey, href);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    const got = new Uint8Array(await whole.arrayBuffer());
    expect(got.length).toBe(bytes.length);
    expect(sha256(got)).toBe(sha256(bytes));
    // A range across the boundary of two chunk objects, and one to the end.
    const across = await download(suzhou.url, suzhou.apiKey, href, `bytes=${CHUNK - 10}-${CHUNK + 9}`);
    expect(across.status).toBe(206);
    expect(across.headers.get('content-range')).toBe(`bytes ${CHUNK - 10}-${CHUNK + 9}/${bytes.length}`);
    expect(new Uint8Array(await across.arrayBuffer())).toEqual(bytes.subarray(CHUNK - 10, CHUNK + 10));
    const tail = await download(suzhou.url, suzhou.apiKey, href, `bytes=${2 * CHUNK + 5}-`);
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(2 * CHUNK + 5));

    // The sender learns it arrived: Suzhou's signed files receipt.
    await eventually(
      async () => ((await filesStatus(huzhou.url, huzhou.apiKey, id)) === 'arrived' ? true : undefined),
      15_000,
      'the files receipt at Huzhou',
    );
    expect(suzhou.logs).toContainEqual(expect.objectContaining({ msg: 'case files arrived', messageId: id }));
    expect(suzhou.logs.some((l) => l.msg === 'cron run')).toBe(false);
  });

  it('fetches a file over several invocations, each resuming with a Range from what R2 holds', async () => {
    const bytes = pdfBytes(3 * CHUNK + 777, 11);
    const before = relay.ranges.length;
    // 1.25 MiB per answer, then nothing: each invocation ends at its budget with a part of the file
    // (not on a chunk boundary), the next one asks for the rest.
    const piece = CHUNK + CHUNK / 4;
    relay.piece = piece;
    try {
      const id = await huzhouSends(bytes, '抽检记录.pdf');
      // The run after the request stops at its budget; cron runs continue where each stopped.
      const item = await arrivedAtSuzhou(id, 120_000, () => suzhou.cron());
      // Three invocations: each asked from where the bytes R2 holds end (never twice, none lost).
      expect(relay.ranges.slice(before)).toEqual(['', `bytes=${piece}-`, `bytes=${2 * piece}-`]);
      expect(suzhou.logs).toContainEqual(
        expect.objectContaining({ msg: 'case file transfers paused until the next run' }),
      );
      const got = await download(suzhou.url, suzhou.apiKey, item.attachments[0]!.href);
      expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(sha256(bytes));
      await eventually(
        async () => ((await filesStatus(huzhou.url, huzhou.apiKey, id)) === 'arrived' ? true : undefined),
        15_000,
        'the files receipt at Huzhou',
      );
    } finally {
      relay.piece = undefined;
    }
  });

  it('takes a tus upload into R2 and serves it to the Node recipient, which hands it on byte-identical', async () => {
    const bytes = pdfBytes(2 * CHUNK + 54_321, 3);
    // PATCHes of 700 KiB: each ends inside a chunk object (a Worker's request body is bounded, so
    // clients send a big file in several PATCHes).
    const { id: upload } = await tusUpload(suzhou.url, suzhou.apiKey, bytes, {
      chunk: 700 * 1024,
      name: '移送函.pdf',
    });
    const head = await fetch(`${suzhou.url}/v1/uploads/${upload}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${suzhou.apiKey}`, 'tus-resumable': '1.0.0' },
    });
    expect(head.status, JSON.stringify([...head.headers])).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(bytes.length));
    const res = await suzhou.submit({
      to: huzhou.id,
      domain: 'food-safety',
      type: 'notification',
      body: example('js', 'notification'),
      attachments: [{ upload }],
    });
    const text = await res.text();
    expect(res.status, text).toBe(202);
    const { id } = JSON.parse(text) as { id: string };

    const item = await eventually(
      async () => (await inbox(huzhou.url, huzhou.apiKey)).find((i) => i.messageId === id),
      20_000,
      'the message with its case file in Huzhou’s inbox',
    );
    expect(item.attachments).toEqual([
      expect.objectContaining({ name: '移送函.pdf', size: bytes.length, sha256: sha256(bytes) }),
    ]);
    const whole = await download(huzhou.url, huzhou.apiKey, item.attachments[0]!.href);
    expect(whole.status).toBe(200);
    expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(bytes));
    // Huzhou fetched it from the Worker, which served it from R2.
    expect(suzhou.logs).toContainEqual(
      expect.objectContaining({ msg: 'case file served', messageId: id, bytes: bytes.length }),
    );
    // The Worker, the sender here, gets Huzhou's files receipt.
    await eventually(
      async () => ((await filesStatus(suzhou.url, suzhou.apiKey, id)) === 'arrived' ? true : undefined),
      15_000,
      'the files receipt at Suzhou',
    );
  });

  it('without the FILES binding refuses uploads and messages with files: attachments_unavailable', async () => {
    const created = await fetch(`${wuxi.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${wuxi.apiKey}`,
        'tus-resumable': '1.0.0',
        'upload-length': '1000',
        'upload-metadata': `filename ${Buffer.from('a.pdf').toString('base64')}`,
      },
    });
    expect(created.status).toBe(503);
    expect(await created.json()).toMatchObject({ code: 'attachments_unavailable' });

    // Huzhou sends Wuxi a message with a file: Wuxi refuses it (503: Huzhou may try again once
    // Wuxi has the binding), nothing is kept.
    const refusals = () =>
      wuxi.logs.filter((l) => l.msg === 'message refused' && l.code === 'attachments_unavailable').length;
    const before = refusals();
    const { id: upload } = await tusUpload(huzhou.url, huzhou.apiKey, pdfBytes(10_000, 5));
    const res = await huzhou.submit({
      to: wuxi.id,
      domain: 'food-safety',
      type: 'notification',
      body: example('zj', 'notification'),
      attachments: [{ upload }],
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await eventually(
      () => (refusals() > before ? true : undefined),
      15_000,
      'Wuxi’s refusal of the message with a file',
    );
    expect((await inbox(wuxi.url, wuxi.apiKey)).some((i) => i.messageId === id)).toBe(false);
  });
});
