import type { Domain } from '../../vocabulary/messages.js';
import { type AuditEntry, type AuditRecord, chainAfter } from '../audit-chain.js';
import type { AuditRange, PurgeOutcome } from '../port.js';
import { AUDIT_COLUMNS, type AuditRow, auditEntry, auditParams } from '../rows/audit.js';
import type { Tx } from './db.js';

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
  for (const [domain, cutoff] of Object.entries(cutoffs)) {
    if (cutoff === undefined) continue;
    oldest = Math.min(oldest ?? cutoff, cutoff);
    const out = await tx.query(
      `UPDATE outbound_messages SET token = '', canonical = 'null', purged_at = $1
       WHERE domain = $2 AND created_at < $3 AND purged_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = outbound_messages.message_id
           AND d.status IN ('queued', 'sending', 'retry'))`,
      [now, domain, cutoff],
    );
    outbound += out.rowCount ?? 0;
    const purged = await tx.query<{ iss: string; jti: string }>(
      `UPDATE inbound_messages SET token = '', canonical = 'null', purged_at = $1
       WHERE domain = $2 AND received_at < $3 AND purged_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM local_deliveries l WHERE l.iss = inbound_messages.iss
           AND l.jti = inbound_messages.jti AND l.status IN ('queued', 'sending', 'retry'))
       RETURNING iss, jti`,
      [now, domain, cutoff],
    );
    for (const row of purged.rows) {
      await tx.query("UPDATE local_deliveries SET body = 'null' WHERE iss = $1 AND jti = $2", [
        row.iss,
        row.jti,
      ]);
      inbound++;
    }
  }
  if (oldest !== undefined) await tx.query('DELETE FROM claim_log WHERE settled_at < $1', [oldest]);
  return { outbound, inbound };
}
