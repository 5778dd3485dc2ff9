import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IDLE_MS, MAX_MS, memorySessions, storeSessions } from '../../src/console/session.js';
import { sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import type { Store } from '../../src/store/port.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/store.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('yrdx-console-sessions-');
const opened: Store[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

async function instance(file: string): Promise<Store> {
  const store = sqliteStore(join(dir, file));
  opened.push(store);
  await store.migrate();
  return store;
}

describe('console sessions in the store', () => {
  it('are known to every instance of the node sharing the store, and end for all at sign-out', async () => {
    const [a, b] = [await instance('shared.db'), await instance('shared.db')];
    const onA = storeSessions(a);
    const onB = storeSessions(b);
    const t = Date.now();
    const session = await onA.start('admin-1', 'admin', t);
    // The other instance (another connection to the same database) serves the next request.
    expect(await onB.find(session.id, t + 60_000)).toEqual({
      ...session,
      expiresAt: t + 60_000 + IDLE_MS,
    });
    await onB.end(session.id);
    expect(await onA.find(session.id, t + 120_000)).toBeUndefined();
  });

  it('keep only a digest of the cookie: the database holds no usable session id', async () => {
    const store = await instance('digest.db');
    const session = await storeSessions(store).start('ops-1', 'operator', Date.now());
    const rows = openDatabase(join(dir, 'digest.db')).prepare('SELECT * FROM console_sessions').all();
    expect(JSON.stringify(rows)).not.toContain(session.id);
    expect(rows).toMatchObject([
      { id_hash: await sha256Hex(session.id), credential: 'ops-1', role: 'operator' },
    ]);
  });

  it('keep the SM3 of the cookie under the national profile, and find the session by it', async () => {
    const store = await instance('sm3.db');
    const sessions = storeSessions(store, sm3Digest);
    const t = Date.now();
    const session = await sessions.start('ops-1', 'operator', t);
    const rows = openDatabase(join(dir, 'sm3.db')).prepare('SELECT id_hash FROM console_sessions').all();
    expect(rows).toEqual([{ id_hash: sm3Digest(session.id) }]);
    expect(await sessions.find(session.id, t)).toBeDefined();
  });

  it('refuse unknown, oversized and idle ids, and end however active after the maximum', async () => {
    const sessions = storeSessions(await instance('limits.db'));
    const t = Date.now();
    const session = await sessions.start('aud-1', 'auditor', t);
    expect(await sessions.find(undefined, t)).toBeUndefined();
    expect(await sessions.find('x'.repeat(43), t)).toBeUndefined();
    expect(await sessions.find(session.id + 'x'.repeat(64), t)).toBeUndefined();
    let at = t;
    while (at + IDLE_MS / 2 < t + MAX_MS) {
      at += IDLE_MS / 2;
      expect(await sessions.find(session.id, at)).toBeDefined();
    }
    expect(await sessions.find(session.id, t + MAX_MS)).toBeUndefined();
    const idle = await sessions.start('aud-1', 'auditor', t);
    expect(await sessions.find(idle.id, t + IDLE_MS)).toBeUndefined();
  });
});

describe('console sessions in memory (an app without a store)', () => {
  it('renew while used, end when idle, at the maximum or at sign-out', async () => {
    const sessions = memorySessions();
    const t = 1_000_000;
    const s = await sessions.start('admin-1', 'admin', t);
    expect((await sessions.find(s.id, t + 1000))?.expiresAt).toBe(t + 1000 + IDLE_MS);
    expect(await sessions.find(s.id, t + 1000 + IDLE_MS)).toBeUndefined();
    const long = await sessions.start('admin-1', 'admin', t);
    let at = t;
    while (at + IDLE_MS / 2 < t + MAX_MS) {
      at += IDLE_MS / 2;
      expect(await sessions.find(long.id, at)).toBeDefined();
    }
    expect(await sessions.find(long.id, t + MAX_MS)).toBeUndefined();
    const ended = await sessions.start('admin-1', 'admin', t);
    await sessions.end(ended.id);
    expect(await sessions.find(ended.id, t + 1)).toBeUndefined();
  });
});
