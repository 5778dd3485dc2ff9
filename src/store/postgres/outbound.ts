import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit-chain.js';
import type {
  ClaimRequest,
  DeliveryClaim,
  DeliveryOutcome,
  IdempotencyRecord,
  LeaseToken,
  OutboundView,
  SubmitOutbound,
  SubmitOutcome,
} from '../port.js';
import {
  type DeliveryRow,
  type DueRow,
  deliveryClaim,
  type EventRow,
  type MessageRow,
  outboundView,
} from '../rows/outbox.js';
import { sameBytesAsync } from '../same-bytes.js';
import { settlement, settleParams } from '../settle.js';
import {
  INSERT_OUTBOUND_MESSAGE,
  OUTBOUND_MESSAGE_VALUES,
  outboundMessageParams,
  SELECT_EVENTS,
  SELECT_OUTBOUND_MESSAGE,
} from '../sql/messages.js';
import { appendAudit, lockAuditHead } from './audit.js';
import { dueRows, leaseRows, logSettled } from './claims.js';
import { queryNamed, type Tx } from './db.js';
import { attachOutbound } from './files.js';
import { applyThreadChange } from './threads.js';

type Sha256 = (text: string) => string;

/** Inserts history events in one statement. */
async function insertEvents(
  tx: Tx,
  events: readonly { messageId: string; at: number; event: string; recipient?: string; detail?: string }[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO history_events (message_id, at, event, recipient, detail)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[])`,
    [
      events.map((e) => e.messageId),
      events.map((e) => e.at),
      events.map((e) => e.event),
      events.map((e) => e.recipient ?? null),
      events.map((e) => e.detail ?? null),
    ],
  );
}

/**
 * A submission. The idempotency key is inserted first: of concurrent submissions under one key, the
 * unique index lets one insert it and makes the others wait for that unit to end, then see its key
 * (`replayed` or `conflict`, nothing written).
 */
export async function submitOutbound(
  tx: Tx,
  input: SubmitOutbound,
  now: number,
  sha256: Sha256,
): Promise<SubmitOutcome> {
  const key = input.idempotency;
  if (key !== undefined) {
    const inserted = await tx.query(
      `INSERT INTO idempotency_keys (local_system, idem_key, request_sha256, message_id, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (local_system, idem_key) DO NOTHING`,
      [input.localSystem, key.key, key.requestSha256, input.messageId, now],
    );
    if (inserted.rowCount === 0) {
      const { rows } = await tx.query<{ request_sha256: string; message_id: string }>(
        'SELECT request_sha256, message_id FROM idempotency_keys WHERE local_system = $1 AND idem_key = $2',
        [input.localSystem, key.key],
      );
      const stored = rows[0];
      if (stored === undefined) throw new Error(`idempotency key ${key.key} vanished`);
      return (await sameBytesAsync(stored.request_sha256, key.requestSha256, key.requestBody))
        ? { status: 'replayed', messageId: stored.message_id }
        : { status: 'conflict' };
    }
  }
  await queryNamed(
    tx,
    `${INSERT_OUTBOUND_MESSAGE} VALUES (${OUTBOUND_MESSAGE_VALUES})`,
    outboundMessageParams(input, now),
  );
  await attachOutbound(tx, input, now);
  const recipients = [...new Set(input.recipients)];
  await tx.query(
    `INSERT INTO deliveries (delivery_id, message_id, recipient, status, attempts, next_attempt_at, updated_at)
     SELECT d, $2, r, 'queued', 0, $3, $3 FROM unnest($1::text[], $4::text[]) AS t(d, r)`,
    [recipients.map(() => randomUUID()), input.messageId, now, recipients],
  );
  await insertEvents(tx, [
    { messageId: input.messageId, at: now, event: 'submitted' },
    { messageId: input.messageId, at: now, event: 'sealed', detail: input.sha256 },
  ]);
  if (input.threadChange !== undefined) await applyThreadChange(tx, input.threadChange, now);
  // Last, so that the chain's lock is held for as short a time as possible.
  await appendAudit(
    tx,
    await lockAuditHead(tx),
    [
      {
        at: now,
        kind: 'message-out',
        messageId: input.messageId,
        partner: recipients.join(','),
        domain: input.domain,
        type: input.type,
        sha256: input.sha256,
      },
    ],
    sha256,
  );
  return { status: 'stored', messageId: input.messageId };
}

export async function findIdempotencyKey(
  tx: Tx,
  localSystem: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  const { rows } = await tx.query<{ request_sha256: string; message_id: string }>(
    'SELECT request_sha256, message_id FROM idempotency_keys WHERE local_system = $1 AND idem_key = $2',
    [localSystem, key],
  );
  const row = rows[0];
  return row === undefined ? undefined : { messageId: row.message_id, requestSha256: row.request_sha256 };
}

export async function getOutbound(tx: Tx, messageId: string): Promise<OutboundView | undefined> {
  const { rows } = await queryNamed<MessageRow>(tx, SELECT_OUTBOUND_MESSAGE, { messageId });
  const row = rows[0];
  if (row === undefined) return undefined;
  const deliveries = await tx.query<DeliveryRow>(
    `SELECT delivery_id, recipient, status, attempts, next_attempt_at, last_error, receipt_token,
       receipt_sha256, receipt_received_at, rejection_status, rejection_code, rejection_detail
     FROM deliveries WHERE message_id = $1 ORDER BY seq`,
    [messageId],
  );
  const events = await queryNamed<EventRow>(tx, SELECT_EVENTS, { messageId });
  return outboundView(row, deliveries.rows, events.rows);
}

/**
 * Leases due deliveries. `FOR UPDATE SKIP LOCKED`: instances claiming at once each lock different
 * rows and never wait for one another; a row being leased by another unit is simply not due here.
 */
export async function claimDeliveries(tx: Tx, request: ClaimRequest, now: number): Promise<DeliveryClaim[]> {
  if (request.limit <= 0) return [];
  const due = dueRows('d');
  const { rows } = await tx.query<DueRow>(
    `SELECT d.delivery_id, d.message_id, d.recipient, d.attempts, m.token, m.sha256, m.expires_at,
       m.traceparent, m.domain, m.type, m.created_at
     FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
     WHERE ${due.where} AND d.recipient <> ALL ($2::text[])
     ${due.order}
     LIMIT $3
     FOR UPDATE OF d SKIP LOCKED`,
    [now, request.exclude ?? [], request.limit],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.delivery_id);
  const tokens = await leaseRows(tx, 'delivery', request, now, ids, ids);
  await insertEvents(
    tx,
    rows.map((r) => ({
      messageId: r.message_id,
      at: now,
      event: 'sending',
      recipient: r.recipient,
      detail: `attempt ${r.attempts + 1}`,
    })),
  );
  return rows.map((row, i) => deliveryClaim(row, tokens[i]!, row.attempts + 1));
}

export async function completeDelivery(
  tx: Tx,
  claim: LeaseToken,
  outcome: DeliveryOutcome,
  now: number,
  sha256: Sha256,
): Promise<boolean> {
  const p = settleParams(outcome, now);
  // One guarded UPDATE: it writes only while the caller holds the lease.
  const { rows } = await tx.query<{ message_id: string; recipient: string }>(
    `UPDATE deliveries SET status = $1, next_attempt_at = $2, last_error = $3,
       receipt_token = $4, receipt_sha256 = $5, receipt_received_at = $6,
       rejection_status = $7, rejection_code = $8, rejection_detail = $9,
       lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = $10
     WHERE delivery_id = $11 AND status = 'sending' AND lease_token = $12 AND lease_until >= $10
     RETURNING message_id, recipient`,
    [
      p.status,
      p.nextAttemptAt,
      p.lastError,
      p.receiptToken,
      p.receiptSha256,
      p.receiptReceivedAt,
      p.rejectionStatus,
      p.rejectionCode,
      p.rejectionDetail,
      now,
      claim.id,
      claim.leaseToken,
    ],
  );
  const changed = rows[0];
  if (changed === undefined) return false;
  await logSettled(tx, claim.leaseToken, now);
  const { message_id: messageId, recipient } = changed;
  const settled = settlement(outcome);
  await insertEvents(
    tx,
    settled.events.map((e) => ({
      messageId,
      at: now,
      event: e.event,
      recipient,
      ...(e.detail === null ? {} : { detail: e.detail }),
    })),
  );
  if (settled.receipt !== undefined) {
    const kind = await tx.query<{ domain: AuditRecord['domain']; type: AuditRecord['type'] }>(
      'SELECT domain, type FROM outbound_messages WHERE message_id = $1',
      [messageId],
    );
    await appendAudit(
      tx,
      await lockAuditHead(tx),
      [{ at: now, kind: 'receipt-in', messageId, partner: recipient, ...kind.rows[0], ...settled.receipt }],
      sha256,
    );
  }
  return true;
}

export async function requeueDelivery(tx: Tx, deliveryId: string, now: number): Promise<boolean> {
  const { rows } = await tx.query<{ message_id: string; recipient: string }>(
    `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = $1, updated_at = $1
     WHERE delivery_id = $2 AND status = 'dead'
       AND message_id NOT IN (SELECT message_id FROM outbound_messages WHERE purged_at IS NOT NULL)
     RETURNING message_id, recipient`,
    [now, deliveryId],
  );
  const changed = rows[0];
  if (changed === undefined) return false;
  await insertEvents(tx, [
    { messageId: changed.message_id, at: now, event: 'requeued', recipient: changed.recipient },
  ]);
  return true;
}
