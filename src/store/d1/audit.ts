import { type AuditEntry, type AuditRecord, canonicalEntry, GENESIS } from '../../audit/chain.js';
import { sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors.js';
import type { Domain } from '../../vocabulary.js';
import type { AuditRange, PurgeOutcome } from '../port.js';
import { optional } from '../rows.js';
import { type D1Database, type D1Result, type Guard, rowsOf, type Statement, sql } from './types.js';

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

/** How often a unit is tried again when other units appended to the log between its read and its batch. */
const MAX_TRIES = 64;

/**
 * A unit that appends audit entries, given the entries chained after the head it read. Its
 * statements must insert each entry with `insertEntry` (conditional on what the unit guards) and
 * make every other write conditional on `written(entries[0])`, the unit's commit marker.
 */
export type AuditedUnit<T> = (entries: readonly AuditEntry[]) => {
  readonly statements: Statement[];
  readonly outcome: (results: readonly D1Result<unknown>[]) => T;
};

/**
 * The audit log of the D1 store. D1 has no interactive transactions, so a unit cannot read the last
 * hash and insert the next entry under one lock. Instead a unit reads the head first, chains its
 * entries after it (seq = head + 1, …), and sends one batch that inserts them with those explicit
 * seqs. `seq` is the primary key: if any other unit appended in between, the insert of the same seq
 * fails, the whole batch rolls back, and the unit reads the new head and tries again. So every
 * entry that is kept was chained to the entry that really precedes it: the log never forks and
 * never has gaps, however units interleave.
 */
export function auditOps(db: D1Database) {
  async function head(): Promise<{ seq: number; hash: string }> {
    const row = await db
      .prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .first<{ seq: number; hash: string }>();
    return row ?? { seq: 0, hash: GENESIS };
  }

  async function chain(records: readonly AuditRecord[]): Promise<AuditEntry[]> {
    let { seq, hash } = await head();
    const entries: AuditEntry[] = [];
    for (const record of records) {
      seq += 1;
      const unhashed = { ...record, seq, prev: hash };
      hash = await sha256Hex(canonicalEntry(unhashed));
      entries.push({ ...unhashed, hash });
    }
    return entries;
  }

  /** Runs a unit that appends `records`, trying again while other units move the head. */
  async function run<T>(records: readonly AuditRecord[], unit: AuditedUnit<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      const entries = await chain(records);
      const { statements, outcome } = unit(entries);
      try {
        return outcome(await db.batch(statements));
      } catch (error) {
        if (!isSeqConflict(error)) throw error;
        if (tries >= MAX_TRIES) {
          throw new YrdxError('store_contention', { params: { tries }, cause: error });
        }
      }
    }
  }

  /** Inserts `entry` when `guard` (SQL, with `@`-parameters in `params`) holds; always when absent. */
  function insertEntry(entry: AuditEntry, guard?: Guard): Statement {
    return sql(
      db,
      `INSERT INTO audit_log (${COLUMNS})
       SELECT @seq, @at, @kind, @messageId, @partner, @domain, @type, @sha256, @actor, @role, @action,
         @outcome, @status, @detail, @prev, @hash
       ${guard === undefined ? '' : `WHERE ${guard.sql}`}`,
      {
        ...guard?.params,
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
      },
    );
  }

  async function purge(
    cutoffs: Readonly<Partial<Record<Domain, number>>>,
    now: number,
  ): Promise<PurgeOutcome> {
    const statements: Statement[] = [];
    const inboundCondition = `domain = @domain AND received_at < @cutoff AND purged_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM local_deliveries l WHERE l.iss = inbound_messages.iss
        AND l.jti = inbound_messages.jti AND l.status IN ('queued', 'sending', 'retry'))`;
    const kinds: ('outbound' | 'inbound' | 'bodies')[] = [];
    for (const [domain, cutoff] of Object.entries(cutoffs)) {
      if (cutoff === undefined) continue;
      const params = { domain, cutoff, now };
      // Bodies first: the condition still sees the messages as not yet purged.
      statements.push(
        sql(
          db,
          `UPDATE local_deliveries SET body = 'null'
           WHERE (iss, jti) IN (SELECT iss, jti FROM inbound_messages WHERE ${inboundCondition})`,
          params,
        ),
        sql(
          db,
          `UPDATE inbound_messages SET token = '', canonical = 'null', purged_at = @now
           WHERE ${inboundCondition} RETURNING jti`,
          params,
        ),
        sql(
          db,
          `UPDATE outbound_messages SET token = '', canonical = 'null', purged_at = @now
           WHERE domain = @domain AND created_at < @cutoff AND purged_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = outbound_messages.message_id
               AND d.status IN ('queued', 'sending', 'retry'))
           RETURNING message_id`,
          params,
        ),
      );
      kinds.push('bodies', 'inbound', 'outbound');
    }
    if (statements.length === 0) return { outbound: 0, inbound: 0 };
    const results = await db.batch(statements);
    let outbound = 0;
    let inbound = 0;
    kinds.forEach((kind, i) => {
      if (kind === 'outbound') outbound += rowsOf(results, i).length;
      if (kind === 'inbound') inbound += rowsOf(results, i).length;
    });
    return { outbound, inbound };
  }

  return {
    run,
    insertEntry,
    /** SQL that holds once `entry` was inserted by this batch: the marker the rest of a unit is conditional on. */
    written(entry: AuditEntry): Guard {
      return {
        sql: 'EXISTS (SELECT 1 FROM audit_log WHERE seq = @markerSeq AND hash = @markerHash)',
        params: { markerSeq: entry.seq, markerHash: entry.hash },
      };
    },
    async append(record: AuditRecord): Promise<AuditEntry> {
      return run([record], ([entry]) => {
        if (entry === undefined) throw new Error('no entry chained');
        return { statements: [insertEntry(entry)], outcome: () => entry };
      });
    },
    async read(r: AuditRange = {}): Promise<AuditEntry[]> {
      const rows = await sql(
        db,
        `SELECT ${COLUMNS} FROM audit_log WHERE seq >= @from AND seq <= @to ORDER BY seq LIMIT @limit`,
        { from: r.fromSeq ?? 1, to: r.toSeq ?? Number.MAX_SAFE_INTEGER, limit: r.limit ?? -1 },
      ).all<AuditRow>();
      return rows.results.map(entryOf);
    },
    async forMessage(messageId: string): Promise<AuditEntry[]> {
      const rows = await sql(db, `SELECT ${COLUMNS} FROM audit_log WHERE message_id = @id ORDER BY seq`, {
        id: messageId,
      }).all<AuditRow>();
      return rows.results.map(entryOf);
    },
    async highWater(): Promise<number> {
      const row = await db
        .prepare(
          `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
             coalesce((SELECT max(seq) FROM audit_log), 0)) AS high`,
        )
        .first<{ high: number }>();
      return row?.high ?? 0;
    },
    purge,
  };
}

export type AuditOps = ReturnType<typeof auditOps>;

/** The batch failed because another unit took the seq this one chained its entry at. */
function isSeqConflict(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  return /UNIQUE constraint failed: audit_log\.seq|PRIMARY KEY.*audit_log/i.test(text);
}

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
