import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import type { NodeKeyring } from '../../src/keys/keyring.js';
import { FakeClock, registryOf } from '../helpers/nodes.js';
import { adminCredentials, MemoryAudit } from './helpers.js';

describe('admin API rate limit and switch', () => {
  const base = JSON.parse(readFileSync('config/node.json', 'utf8')) as Record<string, unknown>;

  it('is off (404, nothing recorded) without credentials', async () => {
    const audit = new MemoryAudit();
    const app = buildApp({
      config: validateNodeConfig(base, { file: 'node.json' }),
      keyring: () => ({}) as NodeKeyring,
      partners: await registryOf('330500', []),
      audit,
    });
    expect((await app.request('/admin/v1/me')).status).toBe(404);
    expect(audit.events).toEqual([]);
  });

  it('answers 429 with Retry-After per credential and per remote, and records the refusals of principals', async () => {
    const clock = new FakeClock();
    const { tokens, admin } = await adminCredentials(clock.now(), { perMinute: 60, burst: 2 });
    const audit = new MemoryAudit();
    const app = buildApp({
      config: { ...validateNodeConfig(base, { file: 'node.json' }), admin },
      keyring: () => ({}) as NodeKeyring,
      partners: await registryOf('330500', []),
      now: clock.now,
      audit,
    });
    const me = (token?: string) =>
      app.request(
        '/admin/v1/me',
        token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
      );
    expect((await me(tokens.admin)).status).toBe(200);
    expect((await me(tokens.admin)).status).toBe(200);
    const limited = await me(tokens.admin);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    // Another credential has its own bucket.
    expect((await me(tokens.auditor)).status).toBe(200);
    // Callers without a valid credential share the bucket of their address.
    expect((await me()).status).toBe(401);
    expect((await me('x'.repeat(43))).status).toBe(401);
    expect((await me()).status).toBe(429);
    clock.advance(1);
    expect((await me(tokens.admin)).status).toBe(200);
    expect(audit.events.map((e) => [e.actor, e.status, e.outcome])).toEqual([
      ['ops-admin', 200, 'allowed'],
      ['ops-admin', 200, 'allowed'],
      ['ops-admin', 429, 'refused'],
      ['inspector', 200, 'allowed'],
      // The three anonymous refusals: one summary entry for their window (see test/audit/anonymous-refusals.test.ts).
      ['anonymous', 401, 'refused'],
      ['ops-admin', 200, 'allowed'],
    ]);
    expect(audit.events[4]?.action).toBe('anonymous refusals');
  });
});

describe('token buckets under a flood of distinct callers', () => {
  it('keep their map bounded whatever the number of keys, at one instant', async () => {
    const { TokenBuckets } = await import('../../src/http/rate-limit.js');
    const buckets = new TokenBuckets(60, 5);
    const now = Date.now();
    for (let i = 0; i < 100_000; i++) buckets.take(`remote:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, now);
    expect(buckets.size).toBeLessThanOrEqual(10_000);
  });

  it('keep limiting a caller who stays busy while others come and go', async () => {
    const { TokenBuckets } = await import('../../src/http/rate-limit.js');
    const buckets = new TokenBuckets(60, 2, 100);
    const now = Date.now();
    buckets.take('busy', now);
    buckets.take('busy', now);
    for (let i = 0; i < 1000; i++) {
      buckets.take(`passer-by-${i}`, now);
      expect(buckets.take('busy', now)).toBeGreaterThan(0);
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
  });
});
