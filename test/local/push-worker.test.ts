import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { ContractRegistry } from '../../src/contracts/registry.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { deliveryHeaders, localPushWorker } from '../../src/exchange/local/push-worker.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import type { Store } from '../../src/store/port.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { FakeClock } from '../helpers/nodes.js';
import { tempDir } from '../helpers/tmp.js';

/** Pushes to a local system simulated with msw, over a real SQLite store and a fake clock. */
const server = setupServer();
const LOCAL = 'https://case.sz.example/yrdx';
const clock = new FakeClock();
let deps: ExchangeDeps;
let store: Store;
let n = 0;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  const config = validateNodeConfig(
    {
      id: '320500',
      name: '苏州市',
      province: 'js',
      publicUrl: 'https://yrdx.suzhou.example',
      keys: { source: 'file' },
      delivery: { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 4000 },
      localSystems: [
        {
          id: 'sz-case',
          name: '苏州案件系统',
          dialect: 'js',
          apiKeys: [`sha256:${'0'.repeat(64)}`],
          maySend: { domains: [], types: [] },
          receives: { domains: ['food-safety'], types: ['notification'] },
          delivery: { mode: 'push', url: LOCAL },
        },
      ],
      partners: [],
    },
    { file: 'test' },
  );
  const keyring = await NodeKeyring.load(await createKeyring('320500', 'EdDSA', clock.now()), '320500', {
    retainRetiredSeconds: 3600,
  });
  store = sqliteStore(join(tempDir('yrdx-push-'), 'yrdx.sqlite'));
  await store.migrate();
  deps = {
    config,
    store,
    keyring: () => keyring,
    partners: await PartnerRegistry.create([], { file: 'test', ownId: '320500', ownThumbprints: [] }),
    contracts: new ContractRegistry(),
    now: clock.now,
    fetch: (...a) => globalThis.fetch(...a),
  };
});
afterAll(async () => {
  server.close();
  await store.close();
});
beforeEach(() => server.resetHandlers());

async function receive(): Promise<string> {
  const jti = `01PUSHTEST${String(++n).padStart(16, '0')}`;
  await store.receiveInbound(
    {
      iss: '330500',
      jti,
      sha256: 'ab'.repeat(32),
      token: 'x.y.z',
      type: 'notification',
      domain: 'food-safety',
      contract: 'food-safety@1.0.0',
      thread: jti,
      expiresAt: clock.now() + 86_400_000,
      canonical: {},
      receipt: { token: 'r.r.r', sha256: 'cd'.repeat(32) },
      localDeliveries: [{ localSystem: 'sz-case', mode: 'push', body: { case_no: jti } }],
    },
    clock.now(),
  );
  return jti;
}

const statusOf = async (jti: string) => (await store.getInbound('330500', jti))!.localDeliveries[0]!.status;

describe('the local push worker', () => {
  it('posts the dialect body with the yrdx headers', async () => {
    const jti = await receive();
    let seen: Request | undefined;
    let body: unknown;
    server.use(
      http.post(LOCAL, async ({ request }) => {
        seen = request;
        body = await request.json();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await localPushWorker(deps, { worker: 'w' }).runOnce();
    expect(body).toEqual({ case_no: jti });
    expect(Object.fromEntries([...seen!.headers].filter(([k]) => k.startsWith('x-yrdx-')))).toEqual({
      'x-yrdx-message-id': jti,
      'x-yrdx-sender': '330500',
      'x-yrdx-type': 'notification',
      'x-yrdx-domain': 'food-safety',
      'x-yrdx-thread': jti,
      // Issue 16: every push says how many canonical values the dialect could not carry (here none).
      'x-yrdx-losses': '0',
    });
    expect(await statusOf(jti)).toBe('delivered');
  });

  it('retries 5xx and network errors, then gives up after the retry budget; a requeue delivers it', async () => {
    clock.advance(86_400);
    const jti = await receive();
    let calls = 0;
    server.use(
      http.post(LOCAL, () => {
        calls++;
        return calls % 2 === 0 ? HttpResponse.error() : new HttpResponse('down', { status: 502 });
      }),
    );
    const worker = localPushWorker(deps, { worker: 'w' });
    for (let i = 0; i < 3; i++) {
      await worker.runOnce();
      clock.advance(10);
    }
    expect(calls).toBe(3);
    expect(await statusOf(jti)).toBe('dead');
    const dead = (await store.getInbound('330500', jti))!.localDeliveries[0]!;
    expect(dead).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/retry budget/) });
    server.use(http.post(LOCAL, () => new HttpResponse(null, { status: 200 })));
    expect(await store.requeueLocalPush(dead.id, clock.now())).toBe(true);
    await worker.runOnce();
    expect(await statusOf(jti)).toBe('delivered');
  });

  it('treats a 4xx answer of the local system as final', async () => {
    clock.advance(86_400);
    const jti = await receive();
    server.use(http.post(LOCAL, () => new HttpResponse('no', { status: 400 })));
    await localPushWorker(deps, { worker: 'w' }).runOnce();
    expect(await statusOf(jti)).toBe('dead');
  });
});

describe('the loss headers of a push', () => {
  const item = {
    iss: '330500',
    jti: '01LOSS',
    type: 'notification',
    domain: 'food-safety',
    thread: '01LOSS',
  } as const;

  it('name the count, the lost pointers as ASCII JSON and the canonical document', () => {
    const h = deliveryHeaders({ ...item, losses: { pointers: ['/parties/1', '/items/0/名称'], omitted: 3 } });
    expect(h['x-yrdx-losses']).toBe('5');
    expect(h['x-yrdx-lost']).toBe('["/parties/1","/items/0/\\u540d\\u79f0"]');
    expect(JSON.parse(h['x-yrdx-lost']!)).toEqual(['/parties/1', '/items/0/名称']);
    expect(h.link).toBe('</v1/inbox/messages/01LOSS/canonical>; rel="canonical"');
  });

  it('keep the pointer list within 4096 bytes, whole items only; the count has them all', () => {
    const pointers = Array.from({ length: 100 }, (_, i) => `/parties/${i}/${'名'.repeat(20)}`);
    const h = deliveryHeaders({ ...item, losses: { pointers, omitted: 0 } });
    expect(h['x-yrdx-losses']).toBe('100');
    expect(h['x-yrdx-lost']!.length).toBeLessThanOrEqual(4096);
    const listed = JSON.parse(h['x-yrdx-lost']!) as string[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).toEqual(pointers.slice(0, listed.length));
    expect(/^[\x20-\x7e]*$/.test(h['x-yrdx-lost']!)).toBe(true);
  });
});
