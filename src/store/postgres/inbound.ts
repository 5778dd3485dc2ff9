import { randomUUID } from 'node:crypto';
import type {
  ClaimRequest,
  InboundView,
  LeaseToken,
  LocalClaim,
  LocalOutcome,
  PullPage,
  ReceiveInbound,
  ReceiveOutcome,
} from '../port.js';
import { type InboundRow, inboundView, type LocalDeliveryRow } from '../rows/inbox.js';
import {
  decodeCursor,
  encodeCursor,
  LOCAL_COLUMNS,
  type LocalRow,
  localMessage,
  localSettleParams,
} from '../rows/local.js';
import { toJson } from '../rows/values.js';
import { appendAudit, lockAuditHead } from './audit.js';
import { dueRows, leaseRows, logSettled } from './claims.js';
import type { Tx } from './db.js';
import { applyThreadChange } from './threads.js';

/**
 * A received message. The (iss, jti) primary key decides between concurrent receptions of one
 * message: one inserts, the others wait for its unit and then find the stored row.
 */
export async function receiveInbound(
  tx: Tx,
  input: ReceiveInbound,
  now: number,
  sha256: (text: string) => string,
): Promise<ReceiveOutcome> {
  const inserted = await tx.query(
    `INSERT INTO inbound_messages (iss, jti, sha256, token, type, domain, contract, thread, in_reply_to,
       canonical, case_number, receipt_token, receipt_sha256, expires_at, received_at, traceparent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (iss, jti) DO NOTHING`,
    [
      input.iss,
      input.jti,
      input.sha256,
      input.token,
      input.type,
      input.domain,
      input.contract,
      input.thread,
      input.inReplyTo ?? null,
      toJson(input.canonical),
      input.caseNumber ?? null,
      input.receipt.token,
      input.receipt.sha256,
      input.expiresAt,
      now,
      input.traceparent ?? null,
    ],
  );
  if (inserted.rowCount === 0) {
    const { rows } = await tx.query<{ sha256: string; receipt_token: string }>(
      'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = $1 AND jti = $2',
      [input.iss, input.jti],
    );
    const stored = rows[0];
    if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
    return stored.sha256 === input.sha256
      ? { status: 'duplicate', receiptToken: stored.receipt_token }
      : { status: 'conflict' };
  }
  if (input.threadChange !== undefined) await applyThreadChange(tx, input.threadChange, now);
  // The chain's lock is taken before the local deliveries get their seq: units then assign seqs in
  // the order they commit, so a pull cursor never passes a row that becomes visible later.
  const head = await lockAuditHead(tx);
  if (input.localDeliveries.length > 0) {
    const locals = input.localDeliveries;
    await tx.query(
      `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, status, attempts,
         next_attempt_at, created_at, updated_at)
       SELECT id, $1, $2, ls, mode, body, 'queued', 0, CASE WHEN mode = 'push' THEN $3::bigint END, $3, $3
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS v(id, ls, mode, body, n)
       ORDER BY n`,
      [
        input.iss,
        input.jti,
        now,
        locals.map(() => randomUUID()),
        locals.map((l) => l.localSystem),
        locals.map((l) => l.mode),
        locals.map((l) => toJson(l.body)),
      ],
    );
  }
  const about = { messageId: input.jti, partner: input.iss, domain: input.domain, type: input.type };
  await appendAudit(
    tx,
    head,
    [
      { at: now, kind: 'message-in', ...about, sha256: input.sha256 },
      { at: now, kind: 'receipt-out', ...about, sha256: input.receipt.sha256 },
    ],
    sha256,
  );
  return { status: 'stored' };
}

