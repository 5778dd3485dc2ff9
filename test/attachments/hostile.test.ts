import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT_TYP, signGrant } from '../../src/attachments/grant.js';
import { type Signer, signCompact } from '../../src/envelope/seal.js';
import { newApiKey } from '../../src/runtime/node/federation-config.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { tempDir } from '../helpers/tmp.js';
import { b64, elfBytes, example, pdfBytes, sha256, tusUpload } from './helpers.js';

/**
 * Issue 20's refusals between real nodes: a sender whose bytes are tampered with on the way (a
 * wrapper between the recipient and the sender), a sender whose own file was swapped after signing,
 * local systems that upload too much, the wrong formats, hostile names, partners that replay grants,
 * clients that abuse tus, and abandoned uploads. Each refusal keeps nothing, delivers nothing, and —
 * for a transfer — reaches the sender in the recipient's signed files receipt.
 */

const dir = tempDir('yrdx-files-hostile-');
let huzhou: LiveNode;
let suzhou: LiveNode;
let shanghai: LiveNode;
/** Huzhou's second local system, for uploads that are not the first one's. */
const otherKey = newApiKey();
const OTHER = '330500-other';
/** Shanghai's clock runs ahead by this much (to expire uploads). */
let skew = 0;

type Tamper = (
  url: URL,
  response: Response,
  request: RequestInit | undefined,
) => Promise<Response> | Response;
/** What the wrapper does to Suzhou's next fetches of files from a sender (undefined: nothing). */
let tamper: Tamper | undefined;
/** Runs before Suzhou's fetch of a file is forwarded. */
let beforeFetch: (() => Promise<void>) | undefined;
/** The Range header of every file fetch that passed the wrapper. */
const ranges: (string | null)[] = [];

const FILE_PATH = /^\/v1\/attachments\/[^/]+\/\d+$/;
const tampering: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const isFile = FILE_PATH.test(url.pathname);
  if (isFile) {
    ranges.push(new Headers(init?.headers).get('range'));
    await beforeFetch?.();
  }
  const response = await fetch(input, init);
  return isFile && tamper !== undefined ? tamper(url, response, init) : response;
};

/** The response with its body passed through `transform`, its length no longer declared. */
function rewrite(response: Response, transform: TransformStream<Uint8Array, Uint8Array>): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(response.body!.pipeThrough(transform), { status: response.status, headers });
}

const flipByteAt = (position: number) => {
  let at = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (position >= at && position < at + chunk.byteLength) {
        const copy = chunk.slice();
        copy[position - at]! ^= 0x01;
        chunk = copy;
      }
      at += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
};

const appending = (extra: Uint8Array) =>
  new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, controller) => controller.enqueue(chunk),
    flush: (controller) => controller.enqueue(extra),
  });

/** The first `limit` bytes of the body, then a clean end. */
function truncated(response: Response, limit: number): Response {
  const reader = response.body!.getReader();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done || sent >= limit) {
        await reader.cancel().catch(() => undefined);
        controller.close();
        return;
      }
      const part = value.subarray(0, limit - sent);
      sent += part.byteLength;
      controller.enqueue(part);
    },
  });
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, headers });
}

const contract = { 'food-safety': 1 };

beforeAll(async () => {
  const nodes = await startNodes(
    [
      {
        id: '330500',
        name: '湖州',
        province: 'zj',
        contractMajors: contract,
        configure: (config) => {
          config.attachments = { maxFileBytes: 1_000_000, maxMessageBytes: 1_500_000 };
          const systems = config.localSystems as Record<string, unknown>[];
          systems.push({
            ...systems[0],
            id: OTHER,
            name: '湖州另一系统',
            apiKeys: [`sha256:${sha256(Buffer.from(otherKey))}`],
            delivery: { mode: 'pull' },
          });
        },
      },
      {
        id: '320500',
        name: '苏州',
        province: 'js',
        mode: 'pull',
        contractMajors: contract,
        fetch: tampering,
      },
      {
        id: '310000',
        name: '上海',
        province: 'sh',
        contractMajors: contract,
        now: () => Date.now() + skew,
        configure: (config) => {
          config.attachments = { maxOpenUploads: 3, maxFileBytes: 100_000, maxMessageBytes: 100_000 };
        },
      },
    ],
    dir,
  );
  [huzhou, suzhou, shanghai] = nodes as [LiveNode, LiveNode, LiveNode];
}, 120_000);

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop(), shanghai?.stop()]);
});

