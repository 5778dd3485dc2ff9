import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { storeAuditSink } from '../../src/audit/sink.js';
import { verifyStoredLog } from '../../src/audit/verify-log.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { sha256Hex } from '../../src/envelope/digest.js';
import type { LogFn } from '../../src/http/env.js';
import type { NodeKeyring } from '../../src/keys/keyring.js';
import { createMetrics } from '../../src/metrics/yrdx.js';
import { canonicalEntry } from '../../src/store/audit-chain.js';
import type { Store } from '../../src/store/port.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { adminCredentials } from '../admin/helpers.js';
import { FakeClock, registryOf } from '../helpers/nodes.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Anonymous refusals of the admin API and the console — no credential, a wrong one, or one past its
 * rate limit — must not grow the hash-chained audit log with attacker traffic. They are counted
 * (metrics), logged at a bounded rate with bounded lines, and summarised in the chain at most once
 * per window. What a principal does, including a refusal by role, stays one entry each; every entry
 * is bounded in size.
 */
const base = JSON.parse(readFileSync('config/node.json', 'utf8')) as Record<string, unknown>;
const LONG = 'x'.repeat(15_000);
const clock = new FakeClock();
const metrics = createMetrics();
const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const log: LogFn = (level, msg, fields) => lines.push({ level, msg, ...(fields ? { fields } : {}) });
let store: Store;
let app: ReturnType<typeof buildApp>;
let tokens: Awaited<ReturnType<typeof adminCredentials>>['tokens'];

beforeAll(async () => {
  store = sqliteStore(join(tempDir('yrdx-anonymous-'), 'yrdx.sqlite'));
  await store.migrate();
  const creds = await adminCredentials(clock.now(), { perMinute: 60, burst: 200 });
  tokens = creds.tokens;
  app = buildApp({
    config: { ...validateNodeConfig(base, { file: 'node.json' }), admin: creds.admin },
    keyring: () => ({}) as NodeKeyring,
    partners: await registryOf('330500', []),
    now: clock.now,
    log,
    metrics,
    audit: storeAuditSink(store),
  });
});
afterAll(async () => {
  await store.close();
});

const refusals = (surface: string, code: string) => metrics.anonymousRefusals.get({ surface, code });

describe('anonymous refusals', () => {
  it('grow the audit chain by at most one summary per window, however many there are', async () => {
    const before = await store.auditHighWater();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 500; i++) {
      const headers: Record<string, string> =
        i % 2 === 0 ? {} : { authorization: `Bearer ${'y'.repeat(43)}` };
      const response = await app.request(`/admin/v1/${LONG}${i}`, { headers });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    // The first 200 spend the shared bucket of their (unknown) address, the rest are rate limited.
    expect(Object.fromEntries(statuses)).toEqual({ 401: 200, 429: 300 });
    const added = (await store.auditHighWater()) - before;
    expect(added).toBeLessThanOrEqual(1);
    for (const entry of await store.readAudit({ fromSeq: before + 1 })) {
      expect(canonicalEntry(entry).length).toBeLessThan(2048);
    }
    expect(await verifyStoredLog(store, sha256Hex)).toMatchObject({ ok: true });

    // Counted by surface and problem code, never by path or address.
    expect(refusals('admin_api', 'admin_auth_required')).toBe(100);
    expect(refusals('admin_api', 'admin_auth_invalid')).toBe(100);
    expect(refusals('admin_api', 'rate_limited')).toBe(300);
    const exposition = await metrics.registry.render();
    expect(exposition).toContain(
      'yrdx_anonymous_refusals_total{surface="admin_api",code="rate_limited"} 300',
    );
    expect(exposition).not.toContain('xxxxxxxx');

    // Logged at a bounded rate, each line bounded.
    const logged = lines.filter((l) => l.msg === 'anonymous admin request refused');
    expect(logged.length).toBeLessThanOrEqual(10);
    for (const l of lines) expect(JSON.stringify(l).length).toBeLessThan(1024);
  });

  it('from the console’s sign-in and actions are counted and summarised the same way', async () => {
    const before = await store.auditHighWater();
    const origin = { origin: 'http://localhost' };
    for (let i = 0; i < 50; i++) {
      await app.request('http://localhost/console/sign-in', {
        method: 'POST',
        headers: { ...origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${'z'.repeat(43)}`,
      });
      await app.request(`http://localhost/console/partners/${LONG}/suspend`, {
        method: 'POST',
        headers: origin,
      });
    }
    expect((await store.auditHighWater()) - before).toBeLessThanOrEqual(1);
    expect(
      refusals('console', 'admin_auth_invalid') + refusals('console', 'rate_limited'),
    ).toBeGreaterThanOrEqual(50);
    expect(refusals('console', 'admin_auth_required')).toBe(50);
  });

  it('are summarised in the chain in the next window, with their counts', async () => {
    const before = await store.auditHighWater();
    clock.advance(3600);
    expect((await app.request(`/admin/v1/${LONG}`)).status).toBe(401);
    const added = await store.readAudit({ fromSeq: before + 1 });
    expect(added).toHaveLength(1);
    const [summary] = added;
    expect(summary).toMatchObject({ kind: 'admin', actor: 'anonymous', outcome: 'refused' });
    expect(summary?.detail).toContain('admin_api rate_limited 429: 300');
    expect(summary?.detail).toContain('console admin_auth_required 401: 50');
    expect(canonicalEntry(summary!).length).toBeLessThan(2048);
    // Log lines held back while the limit was reached are reported as a count.
    expect(lines.some((l) => l.msg === 'log lines suppressed' && Number(l.fields?.suppressed) > 0)).toBe(
      true,
    );
    expect(await verifyStoredLog(store, sha256Hex)).toMatchObject({ ok: true });
  });
});

describe('what principals do', () => {
  it('stays one entry each, refusals by role included, with every field bounded', async () => {
    clock.advance(3600);
    const before = await store.auditHighWater();
    const auditor = { authorization: `Bearer ${tokens.auditor}` };
    expect((await app.request('/admin/v1/keys/rotate', { method: 'POST', headers: auditor })).status).toBe(
      403,
    );
    // No exchange on this node: 501, after the auditor was let through.
    expect((await app.request(`/admin/v1/threads/${LONG}`, { headers: auditor })).status).toBe(501);
    const added = await store.readAudit({ fromSeq: before + 1 });
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({
      actor: 'inspector',
      role: 'auditor',
      action: 'POST /admin/v1/keys/rotate',
      outcome: 'refused',
      status: 403,
      detail: 'admin_forbidden',
    });
    expect(added[1]).toMatchObject({ actor: 'inspector', role: 'auditor', status: 501 });
    expect(added[1]!.action!.length).toBeLessThanOrEqual(256);
    expect(added[1]!.action).toMatch(/^GET \/admin\/v1\/threads\/x+…$/);
    expect(await verifyStoredLog(store, sha256Hex)).toMatchObject({ ok: true });
  });
});
