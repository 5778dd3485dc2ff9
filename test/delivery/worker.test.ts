import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { ContractRegistry } from '../../src/contracts/registry.js';
import { sealMessage, sealReceipt } from '../../src/envelope/seal.js';
import { backoffDelay, retryAfterMs } from '../../src/exchange/delivery/backoff.js';
import { deliveryWorker } from '../../src/exchange/delivery/worker.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import type { Store } from '../../src/store/port.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';
import { FakeClock, type TestNode, testNode } from '../helpers/nodes.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The delivery worker against partners simulated with msw, a real SQLite store and a fake clock:
 * retries with backoff and Retry-After, final 4xx answers, the retry budget, the circuit, receipts
 * that must verify.
 */
const server = setupServer();
const SUZHOU = 'https://yrdx.suzhou.example';
const clock = new FakeClock();
let suzhou: TestNode;
let deps: ExchangeDeps;
let store: Store;
const dir = tempDir('yrdx-worker-');
let n = 0;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  suzhou = await testNode('320500', 'EdDSA');
  const config = validateNodeConfig(
    {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'https://yrdx.huzhou.example',
      keys: { source: 'file' },
      delivery: {
        maxAttempts: 4,
        baseDelayMs: 1000,
        maxDelayMs: 8000,
        circuitFailures: 3,
        circuitOpenMs: 30_000,
        perPartnerConcurrency: 2,
      },
      partners: [
        {
          id: '320500',
          name: '苏州市',
          baseUrl: SUZHOU,
          keys: { jwks: { keys: [suzhou.publicJwk] } },
          maySend: { domains: [...DOMAINS], types: [...MESSAGE_TYPES] },
        },
      ],
    },
    { file: 'test' },
  );
  const keyring = await NodeKeyring.load(await createKeyring('330500', 'ES256', clock.now()), '330500', {
    retainRetiredSeconds: 3600,
  });
  const partners = await PartnerRegistry.create(config.partners, {
    file: 'test',
    ownId: '330500',
    ownThumbprints: [],
  });
  store = sqliteStore(join(dir, 'yrdx.sqlite'));
  await store.migrate();
  deps = {
    config,
    store,
    keyring: () => keyring,
    partners,
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

/** Stores one sealed message for Suzhou and returns its id. */
async function enqueue(): Promise<{ id: string; token: string; sha256: string }> {
  const sealed = await sealMessage(
    {
      to: '320500',
      type: 'notification',
      domain: 'food-safety',
      contract: 'food-safety@1.0.0',
      body: { n: ++n },
    },
    { self: '330500', signer: deps.keyring().signer, policy: deps.config.envelope, now: clock.now },
  );
  await store.submitOutbound(
    {
      messageId: sealed.claims.jti,
      localSystem: 'hz',
      type: 'notification',
      domain: 'food-safety',
      contract: 'food-safety@1.0.0',
      thread: sealed.claims.jti,
      token: sealed.token,
      sha256: sealed.sha256,
      expiresAt: sealed.claims.exp * 1000,
      recipients: ['320500'],
      canonical: {},
    },
    clock.now(),
  );
  return { id: sealed.claims.jti, token: sealed.token, sha256: sealed.sha256 };
}

const receiptFor = async (sha256: string, id: string) =>
  (
    await sealReceipt(
      { to: '330500', messageId: id, sha256, status: 'accepted' },
      { self: '320500', signer: suzhou.signer, policy: deps.config.envelope, now: clock.now },
    )
  ).token;

async function statusOf(id: string) {
  return (await store.getOutbound(id))!.deliveries[0]!;
}

describe('the delivery worker', () => {
  it('delivers and stores a receipt that verifies against the bytes sent', async () => {
    const m = await enqueue();
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, async ({ request }) => {
        expect(request.headers.get('content-type')).toBe('application/jose');
        const body = await request.text();
        expect(body).toBe(m.token);
        return new HttpResponse(await receiptFor(m.sha256, m.id), {
          headers: { 'content-type': 'application/jose' },
        });
      }),
    );
    await deliveryWorker(deps, { worker: 'w' }).runOnce();
    expect(await statusOf(m.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      receipt: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('retries 5xx with backoff, honours Retry-After on 429, and gives up after the retry budget', async () => {
    const m = await enqueue();
    let calls = 0;
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse('busy', { status: 503 })
          : new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '120' } });
      }),
    );
    const worker = deliveryWorker(deps, { worker: 'w' });
    await worker.runOnce();
    const first = await statusOf(m.id);
    expect(first).toMatchObject({ status: 'retry', attempts: 1, lastError: 'HTTP 503' });
    const delay = first.nextAttemptAt! - clock.now();
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(delay).toBeLessThanOrEqual(1000);
    await worker.runOnce();
    expect(calls).toBe(1); // not due yet
    clock.advance(1);
    await worker.runOnce();
    const second = await statusOf(m.id);
    expect(second).toMatchObject({ status: 'retry', attempts: 2, lastError: 'HTTP 429' });
    expect(second.nextAttemptAt! - clock.now()).toBe(120_000);
    for (let i = 0; i < 3; i++) {
      clock.advance(130);
      await worker.runOnce();
    }
    expect(await statusOf(m.id)).toMatchObject({ status: 'dead', attempts: 4 });
    expect((await statusOf(m.id)).lastError).toMatch(/retry budget of 4 attempts/);
    // an administrator's requeue sends it again
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, async () => new HttpResponse(await receiptFor(m.sha256, m.id))),
    );
    expect(await store.requeueDelivery((await statusOf(m.id)).deliveryId, clock.now())).toBe(true);
    await worker.runOnce();
    expect(await statusOf(m.id)).toMatchObject({ status: 'delivered' });
  });

  it('treats other 4xx answers as final, with the partner’s problem code', async () => {
    const m = await enqueue();
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, () =>
        HttpResponse.json(
          { code: 'not_authorised', detail: '无权发送' },
          { status: 403, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const worker = deliveryWorker(deps, { worker: 'w' });
    await worker.runOnce();
    expect(await statusOf(m.id)).toMatchObject({
      status: 'rejected',
      rejection: { status: 403, code: 'not_authorised' },
    });
    clock.advance(3600);
    expect(await worker.runOnce()).toBe(0);
  });

  it('asks which node answered an envelope refusal: the partner itself keeps it a rejection, another node makes it dead', async () => {
    let probes = 0;
    let answering = '320500';
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, () =>
        HttpResponse.json(
          { code: 'jws_unknown_issuer', detail: 'unknown issuer' },
          { status: 401, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
      http.get(`${SUZHOU}/.well-known/yrdx-node`, () => {
        probes++;
        return HttpResponse.json({ id: answering });
      }),
    );
    const worker = deliveryWorker(deps, { worker: 'w' });
    const first = await enqueue();
    await worker.runOnce();
    expect(await statusOf(first.id)).toMatchObject({
      status: 'rejected',
      rejection: { code: 'jws_unknown_issuer' },
    });
    expect(probes).toBe(1);

    answering = '310000';
    const second = await enqueue();
    await deliveryWorker(deps, { worker: 'w', lang: 'en' }).runOnce();
    const dead = await statusOf(second.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.lastError).toContain(
      `partner_wrong_node: The address ${SUZHOU} of partner 320500 Suzhou was answered by node 310000 Shanghai`,
    );
    expect(probes).toBe(2);
  });

  it('keeps a partner’s problem text that no store could hold as a final rejection, not a redelivery loop', async () => {
    const m = await enqueue();
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, () =>
        HttpResponse.json(
          { code: 'not_\u0000authorised', detail: `无权\u0000发送\ud800${'长'.repeat(2000)}` },
          { status: 403, headers: { 'content-type': 'application/problem+json' } },
        ),
      ),
    );
    const worker = deliveryWorker(deps, { worker: 'w' });
    await worker.runOnce();
    const status = await statusOf(m.id);
    expect(status).toMatchObject({ status: 'rejected', rejection: { status: 403 } });
    const { code, detail } = status.rejection as { code: string; detail: string };
    expect(code).toBe('not_\ufffdauthorised');
    expect(detail.startsWith('无权\ufffd发送\ufffd长')).toBe(true);
    expect(detail.length).toBeLessThanOrEqual(512);
    clock.advance(3600);
    expect(await worker.runOnce()).toBe(0);
  });

  it('does not accept a receipt that does not match the bytes sent', async () => {
    const m = await enqueue();
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, async () => new HttpResponse(await receiptFor('ab'.repeat(32), m.id))),
    );
    await deliveryWorker(deps, { worker: 'w' }).runOnce();
    expect(await statusOf(m.id)).toMatchObject({ status: 'retry' });
    expect((await statusOf(m.id)).lastError).toMatch(/receipt does not verify/);
  });

  it('opens the circuit after consecutive failures and stops calling the partner until it closes', async () => {
    clock.advance(86_400);
    const messages = [await enqueue(), await enqueue(), await enqueue(), await enqueue()];
    let calls = 0;
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const worker = deliveryWorker(deps, { worker: 'w' });
    // At most perPartnerConcurrency (2) calls per round; the circuit opens at the third failure.
    await worker.runOnce();
    expect(calls).toBe(2);
    expect(worker.circuits.isOpen('320500', clock.now())).toBe(false);
    await worker.runOnce();
    expect(calls).toBe(4);
    expect(worker.circuits.isOpen('320500', clock.now())).toBe(true);
    clock.advance(10);
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toBe(4);
    clock.advance(30);
    await worker.runOnce();
    expect(calls).toBeGreaterThan(4);
    expect(messages).toHaveLength(4);
  });
});