const auth = (node: LiveNode, key = node.apiKey) => ({ authorization: `Bearer ${key}` });
const TUS = { 'tus-resumable': '1.0.0' };
const OCTETS = { 'content-type': 'application/offset+octet-stream' };

async function problem(res: Response): Promise<{ status: number; code: string; detail: string }> {
  const body = (await res.json()) as { code: string; detail: string };
  return { status: res.status, code: body.code, detail: body.detail };
}

/** The part files a node keeps (unfinished uploads and transfers). */
const parts = (node: LiveNode): string[] => {
  const folder = join(dir, node.id, 'files', 'parts');
  return existsSync(folder) ? readdirSync(folder) : [];
};

const blobPath = (node: LiveNode, hex: string) =>
  join(dir, node.id, 'files', 'blobs', 'sha256', hex.slice(0, 2), hex);

const blobs = (node: LiveNode) => node.exchange.deps.blobs!;

/** Nothing of the upload is left: no row, no part, no blob of its bytes. */
async function nothingKept(
  node: LiveNode,
  id: string | undefined,
  bytes: Uint8Array,
  system = node.localSystem,
) {
  if (id !== undefined) {
    expect(await node.exchange.deps.store.getUpload(id, system)).toBeUndefined();
    expect(parts(node)).not.toContain(id);
  }
  expect(await blobs(node).blobSize(sha256(bytes))).toBeUndefined();
}

