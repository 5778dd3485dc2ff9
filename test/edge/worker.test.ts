import { readFileSync } from 'node:fs';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/contracts/translate.js';
import { verifyReceipt } from '../../src/envelope/receipt.js';
import { sealMessage } from '../../src/envelope/seal.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { requireBundle, type WorkerNode, workerNode } from './worker-node.js';

/**
 * The edge build, proven in workerd: the bundled Worker (dist-worker/worker.js) in Miniflare with a
 * local D1 database, as Suzhou (Jiangsu dialect, pull), beside Huzhou as a real Node node (Zhejiang
 * dialect, push, SQLite). workerd refuses code generation as Workers do, so every validator that
 * runs here is one generated at build time.
 */
let suzhou: WorkerNode;
/** A second Worker node, with a Cloudflare Queue bound for the work its requests store. */
let wuxi: WorkerNode;
let huzhou: LiveNode;
/** Between the Worker and Huzhou's inbox: passes calls through, or answers 503 while `busy`. */
let gate: { url: string; busy: boolean; close(): Promise<void> };

async function startGate(target: string): Promise<typeof gate> {
  let busy = false;
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve(
      {
        fetch: async (req) => {
          if (busy) return new Response('busy', { status: 503 });
          const url = new URL(req.url);
          const body = req.method === 'GET' ? undefined : await req.arrayBuffer();
          return fetch(`${target}${url.pathname}${url.search}`, {
            method: req.method,
            headers: req.headers,
            ...(body === undefined ? {} : { body }),
          });
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
    get busy() {
      return busy;
    },
    set busy(value: boolean) {
      busy = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

const canonical = (dialect: string, type: string, body: unknown) =>
  translate(huzhou.state.contracts.latest('food-safety')!, dialect, 'canonical', type as never, body);

interface StatusDoc {
  status: string;
  deliveries: { recipient: string; status: string; receipt?: { sha256: string } }[];
  history: { event: string }[];
}

async function status(url: string, apiKey: string, id: string): Promise<StatusDoc> {
  const res = await fetch(`${url}/v1/messages/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as StatusDoc;
}

/** A Worker node's case system sends Huzhou a food-safety notification; resolves to its message id. */
async function notifyHuzhou(node: WorkerNode): Promise<string> {
  const submitted = await node.submit({
    to: '330500',
    domain: 'food-safety',
    type: 'notification',
    body: example('js', 'notification'),
  });
  const text = await submitted.text();
  expect(submitted.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

interface PullItem {
  cursor: string;
  messageId: string;
  sender: string;
  type: string;
  thread: string;
  body: Record<string, unknown>;
}

async function pull(node: WorkerNode): Promise<PullItem[]> {
  const res = await fetch(`${node.url}/v1/inbox/messages`, {
    headers: { authorization: `Bearer ${node.apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: PullItem[] }).items;
}

beforeAll(async () => {
  requireBundle();
  suzhou = await workerNode({ id: '320500', name: '苏州市', province: 'js', algorithm: 'EdDSA' });
  wuxi = await workerNode({ id: '320200', name: '无锡市', province: 'js', queue: true });
  [huzhou] = (await startNodes([{ id: '330500', name: '湖州市', province: 'zj' }], tempDir('yrdx-edge-'), {
    external: [suzhou.member, wuxi.member],
  })) as [LiveNode];
  gate = await startGate(huzhou.url);
  await suzhou.start([suzhou.member, { ...huzhou.member, url: gate.url }]);
  await wuxi.start([wuxi.member, huzhou.member]);
}, patient(60_000));

afterAll(async () => {
  await huzhou?.stop();
  await suzhou?.stop();
  await wuxi?.stop();
  await gate?.close();
});

describe('the bundled Worker in workerd (Miniflare, D1)', () => {
  it('carries no code generation: no eval, no new Function, no ajv compiler', () => {
    const bundle = requireBundle();
    // The global eval, not a method of that name (re2js's prefilters define and call one).
    expect(bundle).not.toMatch(/(?<![.\w$])eval\((?![^)]*\)\s*\{)|new Function\(/);
    expect(bundle).not.toContain('ajv/dist/compile/index.js');
  });

  it('serves its well-known documents, health and readiness', async () => {
    const node = (await (await fetch(`${suzhou.url}/.well-known/yrdx-node`)).json()) as {
      id: string;
      endpoints: Record<string, string>;
    };
    expect(node.id).toBe('320500');
    const jwks = (await (await fetch(`${suzhou.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(suzhou.member.jwks.keys.map((k) => k.kid).sort());
    expect((await fetch(`${suzhou.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${suzhou.url}/readyz`);
    expect(ready.status, await ready.clone().text()).toBe(200);
  });

  it('opens, translates, stores and receipts a message sealed with a partner’s key', async () => {
    const body = canonical('zj', 'notification', example('zj', 'notification'));
    // Sealed under the version the body was translated with (the newest: what new messages use).
    const contract = huzhou.state.contracts.latest('food-safety')!.id;
    const sealed = await sealMessage(
      { to: '320500', type: 'notification', domain: 'food-safety', contract, body },
      {
        self: '330500',
        signer: huzhou.state.keyring.signer,
        policy: huzhou.state.config.envelope,
        now: Date.now,
      },
    );
    const post = () =>
      fetch(`${suzhou.url}/v1/inbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: sealed.token,
      });
    const answer = await post();
    const receipt = await answer.text();
    expect(answer.status, receipt).toBe(200);
    const verified = await verifyReceipt(
      receipt,
      { token: sealed.token, claims: sealed.claims },
      {
        self: '330500',
        expectedIssuer: '320500',
        keys: huzhou.state.partners,
        policy: huzhou.state.config.envelope,
        now: Date.now,
      },
    );
    expect(verified.claims).toMatchObject({ messageId: sealed.claims.jti, status: 'accepted' });
    // The same bytes again: the stored receipt, nothing stored twice.
    const again = await post();
    expect(await again.text()).toBe(receipt);

    const item = (await pull(suzhou)).find((i) => i.messageId === sealed.claims.jti);
    expect(item).toMatchObject({ sender: '330500', type: 'notification' });
    // Stored in the Jiangsu dialect, with the canonical content that was sent.
    expect(canonical('js', 'notification', item?.body)).toEqual(body);
  });

  it('delivers a submitted message right after answering, without waiting for the cron', async () => {
    const id = await notifyHuzhou(suzhou);

    // No cron run: the request's waitUntil delivers it.
    const after = await eventually(
      async () => {
        const doc = await status(suzhou.url, suzhou.apiKey, id);
        return doc.status === 'delivered' ? doc : undefined;
      },
      15_000,
      'the Worker’s message delivered without a cron run',
    );
    expect(after.deliveries[0]?.receipt?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(after.history.map((h) => h.event)).toEqual(
      expect.arrayContaining(['submitted', 'sending', 'receipt-verified', 'delivered']),
    );
    const pushed = await eventually(
      () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
      15_000,
      'the push to Huzhou’s case system',
    );
    expect(canonical('zj', 'notification', pushed.body)).toEqual(
      canonical('js', 'notification', example('js', 'notification')),
    );
  });

  it('hands the work to its queue when one is bound; the queue consumer delivers it', async () => {
    const id = await notifyHuzhou(wuxi);
    await eventually(
      async () => ((await status(wuxi.url, wuxi.apiKey, id)).status === 'delivered' ? true : undefined),
      15_000,
      'the message delivered by the queue consumer',
    );
    expect(wuxi.logs).toContainEqual(expect.objectContaining({ msg: 'queue run', work: ['delivery'] }));
    expect(wuxi.logs.some((l) => l.msg === 'cron run')).toBe(false);
    await eventually(
      () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
      15_000,
      'the push to Huzhou’s case system',
    );
  });

  it('leaves a delivery that failed right after the request to the cron, which delivers it', async () => {
    gate.busy = true;
    try {
      const id = await notifyHuzhou(suzhou);
      const waiting = await eventually(
        async () => {
          const doc = await status(suzhou.url, suzhou.apiKey, id);
          return doc.deliveries[0]?.status === 'retry' ? doc : undefined;
        },
        15_000,
        'the first attempt answered 503',
      );
      expect(waiting.status).not.toBe('delivered');
      gate.busy = false;
      // The retry time (≤ 200 ms here) passes; the next cron run delivers it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await suzhou.cron();
      expect((await status(suzhou.url, suzhou.apiKey, id)).status).toBe('delivered');
      expect(suzhou.logs.some((l) => l.msg === 'cron run' && Number(l.deliveries) >= 1)).toBe(true);
    } finally {
      gate.busy = false;
    }
  });

  it('serves the admin API with credentials from a secret; the contract lifecycle answers 501', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${suzhou.url}/admin/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${suzhou.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await fetch(`${suzhou.url}/admin/v1/partners`)).status).toBe(401);
    const partners = (await (await admin('GET', '/partners')).json()) as { items: { id: string }[] };
    expect(partners.items.map((p) => p.id)).toEqual(['330500']);
    // The partner schema is checked by the validator generated at build time.
    const invalid = await admin('POST', '/partners', { id: '310000', baseUrl: 'ftp://x' });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: { pointer: string }[] }).errors.length).toBeGreaterThan(0);
    const files = readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]!;
    const upload = await admin('POST', '/contracts', {
      contract: files.contract,
      canonical: files.canonical,
      dialects: files.dialects,
    });
    expect(upload.status).toBe(501);
    expect(((await upload.json()) as { code: string }).code).toBe('admin_unsupported');
    const search = (await (await admin('GET', '/messages?direction=outbound')).json()) as {
      items: { direction: string }[];
    };
    expect(search.items.length).toBeGreaterThan(0);
  });

  it('logs JSON lines with the fields of the Node runtime, redacted', () => {
    const line = suzhou.logs.find((l) => typeof l.msg === 'string' && l.level === 30);
    expect(line).toMatchObject({ service: 'yrdx', time: expect.any(Number) });
    expect(JSON.stringify(suzhou.logs)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

describe('a mixed federation: a Node node and a Workers node', () => {
  it('exchange a request and its reply in both directions, each verifying the other’s receipt', async () => {
    const request = await huzhou.submit(
      {
        to: '320500',
        domain: 'food-safety',
        type: 'assistance-request',
        body: example('zj', 'assistance-request'),
      },
      { 'idempotency-key': 'edge-req-1' },
    );
    expect(request.status).toBe(202);
    const accepted = (await request.json()) as { id: string; thread: string };
    // Node → Workers: Huzhou's delivery loop posts to the Worker's inbox and verifies its receipt.
    const delivered = await eventually(
      async () => {
        const doc = await status(huzhou.url, huzhou.apiKey, accepted.id);
        return doc.status === 'delivered' ? doc : undefined;
      },
      15_000,
      'Huzhou’s request delivered to the Worker',
    );
    expect(delivered.deliveries[0]).toMatchObject({ recipient: '320500', status: 'delivered' });
    const received = (await pull(suzhou)).find((i) => i.messageId === accepted.id);
    expect(received).toMatchObject({ sender: '330500', type: 'assistance-request', thread: accepted.thread });
    expect(canonical('js', 'assistance-request', received?.body)).toEqual(
      canonical('zj', 'assistance-request', example('zj', 'assistance-request')),
    );

    // Workers → Node: the reply, delivered right after the Worker answers; Huzhou's thread closes.
    const reply = await suzhou.submit({
      to: '330500',
      domain: 'food-safety',
      type: 'assistance-reply',
      inReplyTo: accepted.id,
      body: example('js', 'assistance-reply'),
    });
    const replyText = await reply.text();
    expect(reply.status, replyText).toBe(202);
    const replyId = (JSON.parse(replyText) as { id: string }).id;
    await eventually(
      async () =>
        (await status(suzhou.url, suzhou.apiKey, replyId)).status === 'delivered' ? true : undefined,
      15_000,
      'the Worker’s reply delivered',
    );
    const thread = await eventually(
      async () => {
        const t = await huzhou.exchange.deps.store.getThread(accepted.thread);
        return t?.status === 'closed' ? t : undefined;
      },
      15_000,
      'Huzhou’s thread closed',
    );
    expect(thread.replyId).toBe(replyId);
    // Huzhou holds the Worker's receipt for the request, and the Worker's reply with its receipt in its log.
    const audit = await huzhou.exchange.deps.store.auditForMessage(accepted.id);
    expect(audit.map((e) => e.kind)).toEqual(['message-out', 'receipt-in']);
    const inbound = await huzhou.exchange.deps.store.auditForMessage(replyId);
    expect(inbound.map((e) => e.kind)).toEqual(['message-in', 'receipt-out']);
  });
});
