import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { translate } from '../../src/contracts/translate.js';
import { sealMessage } from '../../src/envelope/seal.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { createMetrics } from '../../src/metrics/yrdx.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { FakeClock, type TestNode, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { SUZHOU_API_KEY, suzhouExchange, suzhouNode } from '../helpers/suzhou.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The exchange's rate limits, per threat level: every POST /v1/inbox per remote address before
 * anything is verified; per partner once a message's signature verifies (forgeries in a partner's
 * name cannot spend its budget); per local system on its routes, and per address without a valid
 * API key. Over a limit: 429 `rate_limited` as problem+json with Retry-After.
 */
const clock = new FakeClock();
let app: ReturnType<typeof buildApp>;
let deps: ExchangeDeps;
let huzhou: TestNode;
let impostor: TestNode;
const metrics = createMetrics();

beforeAll(async () => {
  huzhou = await testNode('330500');
  // Another key under Huzhou's kid: its signatures do not verify.
  impostor = await testNode('330500');
  const suzhou = await suzhouNode({
    clock,
    huzhou,
    config: {
      rateLimits: {
        partnerAddress: { perMinute: 60, burst: 5 },
        partner: { perMinute: 60, burst: 3 },
        localSystem: { perMinute: 60, burst: 4 },
        anonymous: { perMinute: 60, burst: 2 },
      },
    },
  });
  const store = sqliteStore(join(tempDir('yrdx-rate-'), 'yrdx.sqlite'));
  deps = {
    ...(await suzhouExchange(suzhou, store, clock)),
    // In-process requests have no socket: the test names the caller's address.
    remoteAddress: (c) => c.req.header('x-test-address'),
    metrics,
  };
  app = buildApp({ ...suzhou, exchange: deps, now: clock.now });
}, patient(30_000));

const inbox = (body: string, address: string) =>
  app.request('/v1/inbox', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/jose', 'x-test-address': address },
  });

let addresses = 0;
/** A fresh address for each request, so that only the partner's bucket is in play. */
const anywhere = () => `198.51.100.${++addresses}`;

async function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await res.json()) as { code: string }).code).toBe('rate_limited');
}

const assistance = async (signer: TestNode['signer']) =>
  (
    await sealMessage(
      {
        to: '320500',
        type: 'assistance-request',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        body: translate(
          deps.contracts.accepting('food-safety', '1.0.0')!,
          'zj',
          'canonical',
          'assistance-request',
          JSON.parse(
            readFileSync('contracts/food-safety/1.0.0/dialects/zj/examples/assistance-request.json', 'utf8'),
          ),
        ),
      },
      { self: '330500', signer, policy: deps.config.envelope, now: clock.now },
    )
  ).token;

describe('rate limits of the exchange', () => {
  it('answer a flood at /v1/inbox from one address with 429, leaving other addresses alone', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await inbox('not.a.jws', '203.0.113.9')).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    await expectLimited(await inbox('not.a.jws', '203.0.113.9'));
    expect((await inbox('not.a.jws', '203.0.113.10')).status).not.toBe(429);
    // The addresses of one IPv6 /64 share a bucket: rotating through them does not escape the limit.
    for (let i = 0; i < 5; i++) await inbox('not.a.jws', `2001:db8:1:2::${i + 1}`);
    await expectLimited(await inbox('not.a.jws', '2001:db8:1:2:ffff::9'));
    clock.advance(60);
    expect((await inbox('not.a.jws', '203.0.113.9')).status).not.toBe(429);
  });

  it('count against a partner only the messages whose signature verifies', async () => {
    clock.advance(60);
    for (let i = 0; i < 6; i++) {
      const forged = await assistance(impostor.signer);
      const res = await inbox(forged, anywhere());
      expect(((await res.json()) as { code: string }).code).toBe('jws_signature_invalid');
    }
    for (let i = 0; i < 3; i++)
      expect((await inbox(await assistance(huzhou.signer), anywhere())).status).toBe(200);
    await expectLimited(await inbox(await assistance(huzhou.signer), anywhere()));
    clock.advance(60);
    expect((await inbox(await assistance(huzhou.signer), anywhere())).status).toBe(200);
  });

  it('limit each local system, and callers without a valid API key per address', async () => {
    const submit = (key: string, address: string) =>
      app.request('/v1/messages', {
        method: 'POST',
        body: '{}',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${key}`,
          'x-test-address': address,
        },
      });
    clock.advance(60);
    // Four requests of the local system, from any address, on any of its routes.
    expect((await submit(SUZHOU_API_KEY, anywhere())).status).toBe(422);
    expect((await submit(SUZHOU_API_KEY, anywhere())).status).toBe(422);
    const status = await app.request('/v1/messages/01NOSUCHMESSAGE', {
      headers: { authorization: `Bearer ${SUZHOU_API_KEY}`, 'x-test-address': anywhere() },
    });
    expect(status.status).toBe(404);
    const pull = await app.request('/v1/inbox/messages', {
      headers: { authorization: `Bearer ${SUZHOU_API_KEY}`, 'x-test-address': anywhere() },
    });
    expect(pull.status).toBe(200);
    await expectLimited(await submit(SUZHOU_API_KEY, anywhere()));
    // A wrong key: 401 until the address's budget is spent, then 429.
    expect((await submit('not-the-right-key-at-all', '203.0.113.50')).status).toBe(401);
    expect((await submit('not-the-right-key-at-all', '203.0.113.50')).status).toBe(401);
    await expectLimited(await submit('not-the-right-key-at-all', '203.0.113.50'));
  });

  it('count every refusal by the limit that ran out, never by address or caller', async () => {
    const text = await metrics.registry.render();
    const count = (limit: string) =>
      Number(new RegExp(`yrdx_rate_limited_total\\{limit="${limit}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('partner_address')).toBeGreaterThanOrEqual(2);
    expect(count('partner')).toBeGreaterThanOrEqual(1);
    expect(count('local_system')).toBeGreaterThanOrEqual(1);
    expect(count('anonymous')).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/yrdx_rate_limited_total\{[^}]*(203\.0|2001:db8|sz-case)/);
  });
});
