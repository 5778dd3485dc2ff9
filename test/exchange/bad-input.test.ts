import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { ContractRegistry } from '../../src/contracts/registry.js';
import { translate } from '../../src/contracts/translate.js';
import { sealMessage } from '../../src/envelope/seal.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { FakeClock, type TestNode, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { SUZHOU_API_KEY, suzhouExchange, suzhouNode } from '../helpers/suzhou.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Every bad input gets a clear problem+json answer and changes nothing: Suzhou's node, driven
 * in-process over a real SQLite file, receiving from its local system and from Huzhou.
 */
const clock = new FakeClock();
let app: ReturnType<typeof buildApp>;
let deps: ExchangeDeps;
let huzhou: TestNode;
let contracts: ContractRegistry;
const example = (dialect: string, type: string, domain = 'food-safety') =>
  JSON.parse(
    readFileSync(`contracts/${domain}/1.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;

beforeAll(async () => {
  huzhou = await testNode('330500');
  const suzhou = await suzhouNode({
    clock,
    huzhou,
    types: ['assistance-request', 'notification'],
    config: { envelope: { maxTokenBytes: 64 * 1024 } },
  });
  deps = await suzhouExchange(suzhou, sqliteStore(join(tempDir('yrdx-bad-'), 'yrdx.sqlite')), clock);
  contracts = deps.contracts;
  app = buildApp({ ...suzhou, exchange: deps, now: clock.now });
}, patient(30_000));

const submit = (body: string, headers: Record<string, string> = {}) =>
  app.request('/v1/messages', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SUZHOU_API_KEY}`, ...headers },
  });
const inbox = (body: string, type = 'application/jose') =>
  app.request('/v1/inbox', { method: 'POST', body, headers: { 'content-type': type } });

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await res.json()) as { code: string; detail: string; errors?: { pointer: string }[] };
  expect(problem.code).toBe(code);
  expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
  return problem;
}

async function nothingQueued() {
  expect(await deps.store.claimDeliveries({ worker: 't', leaseMs: 1, limit: 10 }, clock.now() + 1e9)).toEqual(
    [],
  );
}

async function sealFromHuzhou(
  type: 'assistance-request' | 'case-transfer',
  body: Record<string, unknown>,
  jti?: string,
) {
  return sealMessage(
    {
      to: '320500',
      type,
      domain: 'food-safety',
      contract: 'food-safety@1.0.0',
      body,
      ...(jti ? { jti } : {}),
    },
    { self: '330500', signer: huzhou.signer, policy: deps.config.envelope, now: clock.now },
  );
}

