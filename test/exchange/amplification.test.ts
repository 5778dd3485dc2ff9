import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { sha256Hex } from '../../src/envelope/digest.js';
import { MAX_PROBLEM_ERRORS } from '../../src/errors/errors.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { LOG_LIMITS } from '../../src/logging/redact.js';
import { loadNodeContracts } from '../../src/runtime/node/boot.js';
import { createLogger, logFn } from '../../src/runtime/node/logger.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';
import { adminCredentials } from '../admin/helpers.js';
import { FakeClock, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * One request must not buy a large answer, a large log line or unbounded work: a document with a
 * fault per item is answered with the first faults and a count of the rest, and logged bounded;
 * JSON nested without end is refused before anything walks it.
 */
const clock = new FakeClock();
const API_KEY = 'suzhou-case-system-key-0001';
const lines: string[] = [];
let app: ReturnType<typeof buildApp>;
let adminToken = '';
const example = JSON.parse(
  readFileSync('contracts/food-safety/1.0.0/dialects/js/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;

beforeAll(async () => {
  const creds = await adminCredentials(clock.now());
  adminToken = creds.tokens.admin;
  const config = {
    ...validateNodeConfig(
      {
        id: '320500',
        name: '苏州市',
        province: 'js',
        publicUrl: 'http://127.0.0.1:9',
        keys: { source: 'file' },
        localSystems: [
          {
            id: 'sz-case',
            name: '苏州案件系统',
            dialect: 'js',
            apiKeys: [`sha256:${await sha256Hex(API_KEY)}`],
            maySend: { domains: ['food-safety'], types: ['assistance-request'] },
            receives: { domains: [...DOMAINS], types: [...MESSAGE_TYPES] },
            delivery: { mode: 'pull' },
          },
        ],
        partners: [
          {
            id: '330500',
            name: '湖州市',
            baseUrl: 'http://127.0.0.1:9',
            keys: { jwks: { keys: [(await testNode('330500')).publicJwk] } },
            maySend: { domains: ['food-safety'], types: ['assistance-request'] },
          },
        ],
      },
      { file: 'test' },
    ),
    admin: creds.admin,
  };
  const keyring = await NodeKeyring.load(await createKeyring('320500', 'EdDSA', clock.now()), '320500', {
    retainRetiredSeconds: 3600,
  });
  const partners = await PartnerRegistry.create(config.partners, {
    file: 'test',
    ownId: '320500',
    ownThumbprints: [],
  });
  const store = sqliteStore(join(tempDir('yrdx-amplification-'), 'yrdx.sqlite'));
  await store.migrate();
  const deps: ExchangeDeps = {
    config,
    store,
    keyring: () => keyring,
    partners,
    contracts: loadNodeContracts(config),
    now: clock.now,
    fetch: globalThis.fetch,
  };
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = buildApp({
    config,
    keyring: () => keyring,
    partners,
    exchange: deps,
    now: clock.now,
    log: logFn(createLogger('info', sink)),
  });
}, patient(30_000));

const submit = (body: string) =>
  app.request('/v1/messages', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
  });

describe('a document with a fault per item', () => {
  it('is answered with the first faults and the count of the others, and logged within bounds', async () => {
    // 150,000 items that are not strings: 150,000 faults in under 1 MiB.
    const body = JSON.stringify({
      to: '330500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: { ...example, assist_items: Array.from({ length: 150_000 }, () => 1) },
    });
    expect(body.length).toBeLessThan(1024 * 1024);
    lines.length = 0;
    const res = await submit(body);
    expect(res.status).toBe(422);
    const text = await res.text();
    const problem = JSON.parse(text) as { code: string; errors: unknown[]; errorsOmitted: number };
    expect(problem.code).toBe('document_invalid');
    expect(problem.errors).toHaveLength(MAX_PROBLEM_ERRORS);
    expect(problem.errorsOmitted).toBe(150_000 - MAX_PROBLEM_ERRORS);
    expect(text.length).toBeLessThan(64 * 1024);
    const refused = lines.find((l) => l.includes('submission refused'));
    expect(refused).toBeDefined();
    expect(refused!.length).toBeLessThan(LOG_LIMITS.line + 4096);
    expect(JSON.parse(refused!)).toMatchObject({ code: 'document_invalid', errorsOmitted: 149_900 });
    for (const line of lines) expect(line.length).toBeLessThan(LOG_LIMITS.line + 4096);
  });
});

describe('JSON nested deeper than the limit', () => {
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('is refused as body_too_deep in a submission, at any depth past the limit', async () => {
    for (const levels of [40, 10_000, 500_000]) {
      const res = await submit(
        `{"to":"330500","domain":"food-safety","type":"assistance-request","body":{"x":${deep(levels)}}}`,
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'body_too_deep' });
    }
  });

  it('is refused as body_too_deep in an admin body and a pull acknowledgement', async () => {
    const admin = await app.request('/admin/v1/partners', {
      method: 'POST',
      body: `{"id":"330400","keys":${deep(100_000)}}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    });
    expect(admin.status).toBe(400);
    expect(await admin.json()).toMatchObject({ code: 'body_too_deep' });
    const ack = await app.request('/v1/inbox/messages/ack', {
      method: 'POST',
      body: `{"cursor":${deep(50)}}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    });
    expect(ack.status).toBe(400);
    expect(await ack.json()).toMatchObject({ code: 'body_too_deep' });
  });
});
