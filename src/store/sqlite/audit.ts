import { type AuditEntry, type AuditRecord, chainEntry, GENESIS } from '../../audit/chain.js';
import type { Domain } from '../../vocabulary.js';
import type { AuditRange, PurgeOutcome } from '../port.js';
import { type Db, optional } from './json.js';

interface AuditRow {
  seq: number;
  at: number;
  kind: AuditEntry['kind'];
  message_id: string | null;
  partner: string | null;
  domain: string | null;
  type: string | null;
  sha256: string | null;
  actor: string | null;
  role: AuditEntry['role'] | null;
  action: string | null;
  outcome: AuditEntry['outcome'] | null;
  status: number | null;
  detail: string | null;
  prev: string;
  hash: string;
}

const COLUMNS =
  'seq, at, kind, message_id, partner, domain, type, sha256, actor, role, action, outcome, status, detail, prev, hash';

/**
 * The audit log of the SQLite store, and payload retention. `append` runs inside the unit that stores
 * what it records (see the port), so reading the last hash and inserting the next entry happen in
 * one transaction: units run one after another, and the chain has neither gaps nor forks.
 */
export function auditOps(db: Db, sha256: (text: string) => string) {
  const last = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_log (${COLUMNS})
     VALUES (@seq, @at, @kind, @messageId, @partner, @domain, @type, @sha256, @actor, @role, @action,
       @outcome, @status, @detail, @prev, @hash)`,
  );
  const range = db.prepare<[number, number, number], AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
  );
  const forMessage = db.prepare<[string], AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log WHERE message_id = ? ORDER BY seq`,
  );
  const highWater = db
    .prepare<[], number>(
      `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
         coalesce((SELECT max(seq) FROM audit_log), 0))`,
    )
    .pluck();
  const purgeOutbound = db.prepare(
    `UPDATE outbound_messages SET token = '', canonical = 'null', purged_at = @now
     WHERE domain = @domain AND created_at < @cutoff AND purged_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = outbound_messages.message_id
         AND d.status IN ('queued', 'sending', 'retry'))`,
  );
  const purgeInbound = db.prepare<Record<string, unknown>, { iss: string; jti: string }>(
    `UPDATE inbound_messages SET token = '', canonical = 'null', purged_at = @now
     WHERE domain = @domain AND received_at < @cutoff AND purged_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM local_deliveries l WHERE l.iss = inbound_messages.iss
         AND l.jti = inbound_messages.jti AND l.status IN ('queued', 'sending', 'retry'))
     RETURNING iss, jti`,
  );
  const purgeBodies = db.prepare("UPDATE local_deliveries SET body = 'null' WHERE iss = ? AND jti = ?");

  /** Chains and inserts one entry; call only inside a write transaction. */
  function append(record: AuditRecord): AuditEntry {
    const before = last.get();
    const entry = chainEntry(record, (before?.seq ?? 0) + 1, before?.hash ?? GENESIS, sha256);
    insert.run({
      seq: entry.seq,
      at: entry.at,
      kind: entry.kind,
      messageId: entry.messageId ?? null,
      partner: entry.partner ?? null,
      domain: entry.domain ?? null,
      type: entry.type ?? null,
      sha256: entry.sha256 ?? null,
      actor: entry.actor ?? null,
      role: entry.role ?? null,
      action: entry.action ?? null,
      outcome: entry.outcome ?? null,
      status: entry.status ?? null,
      detail: entry.detail ?? null,
      prev: entry.prev,
      hash: entry.hash,
    });
    return entry;
  }

  const appendUnit = db.transaction((record: AuditRecord) => append(record));

  const purge = db.transaction(
    (cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number): PurgeOutcome => {
      let outbound = 0;
      let inbound = 0;
      for (const [domain, cutoff] of Object.entries(cutoffs)) {
        if (cutoff === undefined) continue;
        outbound += purgeOutbound.run({ domain, cutoff, now }).changes;
        for (const row of purgeInbound.all({ domain, cutoff, now })) {
          purgeBodies.run(row.iss, row.jti);
          inbound++;
        }
      }
      return { outbound, inbound };
    },
  );

  return {
    append,
    appendUnit: (record: AuditRecord) => appendUnit.immediate(record),
    read: (r: AuditRange = {}) =>
      range
        .all(r.fromSeq ?? 1, r.toSeq ?? Number.MAX_SAFE_INTEGER, r.limit ?? Number.MAX_SAFE_INTEGER)
        .map(entryOf),
    forMessage: (messageId: string) => forMessage.all(messageId).map(entryOf),
    highWater: () => highWater.get() ?? 0,
    purge: (cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number) => purge.immediate(cutoffs, now),
  };
}

export type AuditOps = ReturnType<typeof auditOps>;

function entryOf(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    ...optional('messageId', row.message_id),
    ...optional('partner', row.partner),
    ...optional('domain', row.domain),
    ...optional('type', row.type),
    ...optional('sha256', row.sha256),
    ...optional('actor', row.actor),
    ...optional('role', row.role),
    ...optional('action', row.action),
    ...optional('outcome', row.outcome),
    ...optional('status', row.status),
    ...optional('detail', row.detail),
    prev: row.prev,
    hash: row.hash,
  };
}