/** Creates an upload (no bytes yet); returns its id. */
async function create(
  node: LiveNode,
  length: number,
  name = '案件材料.pdf',
  key = node.apiKey,
  extra: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(`${node.url}/v1/uploads`, {
    method: 'POST',
    headers: {
      ...auth(node, key),
      ...TUS,
      'upload-length': String(length),
      'upload-metadata': `filename ${b64(name)}`,
      ...extra,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.headers.get('location')!.split('/').at(-1)!;
}

const patch = (node: LiveNode, id: string, offset: number, body: Uint8Array, key = node.apiKey) =>
  fetch(`${node.url}/v1/uploads/${id}`, {
    method: 'PATCH',
    headers: { ...auth(node, key), ...TUS, ...OCTETS, 'upload-offset': String(offset) },
    body: body as Uint8Array<ArrayBuffer>,
  });

const head = (node: LiveNode, id: string, key = node.apiKey) =>
  fetch(`${node.url}/v1/uploads/${id}`, { method: 'HEAD', headers: { ...auth(node, key), ...TUS } });

/** Uploads `files` to Huzhou and sends them to Suzhou in one message. */
async function send(...files: { bytes: Uint8Array; name?: string }[]): Promise<string> {
  const uploads = [];
  for (const f of files)
    uploads.push({
      upload: (await tusUpload(huzhou.url, huzhou.apiKey, f.bytes, f.name ? { name: f.name } : {})).id,
    });
  const res = await huzhou.submit({
    to: suzhou.id,
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('food-safety', 'zj', 'assistance-request'),
    attachments: uploads,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

interface StatusDocument {
  files?: {
    recipient: string;
    status: string;
    files?: { index: number; status: string; reason?: string }[];
    receipt?: { token: string };
  }[];
}

/** The sender's view of its message, once the recipient's files receipt came. */
const settled = (messageId: string) =>
  eventually(
    async () => {
      const res = await fetch(`${huzhou.url}/v1/messages/${messageId}`, { headers: auth(huzhou) });
      const doc = (await res.json()) as StatusDocument;
      return doc.files?.[0]?.status === 'pending' ? undefined : doc;
    },
    20_000,
    'the files receipt',
  );

const pulled = async (node: LiveNode) => {
  const res = await fetch(`${node.url}/v1/inbox/messages`, { headers: auth(node) });
  return (
    (await res.json()) as {
      items: {
        messageId: string;
        attachments: { href: string; name: string; size: number; sha256: string }[];
      }[];
    }
  ).items;
};

/** The payload of a compact JWS, unverified (the store verified it on receipt). */
const payloadOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * The transfer of `messageId` was refused for `code`: the sender learns it from the signed files
 * receipt, the recipient keeps no byte of it and delivers nothing to its local system.
 */
async function refusedInTransit(messageId: string, code: string, digests: string[]) {
  const doc = await settled(messageId);
  expect(doc.files).toEqual([
    expect.objectContaining({
      recipient: suzhou.id,
      status: 'refused',
      files: expect.arrayContaining([{ index: 0, status: 'refused', reason: code }]),
    }),
  ]);
  const receipt = payloadOf(doc.files![0]!.receipt!.token);
  expect(receipt).toMatchObject({ iss: suzhou.id, status: 'refused', messageId });
  expect(receipt.files).toEqual(
    expect.arrayContaining([expect.objectContaining({ index: 0, status: 'refused', reason: code })]),
  );
  // The recipient: the message held, nothing pullable, no bytes kept.
  const inbound = await suzhou.exchange.deps.store.getInbound(huzhou.id, messageId);
  expect(inbound?.localDeliveries.length).toBeGreaterThan(0);
  for (const d of inbound!.localDeliveries) expect(d.status).toBe('held');
  expect((await pulled(suzhou)).map((i) => i.messageId)).not.toContain(messageId);
  const files = await suzhou.exchange.deps.store.inboundFiles(huzhou.id, messageId);
  expect(files[0]).toMatchObject({ state: 'refused', error: code });
  for (const d of digests) expect(await blobs(suzhou).blobSize(d)).toBeUndefined();
  const prefix = `fx-${inbound!.jti.replace(/[^0-9A-Za-z]/g, '')}`;
  expect(parts(suzhou).filter((p) => p.startsWith(prefix))).toEqual([]);
  const local = await fetch(`${suzhou.url}/v1/inbox/messages/${messageId}/attachments/0`, {
    headers: auth(suzhou),
  });
  expect(local.status).toBe(404);
}

describe('bytes tampered with between the nodes', () => {
  it('1. a flipped byte: attachment_digest_mismatch, nothing kept or delivered', async () => {
    const bytes = pdfBytes(300_000, 11);
    tamper = (_url, response) => rewrite(response, flipByteAt(150_000));
    try {
      const id = await send({ bytes });
      await refusedInTransit(id, 'attachment_digest_mismatch', [sha256(bytes)]);
    } finally {
      tamper = undefined;
    }
  });

  it('2a. bytes appended (declared by Content-Length or not): attachment_size_mismatch', async () => {
    for (const declared of [false, true]) {
      const bytes = pdfBytes(200_000, declared ? 22 : 21);
      const extra = new Uint8Array(5000).fill(7);
      tamper = async (_url, response) => {
        if (!declared) return rewrite(response, appending(extra));
        const whole = new Uint8Array(await response.arrayBuffer());
        const longer = new Uint8Array(whole.length + extra.length);
        longer.set(whole);
        longer.set(extra, whole.length);
        return new Response(longer, {
          status: response.status,
          headers: { 'content-length': String(longer.length) },
        });
      };
      try {
        const id = await send({ bytes });
        await refusedInTransit(id, 'attachment_size_mismatch', [sha256(bytes)]);
      } finally {
        tamper = undefined;
      }
    }
  });

  it('2b. a body cut short that ends cleanly is resumed by range; no short file is delivered', async () => {
    const bytes = pdfBytes(300_000, 23);
    let calls = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let third!: () => void;
    const reachedThird = new Promise<void>((r) => {
      third = r;
    });
    ranges.length = 0;
    tamper = async (_url, response) => {
      calls += 1;
      if (calls <= 2) return truncated(response, 100_000);
      third();
      await released;
      return response;
    };
    try {
      const id = await send({ bytes });
      await reachedThird;
      // Two cut answers: 200 000 of 300 000 bytes held, nothing delivered.
      const files = await suzhou.exchange.deps.store.inboundFiles(huzhou.id, id);
      expect(files[0]).toMatchObject({ state: 'pending', bytes: 200_000 });
      const inbound = await suzhou.exchange.deps.store.getInbound(huzhou.id, id);
      for (const d of inbound!.localDeliveries) expect(d.status).toBe('held');
      expect((await pulled(suzhou)).map((i) => i.messageId)).not.toContain(id);
      expect(await blobs(suzhou).blobSize(sha256(bytes))).toBeUndefined();
      release();
      const item = await eventually(async () => (await pulled(suzhou)).find((i) => i.messageId === id));
      expect(ranges).toEqual([null, 'bytes=100000-', 'bytes=200000-']);
      const file = await fetch(`${suzhou.url}${item.attachments[0]!.href}`, { headers: auth(suzhou) });
      expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes));
      expect((await settled(id)).files?.[0]?.status).toBe('arrived');
    } finally {
      tamper = undefined;
      release();
    }
  });

  it('2c. a sender that ignores the range of a resumption (200, the whole file) is fetched afresh', async () => {
    const bytes = pdfBytes(250_000, 24);
    let calls = 0;
    ranges.length = 0;
    tamper = async (url, response, request) => {
      calls += 1;
      if (calls === 1) return truncated(response, 100_000);
      if (calls > 2) return response;
      await response.body?.cancel();
      const headers = new Headers(request?.headers);
      headers.delete('range');
      return fetch(url, { headers });
    };
    try {
      const id = await send({ bytes });
      const item = await eventually(async () => (await pulled(suzhou)).find((i) => i.messageId === id));
      // The whole file came back for the range: the part went, the next try started over.
      expect(ranges).toEqual([null, 'bytes=100000-', null]);
      const file = await fetch(`${suzhou.url}${item.attachments[0]!.href}`, { headers: auth(suzhou) });
      expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes));
      expect((await settled(id)).files?.[0]?.status).toBe('arrived');
    } finally {
      tamper = undefined;
    }
  });

  it('3. a file swapped on the sender’s disk after signing: attachment_digest_mismatch', async () => {
    const bytes = pdfBytes(120_000, 31);
    const swapped = pdfBytes(120_000, 32);
    const path = blobPath(huzhou, sha256(bytes));
    beforeFetch = async () => {
      rmSync(path, { force: true });
      writeFileSync(path, swapped);
    };
    try {
      const id = await send({ bytes });
      await refusedInTransit(id, 'attachment_digest_mismatch', [sha256(bytes), sha256(swapped)]);
    } finally {
      beforeFetch = undefined;
    }
  });
});

describe('uploads over the limits', () => {
  it('4a. Upload-Length above maxFileBytes: attachment_too_large, nothing created', async () => {
    const before = parts(huzhou);
    const open = await huzhou.exchange.deps.store.openUploads(huzhou.localSystem, Date.now());
    const res = await fetch(`${huzhou.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        ...auth(huzhou),
        ...TUS,
        'upload-length': '1000001',
        'upload-metadata': `filename ${b64('大.pdf')}`,
      },
    });
    expect(await problem(res)).toMatchObject({ status: 413, code: 'attachment_too_large' });
    expect(parts(huzhou)).toEqual(before);
    expect(await huzhou.exchange.deps.store.openUploads(huzhou.localSystem, Date.now())).toEqual(open);
  });

  it('4b. a PATCH with more bytes than Upload-Length: attachment_size_mismatch, the upload gone', async () => {
    const bytes = pdfBytes(12_000, 41);
    const id = await create(huzhou, 10_000);
    expect(await problem(await patch(huzhou, id, 0, bytes))).toMatchObject({
      status: 422,
      code: 'attachment_size_mismatch',
    });
    await nothingKept(huzhou, id, bytes.subarray(0, 10_000));
    expect((await head(huzhou, id)).status).toBe(404);
  });

  it('4c. files that together exceed maxMessageBytes: attachments_too_large, nothing sent', async () => {
    const a = pdfBytes(800_000, 42);
    const b = pdfBytes(800_000, 43);
    const ua = await tusUpload(huzhou.url, huzhou.apiKey, a);
    const ub = await tusUpload(huzhou.url, huzhou.apiKey, b);
    const res = await huzhou.submit({
      to: suzhou.id,
      domain: 'food-safety',
      type: 'assistance-request',
      body: example('food-safety', 'zj', 'assistance-request'),
      attachments: [{ upload: ua.id }, { upload: ub.id }],
    });
    expect(await problem(res)).toMatchObject({ status: 413, code: 'attachments_too_large' });
    // Nothing consumed: the uploads stay the system's, for a smaller message.
    for (const u of [ua, ub])
      expect(await huzhou.exchange.deps.store.getUpload(u.id, huzhou.localSystem)).toMatchObject({
        id: u.id,
      });
  });
});

describe('formats disguised by their names', () => {
  const PE = (() => {
    const out = new Uint8Array(8192);
    out.set([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
    out.set([0x40, 0, 0, 0], 0x3c);
    out.set([0x50, 0x45, 0, 0], 0x40);
    return out;
  })();

  it('5a. an ELF or a PE named 报告.pdf is refused at the first PATCH (attachment_type_refused)', async () => {
    for (const bytes of [elfBytes(8192), PE]) {
      // Declared far longer than the head: the refusal comes before the rest is sent.
      const id = await create(huzhou, 500_000, '报告.pdf');
      expect(await problem(await patch(huzhou, id, 0, bytes))).toMatchObject({
        status: 415,
        code: 'attachment_type_refused',
      });
      await nothingKept(huzhou, id, bytes);
      expect((await patch(huzhou, id, 8192, bytes)).status).toBe(404);
    }
  });

  it('5b. an HTML page named .jpg (refused) and a PNG named .pdf (mismatch)', async () => {
    const html = new TextEncoder().encode(
      `<!DOCTYPE html><html><body><script>alert(1)</script>${' '.repeat(5000)}</body></html>`,
    );
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0,
      0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ]);
    for (const [bytes, name, code] of [
      [html, '现场照片.jpg', 'attachment_type_refused'],
      [png, '报告.pdf', 'attachment_type_mismatch'],
    ] as const) {
      const id = await create(huzhou, bytes.length, name);
      expect(await problem(await patch(huzhou, id, 0, bytes))).toMatchObject({ status: 415, code });
      await nothingKept(huzhou, id, bytes);
    }
  });
});

describe('hostile file names', () => {
  it.each([
    ['../../etc/passwd'],
    ['..\\x.pdf'],
    ['a/b.pdf'],
    ['a\u0000b.pdf'],
    ['报告\u202Efdp.exe'],
    ['CON.pdf'],
    [`${'报'.repeat(296)}.pdf`],
    ['..'],
    [' 报告.pdf'],
  ])('6. %j is refused as attachment_name_invalid, nothing created', async (name) => {
    const before = parts(huzhou);
    const res = await fetch(`${huzhou.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        ...auth(huzhou),
        ...TUS,
        'upload-length': '100',
        'upload-metadata': `filename ${b64(name)}`,
      },
    });
    expect(await problem(res)).toMatchObject({ status: 422, code: 'attachment_name_invalid' });
    expect(parts(huzhou)).toEqual(before);
  });

  it('6. a Chinese name is kept exactly, end to end', async () => {
    const name = '行政处罚决定书（2024）第12号.pdf';
    const bytes = pdfBytes(50_000, 61);
    const id = await send({ bytes, name });
    const item = await eventually(async () => (await pulled(suzhou)).find((i) => i.messageId === id));
    expect(item.attachments[0]!.name).toBe(name);
    const file = await fetch(`${suzhou.url}${item.attachments[0]!.href}`, { headers: auth(suzhou) });
    const disposition = file.headers.get('content-disposition') ?? '';
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe(name);
    expect(sha256(new Uint8Array(await file.arrayBuffer()))).toBe(sha256(bytes));
    const status = await settled(id);
    expect(status.files?.[0]?.status).toBe('arrived');
    const sent = await fetch(`${huzhou.url}/v1/messages/${id}`, { headers: auth(huzhou) });
    expect(((await sent.json()) as { attachments: { name: string }[] }).attachments[0]!.name).toBe(name);
  });
});

describe('grants replayed, forged or stale', () => {
  let first: string;
  let second: string;
  const f0 = pdfBytes(20_000, 71);
  const f1 = pdfBytes(21_000, 72);
  const f2 = pdfBytes(22_000, 73);

  beforeAll(async () => {
    first = await send({ bytes: f0 }, { bytes: f1 });
    second = await send({ bytes: f2 });
    for (const id of [first, second]) expect((await settled(id)).files?.[0]?.status).toBe('arrived');
  });

  const grant = (
    node: LiveNode,
    g: { messageId: string; index: number; digest: string; now?: number; lifetime?: number },
  ) =>
    signGrant({
      self: node.id,
      sender: huzhou.id,
      messageId: g.messageId,
      index: g.index,
      digest: g.digest,
      lifetimeSeconds: g.lifetime ?? 60,
      now: g.now ?? Date.now(),
      signer: node.state.keyring.signer,
    });

  const get = (messageId: string, index: number, token: string | undefined) =>
    fetch(`${huzhou.url}/v1/attachments/${messageId}/${index}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  it('7. the right grant is served (the control case)', async () => {
    const res = await get(first, 0, await grant(suzhou, { messageId: first, index: 0, digest: sha256(f0) }));
    expect(res.status).toBe(200);
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(f0));
  });

  it('7. a grant for another message, file, digest or recipient: attachment_grant_mismatch', async () => {
    const cases: [string, number, Promise<string>][] = [
      // Another message.
      [second, 0, grant(suzhou, { messageId: first, index: 0, digest: sha256(f0) })],
      // Another file of the same message.
      [first, 1, grant(suzhou, { messageId: first, index: 0, digest: sha256(f0) })],
      // Another digest.
      [first, 0, grant(suzhou, { messageId: first, index: 0, digest: sha256(f1) })],
      // Another node (a partner of the sender, but not a recipient of the message).
      [first, 0, grant(shanghai, { messageId: first, index: 0, digest: sha256(f0) })],
    ];
    for (const [messageId, index, token] of cases)
      expect(await problem(await get(messageId, index, await token))).toMatchObject({
        status: 403,
        code: 'attachment_grant_mismatch',
      });
  });

  it('7. an expired grant, one living over 300 s, none, and one signed by an unknown key are refused', async () => {
    const digest = sha256(f0);
    const expired = await grant(suzhou, {
      messageId: first,
      index: 0,
      digest,
      now: Date.now() - 15 * 60_000,
    });
    expect((await problem(await get(first, 0, expired))).code).toMatch(/^jws_/);

    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      iss: suzhou.id,
      aud: huzhou.id,
      jti: `g${iat}`,
      iat,
      messageId: first,
      index: 0,
      digest,
    };
    const long = await signCompact({ ...claims, exp: iat + 600 }, GRANT_TYP, suzhou.state.keyring.signer);
    expect(await problem(await get(first, 0, long))).toMatchObject({
      status: 401,
      code: 'attachment_grant_invalid',
    });

    expect(await problem(await get(first, 0, undefined))).toMatchObject({
      status: 401,
      code: 'attachment_grant_invalid',
    });
    expect((await get(first, 0, 'not-a-token')).status).toBeGreaterThanOrEqual(400);

    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const stranger: Signer = { kid: 'stranger-2024', alg: 'ES256', key: pair.privateKey };
    const unknown = await signCompact({ ...claims, exp: iat + 60 }, GRANT_TYP, stranger);
    expect((await problem(await get(first, 0, unknown))).code).toMatch(/^jws_/);
    // Suzhou's kid, another key: the signature does not verify.
    const forged = await signCompact({ ...claims, exp: iat + 60 }, GRANT_TYP, {
      ...stranger,
      kid: suzhou.state.keyring.signer.kid,
    });
    expect(await problem(await get(first, 0, forged))).toMatchObject({ code: 'jws_signature_invalid' });
    // A grant for the sender, from itself as "recipient", with another typ: not a grant.
    const receiptTyped = await signCompact(
      { ...claims, exp: iat + 60 },
      'yrdx+jwt',
      suzhou.state.keyring.signer,
    );
    expect((await problem(await get(first, 0, receiptTyped))).code).toMatch(/^jws_/);
  });
});

describe('tus protocol abuse', () => {
  it('8. a wrong Tus-Resumable: 412', async () => {
    const res = await fetch(`${huzhou.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        ...auth(huzhou),
        'tus-resumable': '0.2.2',
        'upload-length': '10',
        'upload-metadata': `filename ${b64('a.pdf')}`,
      },
    });
    expect(await problem(res)).toMatchObject({ status: 412, code: 'tus_version_unsupported' });
    const id = await create(huzhou, 10);
    const noVersion = await fetch(`${huzhou.url}/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: { ...auth(huzhou), ...OCTETS, 'upload-offset': '0' },
      body: new Uint8Array(10),
    });
    expect(await problem(noVersion)).toMatchObject({ status: 412, code: 'tus_version_unsupported' });
    expect(parts(huzhou)).not.toContain(id);
  });

  it('8. a PATCH at the wrong Upload-Offset: 409; with the wrong content type: 415', async () => {
    const bytes = pdfBytes(10_000, 81);
    const id = await create(huzhou, bytes.length);
    expect((await patch(huzhou, id, 0, bytes.subarray(0, 5000))).status).toBe(204);
    expect((await head(huzhou, id)).headers.get('upload-offset')).toBe('5000');
    expect(await problem(await patch(huzhou, id, 4000, bytes.subarray(4000)))).toMatchObject({
      status: 409,
      code: 'upload_offset_mismatch',
    });
    expect(await problem(await patch(huzhou, id, 6000, bytes.subarray(6000)))).toMatchObject({ status: 409 });
    const wrongType = await fetch(`${huzhou.url}/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: {
        ...auth(huzhou),
        ...TUS,
        'content-type': 'application/octet-stream',
        'upload-offset': '5000',
      },
      body: bytes.subarray(5000) as Uint8Array<ArrayBuffer>,
    });
    expect(await problem(wrongType)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    // None of them moved the upload.
    const state = await head(huzhou, id);
    expect(state.status).toBe(200);
    expect(state.headers.get('upload-offset')).toBe('5000');
    expect(state.headers.get('upload-length')).toBe('10000');
    // GET is not tus: only HEAD tells an upload's state.
    expect(
      (await fetch(`${huzhou.url}/v1/uploads/${id}`, { headers: { ...auth(huzhou), ...TUS } })).status,
    ).toBe(404);
    expect((await patch(huzhou, id, 5000, bytes.subarray(5000))).status).toBe(204);
    expect(await blobs(huzhou).blobSize(sha256(bytes))).toBe(bytes.length);
  });

  it('8. another local system’s upload id: 404 to HEAD, PATCH, DELETE and submission', async () => {
    const bytes = pdfBytes(5000, 82);
    const theirs = await create(huzhou, bytes.length, '他人材料.pdf', otherKey);
    expect((await head(huzhou, theirs)).status).toBe(404);
    expect(await problem(await patch(huzhou, theirs, 0, bytes))).toMatchObject({
      status: 404,
      code: 'upload_not_found',
    });
    const del = await fetch(`${huzhou.url}/v1/uploads/${theirs}`, {
      method: 'DELETE',
      headers: { ...auth(huzhou), ...TUS },
    });
    expect(del.status).toBe(404);
    expect(parts(huzhou)).not.toContain(theirs);
    // Finished by its owner, it is still not another system's to send.
    expect((await patch(huzhou, theirs, 0, bytes, otherKey)).status).toBe(204);
    const res = await huzhou.submit({
      to: suzhou.id,
      domain: 'food-safety',
      type: 'assistance-request',
      body: example('food-safety', 'zj', 'assistance-request'),
      attachments: [{ upload: theirs }],
    });
    expect(await problem(res)).toMatchObject({ status: 404, code: 'upload_not_found' });
    expect(await huzhou.exchange.deps.store.getUpload(theirs, OTHER)).toMatchObject({ id: theirs });
  });

  it('8. HEAD and PATCH after DELETE: 404, the part gone', async () => {
    const bytes = pdfBytes(10_000, 83);
    const id = await create(huzhou, bytes.length);
    expect((await patch(huzhou, id, 0, bytes.subarray(0, 5000))).status).toBe(204);
    expect(parts(huzhou)).toContain(id);
    const del = await fetch(`${huzhou.url}/v1/uploads/${id}`, {
      method: 'DELETE',
      headers: { ...auth(huzhou), ...TUS },
    });
    expect(del.status).toBe(204);
    expect((await head(huzhou, id)).status).toBe(404);
    expect(await problem(await patch(huzhou, id, 5000, bytes.subarray(5000)))).toMatchObject({
      status: 404,
      code: 'upload_not_found',
    });
    await nothingKept(huzhou, id, bytes);
  });

  it('8. Upload-Defer-Length, bad lengths and huge Upload-Metadata: 400, nothing created', async () => {
    const before = parts(huzhou);
    const open = await huzhou.exchange.deps.store.openUploads(huzhou.localSystem, Date.now());
    const tries: Record<string, string>[] = [
      { 'upload-defer-length': '1', 'upload-metadata': `filename ${b64('a.pdf')}` },
      { 'upload-length': '-1', 'upload-metadata': `filename ${b64('a.pdf')}` },
      { 'upload-length': '1e3', 'upload-metadata': `filename ${b64('a.pdf')}` },
      { 'upload-length': '99999999999999999999', 'upload-metadata': `filename ${b64('a.pdf')}` },
      { 'upload-length': '10', 'upload-metadata': `filename ${b64('a.pdf')},note ${b64('x'.repeat(5000))}` },
      {
        'upload-length': '10',
        'upload-metadata': [
          `filename ${b64('a.pdf')}`,
          ...Array.from({ length: 40 }, (_, i) => `k${i} ${b64('v')}`),
        ].join(','),
      },
      { 'upload-length': '10', 'upload-metadata': `filename ${b64('a.pdf')},filename ${b64('b.pdf')}` },
      { 'upload-length': '10', 'upload-metadata': `filename !!!` },
    ];
    for (const headers of tries) {
      const res = await fetch(`${huzhou.url}/v1/uploads`, {
        method: 'POST',
        headers: { ...auth(huzhou), ...TUS, ...headers },
      });
      expect(await problem(res), JSON.stringify(headers).slice(0, 80)).toMatchObject({
        status: 400,
        code: 'upload_header_invalid',
      });
    }
    expect(parts(huzhou)).toEqual(before);
    expect(await huzhou.exchange.deps.store.openUploads(huzhou.localSystem, Date.now())).toEqual(open);
  });
});

