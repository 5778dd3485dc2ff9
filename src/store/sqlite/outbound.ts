import { createHash, randomUUID } from 'node:crypto';
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
import { sameBytes } from '../same-bytes.js';
import { settlement, settleParams } from '../settle.js';
import {
  INSERT_OUTBOUND_MESSAGE,
  OUTBOUND_MESSAGE_VALUES,
  outboundMessageParams,
  SELECT_EVENTS,
  SELECT_OUTBOUND_MESSAGE,
} from '../sql/messages.js';
import { DUE_DELIVERIES, SELECT_DELIVERIES, SETTLE_DELIVERY } from '../sql/sqlite.js';
import type { AuditOps } from './audit.js';
import type { Db } from './db.js';
import type { FileOps } from './files.js';
import type { ThreadOps } from './threads.js';

/** SHA-256 of a text, synchronously (a unit is one synchronous transaction). */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The outbound half of the SQLite store: the outbox, its deliveries and their history. */
export function outboundOps(db: Db, threads: ThreadOps, audit: AuditOps, files: FileOps) {
  const findKey = db.prepare<[string, string], { request_sha256: string; message_id: string }>(
    'SELECT request_sha256, message_id FROM idempotency_keys WHERE local_system = ? AND idem_key = ?',
  );
  const insertMessage = db.prepare(`${INSERT_OUTBOUND_MESSAGE} VALUES (${OUTBOUND_MESSAGE_VALUES})`);
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (delivery_id, message_id, recipient, status, attempts, next_attempt_at, updated_at)
     VALUES (?, ?, ?, 'queued', 0, ?, ?)`,
  );
  const insertKey = db.prepare(
    `INSERT INTO idempotency_keys (local_system, idem_key, request_sha256, message_id, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO history_events (message_id, at, event, recipient, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const selectMessage = db.prepare<{ messageId: string }, MessageRow>(SELECT_OUTBOUND_MESSAGE);
  const selectKind = db.prepare<[string], { domain: string; type: string }>(
    'SELECT domain, type FROM outbound_messages WHERE message_id = ?',
  );
  const selectDeliveries = db.prepare<{ messageId: string }, DeliveryRow>(SELECT_DELIVERIES);
  const selectEvents = db.prepare<{ messageId: string }, EventRow>(SELECT_EVENTS);
  const selectDue = db.prepare<{ now: number; exclude: string; limit: number }, DueRow>(
    `SELECT d.delivery_id, d.message_id, d.recipient, d.attempts, m.token, m.sha256, m.expires_at,
       m.traceparent, m.domain, m.type, m.created_at
     FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
     ${DUE_DELIVERIES}`,
  );
  const lease = db.prepare(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
       lease_owner = ?, lease_token = ?, lease_until = ?, updated_at = ?
     WHERE delivery_id = ?`,
  );
  // Every outcome goes through one guarded UPDATE: it writes only while the caller holds the lease.
  const settle = db.prepare<Record<string, unknown>, { message_id: string; recipient: string }>(
    `${SETTLE_DELIVERY}
     WHERE delivery_id = @id AND status = 'sending' AND lease_token = @leaseToken AND lease_until >= @now
     RETURNING message_id, recipient`,
  );
  const requeue = db.prepare<[number, number, string], { message_id: string; recipient: string }>(
    `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE delivery_id = ? AND status = 'dead'
       AND message_id NOT IN (SELECT message_id FROM outbound_messages WHERE purged_at IS NOT NULL)
     RETURNING message_id, recipient`,
  );

  const submit = db.transaction((input: SubmitOutbound, now: number): SubmitOutcome => {
    const key = input.idempotency;
    if (key !== undefined) {
      const stored = findKey.get(input.localSystem, key.key);
      if (stored !== undefined) {
        return sameBytes(stored.request_sha256, key.requestSha256, key.requestBody, sha256)
          ? { status: 'replayed', messageId: stored.message_id }
          : { status: 'conflict' };
      }
    }
    insertMessage.run(outboundMessageParams(input, now));
    files.attachOutbound(input, now);
    for (const recipient of new Set(input.recipients)) {
      insertDelivery.run(randomUUID(), input.messageId, recipient, now, now);
    }
    if (key !== undefined) insertKey.run(input.localSystem, key.key, key.requestSha256, input.messageId, now);
    insertEvent.run(input.messageId, now, 'submitted', null, null);
    insertEvent.run(input.messageId, now, 'sealed', null, input.sha256);
    audit.append({
      at: now,
      kind: 'message-out',
      messageId: input.messageId,
      partner: [...new Set(input.recipients)].join(','),
      domain: input.domain,
      type: input.type,
      sha256: input.sha256,
    });
    if (input.threadChange !== undefined) threads.apply(input.threadChange, now);
    return { status: 'stored', messageId: input.messageId };
  });

  const view = db.transaction((messageId: string): OutboundView | undefined => {
    const row = selectMessage.get({ messageId });
    if (row === undefined) return undefined;
    return outboundView(row, selectDeliveries.all({ messageId }), selectEvents.all({ messageId }));
  });

  const claim = db.transaction((request: ClaimRequest, now: number): DeliveryClaim[] => {
    if (request.limit <= 0) return [];
    const due = selectDue.all({ now, exclude: JSON.stringify(request.exclude ?? []), limit: request.limit });
    return due.map((row) => {
      const leaseToken = randomUUID();
      lease.run(request.worker, leaseToken, now + request.leaseMs, now, row.delivery_id);
      const attempts = row.attempts + 1;
      insertEvent.run(row.message_id, now, 'sending', row.recipient, `attempt ${attempts}`);
      return deliveryClaim(row, leaseToken, attempts);
    });
  });

  const complete = db.transaction((token: LeaseToken, outcome: DeliveryOutcome, now: number): boolean => {
    const changed = settle.get({
      ...settleParams(outcome, now),
      id: token.id,
      leaseToken: token.leaseToken,
      now,
    });
    if (changed === undefined) return false;
    const { message_id: messageId, recipient } = changed;
    const settled = settlement(outcome);
    for (const e of settled.events) insertEvent.run(messageId, now, e.event, recipient, e.detail);
    if (settled.receipt !== undefined) {
      audit.append({
        at: now,
        kind: 'receipt-in',
        messageId,
        partner: recipient,
        ...selectKind.get(messageId),
        ...settled.receipt,
      });
    }
    return true;
  });

  const requeueDead = db.transaction((deliveryId: string, now: number): boolean => {
    const changed = requeue.get(now, now, deliveryId);
    if (changed === undefined) return false;
    insertEvent.run(changed.message_id, now, 'requeued', changed.recipient, null);
    return true;
  });

  return {
    submit: (input: SubmitOutbound, now: number) => submit.immediate(input, now),
    findKey: (localSystem: string, key: string): IdempotencyRecord | undefined => {
      const row = findKey.get(localSystem, key);
      return row === undefined ? undefined : { messageId: row.message_id, requestSha256: row.request_sha256 };
    },
    view: (messageId: string) => view.deferred(messageId),
    claim: (request: ClaimRequest, now: number) => claim.immediate(request, now),
    complete: (token: LeaseToken, outcome: DeliveryOutcome, now: number) =>
      complete.immediate(token, outcome, now),
    requeue: (deliveryId: string, now: number) => requeueDead.immediate(deliveryId, now),
  };
}
