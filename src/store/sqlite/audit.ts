import type { Statement } from 'better-sqlite3';
import type { Domain } from '../../vocabulary/messages.js';
import { type AuditEntry, type AuditRecord, CHAIN_START, chainAfter } from '../audit-chain.js';
import type { AuditRange, PurgeOutcome } from '../port.js';
import { AUDIT_COLUMNS, type AuditRow, auditEntry, auditParams } from '../rows/audit.js';
import {
  END_FILE_FETCHES,
  FREED_BLOBS,
  PURGE_FILES,
  PURGE_HELD,
  PURGE_INBOUND,
  PURGE_LOCAL_BODIES,
  PURGE_OUTBOUND,
} from '../sql/retention.js';
import { AUDIT_HIGH_WATER, AUDIT_VALUES } from '../sql/sqlite.js';
import type { Db } from './db.js';

/**
 * The audit log of the SQLite store, and payload retention. `append` runs inside the unit that stores
 * what it records (see the port), so reading the last hash and inserting the next entry happen in
 * one transaction: units run one after another, and the chain has neither gaps nor forks. `digest`
 * (in the kept form) chains the entries; when it is not the head's algorithm, the mark of the change
 * is appended first, in the same unit.
 */
export function auditOps(db: Db, digest: (text: string) => string) {
  const last = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (${AUDIT_VALUES})`);
  const range = db.prepare<[number, number, number], AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const forMessage = db.prepare<[string], AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE message_id = ? ORDER BY seq`,
  );
  const highWater = db.prepare<[], number>(AUDIT_HIGH_WATER).pluck();
  const freed = db.prepare<Record<string, unknown>, string>(FREED_BLOBS).pluck();
  const [purgeFiles, purgeHeld, endFetches, purgeBodies, purgeInbound, purgeOutbound] = [
    PURGE_FILES,
    PURGE_HELD,
    END_FILE_FETCHES,
    PURGE_LOCAL_BODIES,
    PURGE_INBOUND,
    PURGE_OUTBOUND,
  ].map((text) => db.prepare(text)) as [Statement, Statement, Statement, Statement, Statement, Statement];

  /** Chains and inserts one entry (after the mark of an algorithm change, if due); call only inside a write transaction. */
  function append(record: AuditRecord): AuditEntry {
    const entries = chainAfter(last.get() ?? CHAIN_START, [record], digest);
    for (const entry of entries) insert.run(auditParams(entry));
    return entries.at(-1) as AuditEntry;
  }

  const appendUnit = db.transaction((record: AuditRecord) => append(record));

  const purge = db.transaction(
    (cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number): PurgeOutcome => {
      let outbound = 0;
      let inbound = 0;
      const blobs = new Set<string>();
      for (const [domain, cutoff] of Object.entries(cutoffs)) {
        if (cutoff === undefined) continue;
        const params = { domain, cutoff, now };
        for (const digest of freed.all(params)) blobs.add(digest);
        for (const step of [purgeFiles, purgeHeld, endFetches, purgeBodies]) step.run(params);
        inbound += purgeInbound.run(params).changes;
        outbound += purgeOutbound.run(params).changes;
      }
      return { outbound, inbound, blobs: [...blobs].sort() };
    },
  );

  return {
    append,
    appendUnit: (record: AuditRecord) => appendUnit.immediate(record),
    read: (r: AuditRange = {}) =>
      range
        .all(r.fromSeq ?? 1, r.toSeq ?? Number.MAX_SAFE_INTEGER, r.limit ?? Number.MAX_SAFE_INTEGER)
        .map(auditEntry),
    forMessage: (messageId: string) => forMessage.all(messageId).map(auditEntry),
    highWater: () => highWater.get() ?? 0,
    purge: (cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number) => purge.immediate(cutoffs, now),
  };
}

export type AuditOps = ReturnType<typeof auditOps>;
