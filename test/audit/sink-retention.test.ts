import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeAuditSink } from '../../src/audit/sink.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { retentionCutoffs, retentionWorker } from '../../src/exchange/retention/retention.js';
import type { Store } from '../../src/store/port.js';
import { sqliteStore } from '../../src/store/sqlite/store.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 86_400_000;
const dir = tempDir('yrdx-audit-');
const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
async function store(name: string): Promise<Store> {
  const s = sqliteStore(join(dir, name));
  opened.push(s);
  await s.migrate();
  return s;
}

describe('storeAuditSink', () => {
  it('records an admin action as one admin entry, without the members the event does not have', async () => {
    const s = await store('sink.db');
    const sink = storeAuditSink(s);
    await sink.recordAdmin(
      {
        actor: 'key-7',
        role: 'admin',
        action: 'POST /admin/v1/keys/rotate',
        outcome: 'allowed',
        status: 200,
      },
      1000,
    );
    await sink.recordAdmin(
      { actor: 'anonymous', action: 'GET /admin/v1/partners', outcome: 'refused', status: 401 },
      2000,
    );
    const [first, second] = await s.readAudit();
    expect(first).toMatchObject({
      seq: 1,
      at: 1000,
      kind: 'admin',
      actor: 'key-7',
      role: 'admin',
      status: 200,
    });
    expect(second).toMatchObject({
      seq: 2,
      at: 2000,
      actor: 'anonymous',
      outcome: 'refused',
      prev: first?.hash,
    });
    expect(second).not.toHaveProperty('role');
    expect(second).not.toHaveProperty('detail');
  });
});

describe('retention', () => {
  it('turns days per domain into cutoffs, leaving unlisted domains alone', () => {
    expect(retentionCutoffs({ pollution: 2, 'food-safety': 365 }, 10 * DAY)).toEqual({
      pollution: 8 * DAY,
      'food-safety': 10 * DAY - 365 * DAY,
    });
    expect(retentionCutoffs({}, 10 * DAY)).toEqual({});
  });

  it('removes payloads past retention at most once an hour, and never reports work', async () => {
    const s = await store('retention.db');
    let now = 100 * DAY;
    const calls: number[] = [];
    const spy: Store = {
      ...s,
      purgePayloads: async (cutoffs, at) => {
        calls.push(at);
        return s.purgePayloads(cutoffs, at);
      },
    };
    const deps = {
      store: spy,
      now: () => now,
      config: { retentionDays: { pollution: 30 } },
    } as unknown as ExchangeDeps;
    const worker = retentionWorker(deps);
    expect(await worker.runOnce()).toBe(0);
    now += 59 * 60_000;
    expect(await worker.runOnce()).toBe(0);
    now += 60_000;
    expect(await worker.runOnce()).toBe(0);
    expect(calls).toEqual([100 * DAY, 100 * DAY + 3_600_000]);
  });
});