export async function getInbound(tx: Tx, iss: string, jti: string): Promise<InboundView | undefined> {
  const { rows } = await tx.query<InboundRow>(
    `SELECT iss, jti, sha256, token, type, domain, thread, received_at, receipt_token, purged_at, traceparent
     FROM inbound_messages WHERE iss = $1 AND jti = $2`,
    [iss, jti],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  const locals = await tx.query<LocalDeliveryRow>(
    `SELECT local_delivery_id, local_system, mode, status, attempts, last_error
     FROM local_deliveries WHERE iss = $1 AND jti = $2 ORDER BY seq`,
    [iss, jti],
  );
  return inboundView(row, locals.rows);
}

/** Leases due pushes to local systems, `FOR UPDATE SKIP LOCKED` as deliveries to partners. */
export async function claimLocalPushes(tx: Tx, request: ClaimRequest, now: number): Promise<LocalClaim[]> {
  if (request.limit <= 0) return [];
  const due = dueRows('l');
  const { rows } = await tx.query<LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     WHERE l.mode = 'push' AND ${due.where} AND l.local_system <> ALL ($2::text[])
     ${due.order}
     LIMIT $3
     FOR UPDATE OF l SKIP LOCKED`,
    [now, request.exclude ?? [], request.limit],
  );
  if (rows.length === 0) return [];
  const tokens = await leaseRows(
    tx,
    'local-push',
    request,
    now,
    rows.map((r) => r.seq),
    rows.map((r) => r.local_delivery_id),
  );
  return rows.map((row, i) => ({
    ...localMessage(row),
    id: row.local_delivery_id,
    leaseToken: tokens[i]!,
    attempts: row.attempts + 1,
  }));
}

export async function completeLocalPush(
  tx: Tx,
  claim: LeaseToken,
  outcome: LocalOutcome,
  now: number,
): Promise<boolean> {
  const { status, nextAttemptAt, lastError } = localSettleParams(outcome);
  const settled = await tx.query(
    `UPDATE local_deliveries SET status = $1, next_attempt_at = $2, last_error = $3,
       lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = $4
     WHERE local_delivery_id = $5 AND mode = 'push' AND status = 'sending' AND lease_token = $6
       AND lease_until >= $4`,
    [status, nextAttemptAt, lastError, now, claim.id, claim.leaseToken],
  );
  if (settled.rowCount === 0) return false;
  await logSettled(tx, claim.leaseToken, now);
  return true;
}

export async function requeueLocalPush(tx: Tx, id: string, now: number): Promise<boolean> {
  const requeued = await tx.query(
    `UPDATE local_deliveries SET status = 'queued', attempts = 0, next_attempt_at = $1, updated_at = $1
     WHERE local_delivery_id = $2 AND mode = 'push' AND status = 'dead'
       AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.iss = local_deliveries.iss
         AND m.jti = local_deliveries.jti AND m.purged_at IS NOT NULL)`,
    [now, id],
  );
  return (requeued.rowCount ?? 0) > 0;
}

export async function listPull(
  tx: Tx,
  localSystem: string,
  cursor: string | undefined,
  limit: number,
): Promise<PullPage> {
  const after = cursor === undefined ? 0 : decodeCursor(cursor);
  if (limit <= 0) return { items: [], cursor };
  const { rows } = await tx.query<LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     WHERE l.local_system = $1 AND l.mode = 'pull' AND l.seq > $2 AND l.status <> 'acked'
     ORDER BY l.seq LIMIT $3`,
    [localSystem, after, limit],
  );
  const items = rows.map((row) => ({ ...localMessage(row), cursor: encodeCursor(row.seq) }));
  return { items, cursor: items.at(-1)?.cursor ?? cursor };
}

export async function ackPull(tx: Tx, localSystem: string, cursor: string, now: number): Promise<number> {
  const acked = await tx.query(
    `UPDATE local_deliveries SET status = 'acked', acked_at = $1, updated_at = $1
     WHERE local_system = $2 AND mode = 'pull' AND seq <= $3 AND status <> 'acked'`,
    [now, localSystem, decodeCursor(cursor)],
  );
  return acked.rowCount ?? 0;
}