describe('POST /v1/messages refuses bad input and stores nothing', () => {
  const good = () => ({
    to: '330500',
    domain: 'food-safety',
    type: 'assistance-request',
    body: example('js', 'assistance-request'),
  });

  it('without or with a wrong API key', async () => {
    await expectProblem(
      await app.request('/v1/messages', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
      401,
      'auth_required',
    );
    await expectProblem(
      await submit(JSON.stringify(good()), { authorization: 'Bearer not-the-right-key-at-all' }),
      401,
      'auth_invalid',
    );
    await nothingQueued();
  });

  it('with a wrong content type, malformed JSON or a body over the limit', async () => {
    await expectProblem(
      await submit(JSON.stringify(good()), { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
    await expectProblem(await submit('{"to": "330500",'), 400, 'body_invalid');
    await expectProblem(
      await submit(JSON.stringify({ ...good(), body: { pad: 'x'.repeat(70 * 1024) } })),
      413,
      'body_too_large',
    );
    await nothingQueued();
  });

  it('with an unknown partner, an unauthorised type or a malformed request', async () => {
    await expectProblem(await submit(JSON.stringify({ ...good(), to: '310000' })), 422, 'partner_unknown');
    await expectProblem(
      await submit(
        JSON.stringify({ ...good(), type: 'case-transfer', body: example('js', 'case-transfer') }),
      ),
      403,
      'not_authorised',
    );
    const invalid = await expectProblem(
      await submit(JSON.stringify({ to: 'x', domain: 'Weather!', body: [] })),
      422,
      'request_invalid',
    );
    expect(invalid.errors?.map((e) => e.pointer).sort()).toEqual(['/body', '/domain', '/to', '/type']);
    await nothingQueued();
  });

  it('with a body that fails the dialect schema, pointing into the sender’s dialect', async () => {
    const body = { ...example('js', 'assistance-request'), case_no: 12 };
    const problem = await expectProblem(
      await submit(JSON.stringify({ ...good(), body })),
      422,
      'document_invalid',
    );
    expect(problem.errors?.map((e) => e.pointer)).toContain('/case_no');
    await nothingQueued();
  });
});

describe('POST /v1/inbox refuses bad input and stores nothing', () => {
  it('with a wrong content type, over the limit, or not a JWS', async () => {
    await expectProblem(await inbox('x.y.z', 'application/json'), 415, 'unsupported_media_type');
    await expectProblem(await inbox('A'.repeat(65 * 1024)), 413, 'body_too_large');
    await expectProblem(await inbox('{"not": "a jws"}'), 400, 'jws_not_compact');
  });

  it('from an unknown partner or for an unauthorised type', async () => {
    const stranger = await testNode('310000');
    const foreign = await sealMessage(
      { to: '320500', type: 'notification', domain: 'food-safety', contract: 'food-safety@1.0.0', body: {} },
      { self: '310000', signer: stranger.signer, policy: deps.config.envelope, now: clock.now },
    );
    await expectProblem(await inbox(foreign.token), 401, 'jws_unknown_issuer');
    const canonical = translate(
      contracts.get('food-safety', '1.0.0')!,
      'zj',
      'canonical',
      'case-transfer',
      example('zj', 'case-transfer'),
    );
    const unauthorised = await sealFromHuzhou('case-transfer', canonical);
    await expectProblem(await inbox(unauthorised.token), 403, 'not_authorised');
    expect(await deps.store.getInbound('330500', unauthorised.claims.jti)).toBeUndefined();
  });

  it('with a canonical body that fails its contract', async () => {
    const sealed = await sealFromHuzhou('assistance-request', { case: { caseNumber: 1 } });
    const problem = await expectProblem(await inbox(sealed.token), 422, 'document_invalid');
    expect(problem.errors?.length).toBeGreaterThan(0);
    expect(await deps.store.getInbound('330500', sealed.claims.jti)).toBeUndefined();
  });

  it('answers a retry of the same bytes with the same receipt, and refuses other bytes under the same jti', async () => {
    const canonical = translate(
      contracts.get('food-safety', '1.0.0')!,
      'zj',
      'canonical',
      'assistance-request',
      example('zj', 'assistance-request'),
    );
    const sealed = await sealFromHuzhou('assistance-request', canonical);
    const first = await inbox(sealed.token);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/jose');
    const receipt = await first.text();
    const again = await inbox(sealed.token);
    expect(await again.text()).toBe(receipt);
    const other = await sealFromHuzhou(
      'assistance-request',
      { ...canonical, facts: '另一份内容' },
      sealed.claims.jti,
    );
    await expectProblem(await inbox(other.token), 409, 'jws_replayed');
    const stored = await deps.store.getInbound('330500', sealed.claims.jti);
    expect(stored?.sha256).toBe(sealed.sha256);

    // and the local system pulls it, in its own dialect, then acknowledges it
    const pulled = await app.request('/v1/inbox/messages', {
      headers: { authorization: `Bearer ${SUZHOU_API_KEY}` },
    });
    const page = (await pulled.json()) as {
      items: { messageId: string; body: Record<string, unknown>; cursor: string }[];
      cursor: string;
    };
    expect(page.items.map((i) => i.messageId)).toEqual([sealed.claims.jti]);
    expect(Object.keys(page.items[0]!.body).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
    const ack = await app.request('/v1/inbox/messages/ack', {
      method: 'POST',
      body: JSON.stringify({ cursor: page.cursor }),
      headers: { authorization: `Bearer ${SUZHOU_API_KEY}`, 'content-type': 'application/json' },
    });
    expect(await ack.json()).toEqual({ acknowledged: 1 });
    const after = await app.request(`/v1/inbox/messages?after=${page.cursor}`, {
      headers: { authorization: `Bearer ${SUZHOU_API_KEY}` },
    });
    expect(((await after.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