describe('a message that expired while dead', () => {
  it('is sealed again under a new id that names the one it supersedes, and delivered', async () => {
    clock.advance(86_400);
    server.use(http.post(`${SUZHOU}/v1/inbox`, () => HttpResponse.error()));
    const m = await enqueue();
    const worker = deliveryWorker(deps, { worker: 'w' });
    clock.advance(4 * 86_400);
    // Earlier tests left rows in this store; rounds go on until this message has been tried.
    for (let i = 0; i < 40 && (await store.getOutbound(m.id))?.deliveries[0]?.status !== 'dead'; i++) {
      await worker.runOnce();
      clock.advance(60);
    }
    const dead = await store.getOutbound(m.id);
    expect(dead?.deliveries[0]).toMatchObject({
      status: 'dead',
      lastError: expect.stringMatching(/expired/),
    });
    const { resealExpired } = await import('../../src/exchange/outbound/reseal.js');
    const newId = await resealExpired(dead!, {
      self: '330500',
      store,
      signer: deps.keyring().signer,
      policy: deps.config.envelope,
      now: clock.now,
    });
    expect(newId).toBeDefined();
    let claims: Record<string, unknown> = {};
    server.use(
      http.post(`${SUZHOU}/v1/inbox`, async ({ request }) => {
        const token = await request.text();
        claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
        const sha = (await import('../../src/envelope/digest.js')).sha256Hex;
        return new HttpResponse(await receiptFor(await sha(token), newId!));
      }),
    );
    worker.circuits.success('320500');
    for (let i = 0; i < 40 && (await store.getOutbound(newId!))?.deliveries[0]?.status !== 'delivered'; i++) {
      await worker.runOnce();
      clock.advance(1);
      worker.circuits.success('320500');
    }
    expect(claims).toMatchObject({
      jti: newId,
      supersedes: m.id,
      thread: m.id,
      body: { n: expect.any(Number) },
    });
    expect((await store.getOutbound(newId!))?.deliveries[0]?.status).toBe('delivered');
  });
});

describe('backoff', () => {
  it('doubles up to the ceiling with jitter in the upper half', () => {
    expect(backoffDelay(1, 1000, 8000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 8000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 8000, () => 1)).toBe(4000);
    expect(backoffDelay(10, 1000, 8000, () => 1)).toBe(8000);
  });
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 10, 28);
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