describe('tus-js-client', () => {
  it('uploads in several PATCHes, and the upload is then sent with a message', async () => {
    const bytes = Buffer.from(pdfBytes(200_000, 91));
    const patches: number[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new Upload(bytes, {
        endpoint: `${huzhou.url}/v1/uploads`,
        chunkSize: 64 * 1024,
        headers: auth(huzhou),
        metadata: { filename: '现场检查笔录.pdf', filetype: 'application/pdf' },
        storeFingerprintForResuming: false,
        retryDelays: [],
        onChunkComplete: (_size, accepted) => patches.push(accepted),
        onError: reject,
        onSuccess: () => resolve(upload.url!),
      });
      upload.start();
    });
    expect(patches).toEqual([65536, 131072, 196608, 200_000]);
    const id = url.split('/').at(-1)!;
    const res = await huzhou.submit({
      to: suzhou.id,
      domain: 'food-safety',
      type: 'assistance-request',
      body: example('food-safety', 'zj', 'assistance-request'),
      attachments: [{ upload: id }],
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id: messageId } = (await res.json()) as { id: string };
    const item = await eventually(async () => (await pulled(suzhou)).find((i) => i.messageId === messageId));
    expect(item.attachments[0]).toMatchObject({
      name: '现场检查笔录.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
    });
  });
});

