import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isYrdxError } from '../../src/errors/errors.js';
import type { Store } from '../../src/store/port.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/store.js';
import { tempDir } from '../helpers/tmp.js';
import { storeConformance } from './conformance.js';

const dir = tempDir('yrdx-sqlite-');

storeConformance('sqlite', async (digest) =>
  sqliteStore(join(dir, 'conformance.db'), digest === undefined ? {} : { sha256: digest }),
);

describe('sqlite store', () => {
  const opened: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
  });
  const store = async (file: string, options?: { busyTimeoutMs?: number }): Promise<Store> => {
    const s = sqliteStore(join(dir, file), options);
    opened.push(s);
    await s.migrate();
    return s;
  };
  const inspect = (file: string) => {
    const db = openDatabase(join(dir, file));
    opened.push(db);
    return db;
  };

  it('runs in WAL mode with synchronous NORMAL (FULL for acknowledged units), foreign keys and a busy timeout', async () => {
    await store('pragmas.db');
    const db = inspect('pragmas.db');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL between acknowledged units
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('cache_size', { simple: true })).toBe(-65_536); // 64 MiB of page cache
    const custom = openDatabase(join(dir, 'pragmas.db'), { busyTimeoutMs: 250 });
    opened.push(custom);
    expect(custom.pragma('busy_timeout', { simple: true })).toBe(250);
  });

  it('records each applied migration once, however often and from however many connections it runs', async () => {
    const [a, b] = [await store('migrations.db'), await store('migrations.db')];
    await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
    const rows = inspect('migrations.db')
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('keeps the case numbers of stored messages when it upgrades a file to the case-number column', async () => {
    // A file as the schema before migration 5 left it: the case number computed from the body.
    const db = inspect('upgrade.db');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version < 5)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(m.version, m.name);
    }
    const body = (caseNumber: unknown) => JSON.stringify({ case: { caseNumber, cause: '超标排放' } });
    const insert = db.prepare(
      `INSERT INTO outbound_messages (message_id, local_system, type, domain, contract, thread, token,
         sha256, canonical, created_at, expires_at) VALUES (?, 'ls', 'notification', 'pollution',
         'pollution@1.0.0', ?, 't', 's', ?, 1, 2)`,
    );
    insert.run('with-number', 'th-1', body('湖环罚〔2026〕7号'));
    insert.run('numeric', 'th-2', body(7));
    insert.run('purged', 'th-3', 'null');
    const s = await store('upgrade.db');
    expect(await s.searchMessages({ caseNumber: '湖环罚〔2026〕7号' })).toMatchObject([
      { messageId: 'with-number', caseNumber: '湖环罚〔2026〕7号' },
    ]);
    const rows = db
      .prepare('SELECT message_id, case_number FROM outbound_messages ORDER BY message_id')
      .all();
    expect(rows).toEqual([
      { message_id: 'numeric', case_number: null },
      { message_id: 'purged', case_number: null },
      { message_id: 'with-number', case_number: '湖环罚〔2026〕7号' },
    ]);
  });

  it('creates the tables and the indexes of the claim queries', async () => {
    await store('schema.db');
    const names = inspect('schema.db')
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    for (const table of [
      'outbound_messages',
      'deliveries',
      'history_events',
      'idempotency_keys',
      'inbound_messages',
      'local_deliveries',
      'threads',
      'schema_migrations',
    ]) {
      expect(names).toContain(table);
    }
    expect(names).toEqual(
      expect.arrayContaining(['deliveries_due', 'deliveries_lease', 'local_deliveries_due']),
    );
  });

  it('writes nothing of a unit that fails half-way', async () => {
    const s = await store('atomic.db');
    const now = Date.UTC(2026, 10, 28);
    const input = {
      messageId: 'msg-atomic',
      localSystem: 'case-system',
      idempotency: { key: 'k', requestSha256: 'd' },
      type: 'assistance-request',
      domain: 'food-safety',
      contract: 'food-safety@1.2.0',
      thread: 't-atomic',
      token: 'a.b.c',
      sha256: 'sha',
      expiresAt: now + 1000,
      recipients: ['320500'],
      canonical: {},
      // A move of a track that does not exist is refused after the message and its deliveries were written.
      threadChange: {
        action: 'move',
        threadId: 't-atomic',
        partner: '320500',
        direction: 'outbound',
        type: 'assistance-reply',
        domain: 'food-safety',
        messageId: 'msg-atomic',
        by: 'recipient',
        tracks: [{ partner: '320500', from: 'requested', to: 'answered', final: true, late: false }],
      },
    } as const;
    await expect(s.submitOutbound(input, now)).rejects.toThrow();
    expect(await s.getOutbound('msg-atomic')).toBeUndefined();
    expect(await s.claimDeliveries({ worker: 'w', leaseMs: 1000, limit: 10 }, now)).toEqual([]);
    const { threadChange: _, ...plain } = input;
    expect(await s.submitOutbound(plain, now)).toEqual({ status: 'stored', messageId: 'msg-atomic' });
  });

  it('refuses a pull cursor it did not issue', async () => {
    const s = await store('cursor.db');
    for (const cursor of ['abc', '-1', '1.5', '99999999999999999']) {
      const error = await s.listPull('ls', cursor, 10).catch((e: unknown) => e);
      expect(isYrdxError(error) && error.code).toBe('pull_cursor_invalid');
      await expect(s.ackPull('ls', cursor, 0)).rejects.toThrow(/pull_cursor_invalid/);
    }
    expect(await s.listPull('ls', '0', 10)).toEqual({ items: [], cursor: '0' });
  });

  it('reports its capabilities', async () => {
    const s = await store('capabilities.db');
    expect(s.capabilities).toEqual({ transactions: 'interactive', multiInstance: false });
    await s.close();
    await s.close();
  });
});
