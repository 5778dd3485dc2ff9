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
import { DUE_DELIVERIES, SELECT_DELIVERIES, SETTLE_DELIVERY } from '../sql/sqlite.js';
import type { AuditOps } from './audit.js';
import { type D1Database, type Guard, rowsOf, type Statement, sql } from './db.js';
import type { FileOps } from './files.js';
import type { ThreadOps } from './threads.js';

type ClaimedRow = DueRow & { lease_token: string };

/**
 * The outbound half of the D1 store. Each method is one `batch()`: its writes are conditional
 * statements (guards in SQL), so the batch decides atomically, on the state it runs against,
 * whether the unit takes effect.
 */
export function outboundOps(db: D1Database, threads: ThreadOps, audit: AuditOps, files: FileOps) {
  const event = (
    messageId: string,
    at: number,
    name: string,
    recipient: string | null,
    detail: string | null,
    guard: Guard,
  ): Statement =>
    sql(
      db,
      `INSERT INTO history_events (message_id, at, event, recipient, detail)
       SELECT @eventMessage, @eventAt, @eventName, @eventRecipient, @eventDetail WHERE ${guard.sql}`,
      {
        ...guard.params,
        eventMessage: messageId,
        eventAt: at,
        eventName: name,
        eventRecipient: recipient,
        eventDetail: detail,
      },
    );

  /**
   * The message-out entry is the unit's marker: it is inserted only when the idempotency key is
   * new, and every other statement is conditional on it being there.
   */
  async function submit(input: SubmitOutbound, now: number): Promise<SubmitOutcome> {
    const key = input.idempotency;
    const recipients = [...new Set(input.recipients)];
    const record = {
      at: now,
      kind: 'message-out',
      messageId: input.messageId,
      partner: recipients.join(','),
      domain: input.domain,
      type: input.type,
      sha256: input.sha256,
    } as const;
    const keyParams = { keySystem: input.localSystem, keyName: key?.key ?? null };
    return audit.run([record], ([entry]) => {
      if (entry === undefined) throw new Error('no entry chained');
      const fresh: Guard =
        key === undefined
          ? { sql: '1', params: {} }
          : {
              sql: 'NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE local_system = @keySystem AND idem_key = @keyName)',
              params: keyParams,
            };
      const marker = audit.written(entry);
      const statements: Statement[] = [
        audit.insertEntry(entry, fresh),
        sql(
          db,
          `${INSERT_OUTBOUND_MESSAGE}
           SELECT ${OUTBOUND_MESSAGE_VALUES}
           WHERE ${marker.sql}`,
          { ...marker.params, ...outboundMessageParams(input, now) },
        ),
        ...recipients.map((recipient) =>
          sql(
            db,
            `INSERT INTO deliveries (delivery_id, message_id, recipient, status, attempts, next_attempt_at, updated_at)
             SELECT @id, @messageId, @recipient, 'queued', 0, @now, @now WHERE ${marker.sql}`,
            { ...marker.params, id: crypto.randomUUID(), messageId: input.messageId, recipient, now },
          ),
        ),
        ...files.attach(input, now, marker),
        event(input.messageId, now, 'submitted', null, null, marker),
        event(input.messageId, now, 'sealed', null, input.sha256, marker),
      ];
      if (input.threadChange !== undefined)
        statements.push(...threads.apply(input.threadChange, now, marker));
      if (key !== undefined) {
        statements.push(
          sql(
            db,
            `INSERT INTO idempotency_keys (local_system, idem_key, request_sha256, message_id, created_at)
             SELECT @keySystem, @keyName, @requestSha256, @messageId, @now WHERE ${marker.sql}`,
            {
              ...marker.params,
              ...keyParams,
              requestSha256: key.requestSha256,
              messageId: input.messageId,
              now,
            },
          ),
          sql(
            db,
            'SELECT request_sha256, message_id FROM idempotency_keys WHERE local_system = @keySystem AND idem_key = @keyName',
            keyParams,
          ),
        );
      }
      return {
        statements,
        outcome: async (results): Promise<SubmitOutcome> => {
          if (key === undefined) return { status: 'stored', messageId: input.messageId };
          const [stored] = rowsOf<{ request_sha256: string; message_id: string }>(
            results,
            results.length - 1,
          );
          if (stored === undefined) throw new Error(`idempotency key of ${input.messageId} vanished`);
          if (stored.message_id === input.messageId) return { status: 'stored', messageId: input.messageId };
          return (await sameBytesAsync(stored.request_sha256, key.requestSha256, key.requestBody))
            ? { status: 'replayed', messageId: stored.message_id }
            : { status: 'conflict' };
        },
      };
    });
  }

  async function findKey(localSystem: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await sql(
      db,
      'SELECT request_sha256, message_id FROM idempotency_keys WHERE local_system = @localSystem AND idem_key = @key',
      { localSystem, key },
    ).first<{ request_sha256: string; message_id: string }>();
    return row === null ? undefined : { messageId: row.message_id, requestSha256: row.request_sha256 };
  }

  async function view(messageId: string): Promise<OutboundView | undefined> {
    const params = { messageId };
    // One batch: the three reads see one state of the database.
    const results = await db.batch([
      sql(db, SELECT_OUTBOUND_MESSAGE, params),
      sql(db, SELECT_DELIVERIES, params),
      sql(db, SELECT_EVENTS, params),
    ]);
    const [row] = rowsOf<MessageRow>(results, 0);
    if (row === undefined) return undefined;
    return outboundView(row, rowsOf<DeliveryRow>(results, 1), rowsOf<EventRow>(results, 2));
  }

  /**
   * A claim is one guarded `UPDATE … RETURNING` over the due rows: each gets a lease token made of
   * a new claim id and its own delivery id, so the batch's next statements find exactly the rows
   * this claim leased.
   */
  async function claim(request: ClaimRequest, now: number): Promise<DeliveryClaim[]> {
    if (request.limit <= 0) return [];
    const params = {
      claim: crypto.randomUUID(),
      worker: request.worker,
      until: now + request.leaseMs,
      now,
      exclude: JSON.stringify(request.exclude ?? []),
      limit: request.limit,
    };
    const mine = `d.status = 'sending' AND d.lease_until = @until AND substr(d.lease_token, 1, 36) = @claim`;
    const results = await db.batch([
      sql(
        db,
        `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
           lease_owner = @worker, lease_token = @claim || ':' || delivery_id, lease_until = @until, updated_at = @now
         WHERE delivery_id IN (
           SELECT d.delivery_id FROM deliveries d
           ${DUE_DELIVERIES})`,
        params,
      ),
      sql(
        db,
        `INSERT INTO history_events (message_id, at, event, recipient, detail)
         SELECT d.message_id, @now, 'sending', d.recipient, 'attempt ' || d.attempts
         FROM deliveries d WHERE ${mine} ORDER BY d.rowid`,
        params,
      ),
      sql(
        db,
        `SELECT d.delivery_id, d.lease_token, d.message_id, d.recipient, d.attempts, m.token, m.sha256,
           m.expires_at, m.traceparent, m.domain, m.type, m.created_at
         FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
         WHERE ${mine} ORDER BY d.rowid`,
        params,
      ),
    ]);
    return rowsOf<ClaimedRow>(results, 2).map((row) => deliveryClaim(row, row.lease_token, row.attempts));
  }

  /**
   * The outcome's events (and the receipt-in entry) are inserted before the guarded UPDATE, under
   * the same lease condition: they all see the lease as it was, and the UPDATE then ends it.
   */
  async function complete(token: LeaseToken, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    const about = await sql(
      db,
      `SELECT d.message_id, d.recipient, m.domain, m.type
       FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id WHERE d.delivery_id = @id`,
      { id: token.id },
    ).first<{ message_id: string; recipient: string; domain: string; type: string }>();
    if (about === null) return false;
    const held: Guard = {
      sql: `EXISTS (SELECT 1 FROM deliveries WHERE delivery_id = @leaseId AND status = 'sending'
        AND lease_token = @leaseToken AND lease_until >= @leaseNow)`,
      params: { leaseId: token.id, leaseToken: token.leaseToken, leaseNow: now },
    };
    const { message_id: messageId, recipient } = about;
    const settle = () =>
      sql(
        db,
        `${SETTLE_DELIVERY}
       WHERE delivery_id = @leaseId AND status = 'sending' AND lease_token = @leaseToken AND lease_until >= @now
       RETURNING delivery_id`,
        { ...settleParams(outcome, now), ...held.params, now },
      );
    const settled = (results: readonly { results: unknown[] }[]) => (results.at(-1)?.results.length ?? 0) > 0;
    const settledBy = settlement(outcome);
    const events = settledBy.events.map((e) => event(messageId, now, e.event, recipient, e.detail, held));
    if (settledBy.receipt === undefined) return settled(await db.batch([...events, settle()]));
    const record = {
      at: now,
      kind: 'receipt-in',
      messageId,
      partner: recipient,
      domain: about.domain,
      type: about.type,
      ...settledBy.receipt,
    } as const;
    return audit.run([record], ([entry]) => {
      if (entry === undefined) throw new Error('no entry chained');
      return { statements: [audit.insertEntry(entry, held), ...events, settle()], outcome: settled };
    });
  }

  async function requeue(deliveryId: string, now: number): Promise<boolean> {
    const params = { id: deliveryId, now };
    const dead = `delivery_id = @id AND status = 'dead'
      AND message_id NOT IN (SELECT message_id FROM outbound_messages WHERE purged_at IS NOT NULL)`;
    const results = await db.batch([
      sql(
        db,
        `INSERT INTO history_events (message_id, at, event, recipient, detail)
         SELECT message_id, @now, 'requeued', recipient, NULL FROM deliveries WHERE ${dead}`,
        params,
      ),
      sql(
        db,
        `UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = @now, updated_at = @now
         WHERE ${dead} RETURNING delivery_id`,
        params,
      ),
    ]);
    return rowsOf(results, 1).length > 0;
  }

  return { submit, findKey, view, claim, complete, requeue };
}