describe('abandoned uploads', () => {
  const system = () => shanghai.localSystem;
  const createOn = (length: number) =>
    fetch(`${shanghai.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        ...auth(shanghai),
        ...TUS,
        'upload-length': String(length),
        'upload-metadata': `filename ${b64('a.pdf')}`,
      },
    });
  const del = (id: string) =>
    fetch(`${shanghai.url}/v1/uploads/${id}`, { method: 'DELETE', headers: { ...auth(shanghai), ...TUS } });

  it('a local system may keep only so many unfinished uploads, declaring only so many bytes (uploads_too_many)', async () => {
    const ids = [await create(shanghai, 5000), await create(shanghai, 5000), await create(shanghai, 5000)];
    const refused = await problem(await createOn(5000));
    expect(refused).toMatchObject({ status: 429, code: 'uploads_too_many' });
    expect(refused.detail).toContain('3 个未完成的上传');
    // A finished upload no longer counts, nor a deleted one.
    expect((await patch(shanghai, ids[0]!, 0, pdfBytes(5000, 101))).status).toBe(204);
    expect((await del(ids[1]!)).status).toBe(204);
    const more = [await create(shanghai, 5000), await create(shanghai, 5000)];
    expect((await createOn(5000)).status).toBe(429);
    for (const id of [ids[2]!, ...more]) expect((await del(id)).status).toBe(204);
    // Bytes: 2 × maxMessageBytes (200 000) declared at most by the uploads not yet sent.
    await create(shanghai, 90_000);
    await create(shanghai, 90_000);
    // The finished upload (5 000 bytes, not yet sent) counts too.
    expect(await problem(await createOn(15_001))).toMatchObject({ status: 429, code: 'uploads_too_many' });
    expect((await createOn(15_000)).status).toBe(201);
    expect(await shanghai.exchange.deps.store.openUploads(system(), Date.now() + skew)).toEqual({
      count: 3,
      bytes: 200_000,
    });
  });

  it('expired uploads are refused at once and swept with their parts by the node', async () => {
    const open = await shanghai.exchange.deps.store.openUploads(system(), Date.now() + skew);
    expect(open.count).toBe(3);
    // Bytes in one of them, so that a part is on disk.
    const expired = (
      await shanghai.exchange.deps.store.expiredUploads(Date.now() + 25 * 3600_000, 10)
    ).filter((u) => u.completedAt === undefined);
    expect(expired).toHaveLength(3);
    const target = expired.find((u) => u.length === 15_000)!;
    expect((await patch(shanghai, target.id, 0, pdfBytes(15_000, 102).subarray(0, 8000))).status).toBe(204);
    expect(parts(shanghai)).toContain(target.id);
    expect((await head(shanghai, target.id)).headers.get('upload-offset')).toBe('8000');
    skew = 25 * 3600_000;
    // Expired: gone for the client at once.
    expect((await head(shanghai, target.id)).status).toBe(404);
    // Swept by the node within its next minute (its clock moved a day ahead).
    await eventually(
      async () => (parts(shanghai).includes(target.id) ? undefined : true),
      20_000,
      'the sweep',
    );
    for (const u of expired)
      expect(await shanghai.exchange.deps.store.getUpload(u.id, system())).toBeUndefined();
    expect(await shanghai.exchange.deps.store.expiredUploads(Date.now() + skew, 10)).toEqual([]);
    // The quota is free again.
    expect((await createOn(90_000)).status).toBe(201);
  });
});
