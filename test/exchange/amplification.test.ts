import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { MAX_PROBLEM_ERRORS } from '../../src/errors/errors.js';
import { LOG_LIMITS } from '../../src/logging/redact.js';
import { createLogger, logFn } from '../../src/runtime/node/logger.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { adminCredentials } from '../admin/helpers.js';
import { FakeClock, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { SUZHOU_API_KEY, suzhouExchange, suzhouNode } from '../helpers/suzhou.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * One request must not buy a large answer, a large log line or unbounded work: a document with a
 * fault per item is answered with the first faults and a count of the rest, and logged bounded;
 * JSON nested without end is refused before anything walks it.
 */
const clock = new FakeClock();
const lines: string[] = [];
let app: ReturnType<typeof buildApp>;
let adminToken = '';
const example = JSON.parse(
  readFileSync('contracts/food-safety/1.0.0/dialects/js/examples/assistance-request.json', 'utf8'),
) as Record<string, unknown>;

beforeAll(async () => {
  const creds = await adminCredentials(clock.now());
  adminToken = creds.tokens.admin;
  const suzhou = await suzhouNode({ clock, huzhou: await testNode('330500'), admin: creds.admin });
  const store = sqliteStore(join(tempDir('yrdx-amplification-'), 'yrdx.sqlite'));
  const deps = await suzhouExchange(suzhou, store, clock);
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  app = buildApp({
    ...suzhou,
    exchange: deps,
    now: clock.now,
    log: logFn(createLogger('info', sink)),
  });
}, patient(30_000));

const submit = (body: string) =>
  app.request('/v1/messages', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SUZHOU_API_KEY}` },
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
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SUZHOU_API_KEY}` },
    });
    expect(ack.status).toBe(400);
    expect(await ack.json()).toMatchObject({ code: 'body_too_deep' });
  });
});
