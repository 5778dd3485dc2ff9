import type { Domain } from '../../vocabulary/messages.js';
import { type AuditEntry, type AuditRecord, chainAfter } from '../audit-chain.js';
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
import { queryNamed, type Tx } from './db.js';

/**
 * Locks the head of the audit chain for the rest of the unit and returns it. Every unit that appends
 * takes this row lock first, so units of several instances append one after another; the lock is
 * released by the unit's COMMIT or ROLLBACK.
 */
export async function lockAuditHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  const { rows } = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE',
  );
  const head = rows[0];
  if (head === undefined) throw new Error('audit_head is missing: the store was not migrated');
  return head;
}

/**
 * Chains and inserts entries after the head, inside the caller's unit (which holds the head's lock,
 * see `lockAuditHead`), and moves the head. The entries returned are the records' own; the mark of
 * an algorithm change (when `digest` is not the head's algorithm) is inserted before them.
 */
export async function appendAudit(
  tx: Tx,
  head: { seq: number; hash: string },
  records: readonly AuditRecord[],
  digest: (text: string) => string,
): Promise<AuditEntry[]> {
  const chained = chainAfter(head, records, digest);
  for (const entry of chained) {
    await tx.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      Object.values(auditParams(entry)),
    );
  }
  const last = chained.at(-1);
  if (last !== undefined)
    await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1', [last.seq, last.hash]);
  return chained.slice(chained.length - records.length);
}

export async function readAudit(tx: Tx, r: AuditRange = {}): Promise<AuditEntry[]> {
  const { rows } = await tx.query<AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
    [r.fromSeq ?? 1, r.toSeq ?? Number.MAX_SAFE_INTEGER, r.limit ?? null],
  );
  return rows.map(auditEntry);
}

export async function auditForMessage(tx: Tx, messageId: string): Promise<AuditEntry[]> {
  const { rows } = await tx.query<AuditRow>(
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE message_id = $1 ORDER BY seq`,
    [messageId],
  );
  return rows.map(auditEntry);
}

export async function auditHighWater(tx: Tx): Promise<number> {
  const { rows } = await tx.query<{ seq: number }>(
    'SELECT greatest((SELECT seq FROM audit_head WHERE id = 1), (SELECT max(seq) FROM audit_log)) AS seq',
  );
  return rows[0]?.seq ?? 0;
}

/** Payload retention (see the port); also prunes the claim log of leases settled before the cutoffs. */
export async function purgePayloads(
  tx: Tx,
  cutoffs: Readonly<Partial<Record<Domain, number>>>,
  now: number,
): Promise<PurgeOutcome> {
  let outbound = 0;
  let inbound = 0;
  let oldest: number | undefined;
  const blobs = new Set<string>();
  for (const [domain, cutoff] of Object.entries(cutoffs)) {
    if (cutoff === undefined) continue;
    oldest = Math.min(oldest ?? cutoff, cutoff);
    const params = { domain, cutoff, now };
    // In order: what is freed is read before the files go, the marks come last.
    for (const row of (await queryNamed<{ digest: string }>(tx, FREED_BLOBS, params)).rows)
      blobs.add(row.digest);
    for (const step of [PURGE_FILES, PURGE_HELD, END_FILE_FETCHES, PURGE_LOCAL_BODIES])
      await queryNamed(tx, step, params);
    inbound += (await queryNamed(tx, PURGE_INBOUND, params)).rowCount ?? 0;
    outbound += (await queryNamed(tx, PURGE_OUTBOUND, params)).rowCount ?? 0;
  }
  if (oldest !== undefined) await tx.query('DELETE FROM claim_log WHERE settled_at < $1', [oldest]);
  return { outbound, inbound, blobs: [...blobs].sort() };
}
