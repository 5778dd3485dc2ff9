import { type DigestAlgorithm, type Digester, digestAlgorithmOf, sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import type { Domain } from '../../vocabulary/messages.js';
import { boundRecord } from '../audit-bounds.js';
import {
  type AuditEntry,
  type AuditRecord,
  canonicalEntry,
  digestChangeMark,
  GENESIS,
} from '../audit-chain.js';
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
import { type D1Database, type D1Result, type Guard, rowsOf, type Statement, sql } from './db.js';

/** How often a unit is tried again when other units appended to the log between its read and its batch. */
const MAX_TRIES = 64;

/**
 * A unit that appends audit entries, given the entries chained after the head it read. Its
 * statements must insert each entry with `insertEntry` (conditional on what the unit guards) and
 * make every other write conditional on `written(entries[0])`, the unit's commit marker.
 */
export type AuditedUnit<T> = (entries: readonly AuditEntry[]) => {
  readonly statements: Statement[];
  readonly outcome: (results: readonly D1Result<unknown>[]) => T | Promise<T>;
};

/**
 * The audit log of the D1 store. D1 has no interactive transactions, so a unit cannot read the last
 * hash and insert the next entry under one lock. Instead a unit reads the head first, chains its
 * entries after it (seq = head + 1, …), and sends one batch that inserts them with those explicit
 * seqs. `seq` is the primary key: if any other unit appended in between, the insert of the same seq
 * fails, the whole batch rolls back, and the unit reads the new head and tries again. So every
 * entry that is kept was chained to the entry that really precedes it: the log never forks and
 * never has gaps, however units interleave.
 *
 * `digest` (in the kept form; Web Crypto's SHA-256 by default) chains the entries. When the head was
 * chained under another algorithm, the mark of the change goes first, inserted by the same batch
 * whatever the unit's guards decide (it is true either way: the next entry is of the new algorithm).
 */
export function auditOps(db: D1Database, digest: Digester = sha256Hex) {
  let algorithm: Promise<DigestAlgorithm> | undefined;
  const algorithmOf = () => {
    algorithm ??= Promise.resolve(digest('')).then((d) => {
      const named = digestAlgorithmOf(d);
      if (named === undefined) throw new Error('the audit digest does not return a kept digest');
      return named;
    });
    return algorithm;
  };

  async function head(): Promise<{ seq: number; hash: string }> {
    const row = await db
      .prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .first<{ seq: number; hash: string }>();
    return row ?? { seq: 0, hash: GENESIS };
  }

  /** The records' entries chained after the head, and the mark of an algorithm change before them when due. */
  async function chain(
    records: readonly AuditRecord[],
  ): Promise<{ mark: AuditEntry | undefined; entries: AuditEntry[] }> {
    let { seq, hash } = await head();
    const alg = await algorithmOf();
    const next = async (record: AuditRecord): Promise<AuditEntry> => {
      seq += 1;
      const unhashed = { ...boundRecord(record), seq, prev: hash };
      hash = await digest(canonicalEntry(unhashed, alg));
      return { ...unhashed, hash };
    };
    const due = records[0] && digestChangeMark({ seq, hash }, alg, records[0].at);
    const mark = due === undefined ? undefined : await next(due);
    const entries: AuditEntry[] = [];
    for (const record of records) entries.push(await next(record));
    return { mark, entries };
  }

  /** Runs a unit that appends `records`, trying again while other units move the head. */
  async function run<T>(records: readonly AuditRecord[], unit: AuditedUnit<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      const { mark, entries } = await chain(records);
      const { statements, outcome } = unit(entries);
      const marked = mark === undefined ? statements : [insertEntry(mark), ...statements];
      try {
        const results = await db.batch(marked);
        return await outcome(results.slice(marked.length - statements.length));
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
      `INSERT INTO audit_log (${AUDIT_COLUMNS})
       SELECT ${AUDIT_VALUES}
       ${guard === undefined ? '' : `WHERE ${guard.sql}`}`,
      { ...guard?.params, ...auditParams(entry) },
    );
  }

  async function purge(
    cutoffs: Readonly<Partial<Record<Domain, number>>>,
    now: number,
  ): Promise<PurgeOutcome> {
    const statements: Statement[] = [];
    const kinds: ('blobs' | 'outbound' | 'inbound' | 'other')[] = [];
    for (const [domain, cutoff] of Object.entries(cutoffs)) {
      if (cutoff === undefined) continue;
      const params = { domain, cutoff, now };
      // One atomic batch, in order: what is freed is read before the files go, the marks come last.
      statements.push(
        sql(db, FREED_BLOBS, params),
        sql(db, PURGE_FILES, params),
        sql(db, PURGE_HELD, params),
        sql(db, END_FILE_FETCHES, params),
        sql(db, PURGE_LOCAL_BODIES, params),
        sql(db, `${PURGE_INBOUND} RETURNING jti`, params),
        sql(db, `${PURGE_OUTBOUND} RETURNING message_id`, params),
      );
      kinds.push('blobs', 'other', 'other', 'other', 'other', 'inbound', 'outbound');
    }
    if (statements.length === 0) return { outbound: 0, inbound: 0, blobs: [] };
    const results = await db.batch(statements);
    let outbound = 0;
    let inbound = 0;
    const blobs = new Set<string>();
    kinds.forEach((kind, i) => {
      if (kind === 'outbound') outbound += rowsOf(results, i).length;
      if (kind === 'inbound') inbound += rowsOf(results, i).length;
      if (kind === 'blobs') for (const row of rowsOf<{ digest: string }>(results, i)) blobs.add(row.digest);
    });
    return { outbound, inbound, blobs: [...blobs].sort() };
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
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= @from AND seq <= @to ORDER BY seq LIMIT @limit`,
        { from: r.fromSeq ?? 1, to: r.toSeq ?? Number.MAX_SAFE_INTEGER, limit: r.limit ?? -1 },
      ).all<AuditRow>();
      return rows.results.map(auditEntry);
    },
    async forMessage(messageId: string): Promise<AuditEntry[]> {
      const rows = await sql(
        db,
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE message_id = @id ORDER BY seq`,
        {
          id: messageId,
        },
      ).all<AuditRow>();
      return rows.results.map(auditEntry);
    },
    async highWater(): Promise<number> {
      const row = await db.prepare(AUDIT_HIGH_WATER).first<{ high: number }>();
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
