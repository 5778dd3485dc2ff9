import { randomUUID } from 'node:crypto';
import type {
  ClaimRequest,
  DeliveryStatus,
  InboundView,
  LeaseToken,
  LocalClaim,
  LocalOutcome,
  PullPage,
  ReceiveInbound,
  ReceiveOutcome,
} from '../port.js';
import { decodeCursor, encodeCursor } from '../rows.js';
import type { AuditOps } from './audit.js';
import { type Db, fromJson, optional, toJson } from './json.js';
import type { ThreadOps } from './threads.js';

export { decodeCursor, encodeCursor } from '../rows.js';

interface InboundRow {
  iss: string;
  jti: string;
  sha256: string;
  token: string;
  type: InboundView['type'];
  domain: InboundView['domain'];
  thread: string;
  received_at: number;
  receipt_token: string;
  purged_at: number | null;
  traceparent: string | null;
}

/** A local delivery joined with the message it carries. */
interface LocalRow {
  seq: number;
  local_delivery_id: string;
  local_system: string;
  iss: string;
  jti: string;
  type: InboundView['type'];
  domain: InboundView['domain'];
  thread: string;
  body: string;
  attempts: number;
  traceparent: string | null;
}

const LOCAL_COLUMNS = `l.seq, l.local_delivery_id, l.local_system, l.iss, l.jti, m.type, m.domain, m.thread,
  l.body, l.attempts, m.traceparent`;

/** The inbound half of the SQLite store: the replay record, local deliveries (push and pull). */
export function inboundOps(db: Db, threads: ThreadOps, audit: AuditOps) {
  const insertMessage = db.prepare(
    `INSERT INTO inbound_messages (iss, jti, sha256, token, type, domain, contract, thread, in_reply_to,
       canonical, receipt_token, receipt_sha256, expires_at, received_at, traceparent)
     VALUES (@iss, @jti, @sha256, @token, @type, @domain, @contract, @thread, @inReplyTo,
       @canonical, @receiptToken, @receiptSha256, @expiresAt, @now, @traceparent)
     ON CONFLICT (iss, jti) DO NOTHING`,
  );
  const findMessage = db.prepare<[string, string], { sha256: string; receipt_token: string }>(
    'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = ? AND jti = ?',
  );
  const insertLocal = db.prepare(
    `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, status, attempts,
       next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)`,
  );
  const selectMessage = db.prepare<[string, string], InboundRow>(
    `SELECT iss, jti, sha256, token, type, domain, thread, received_at, receipt_token, purged_at, traceparent
     FROM inbound_messages WHERE iss = ? AND jti = ?`,
  );
  const selectLocals = db.prepare<
    [string, string],
    {
      local_delivery_id: string;
      local_system: string;
      mode: 'push' | 'pull';
      status: DeliveryStatus | 'acked';
      attempts: number;
      last_error: string | null;
    }
  >(
    'SELECT local_delivery_id, local_system, mode, status, attempts, last_error FROM local_deliveries WHERE iss = ? AND jti = ? ORDER BY seq',
  );
  const selectDue = db.prepare<{ now: number; exclude: string; limit: number }, LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     WHERE l.mode = 'push'
       AND ((l.status IN ('queued', 'retry') AND l.next_attempt_at <= @now)
         OR (l.status = 'sending' AND l.lease_until < @now))
       AND l.local_system NOT IN (SELECT value FROM json_each(@exclude))
     ORDER BY CASE WHEN l.status = 'sending' THEN l.lease_until ELSE l.next_attempt_at END, l.seq
     LIMIT @limit`,
  );
  const lease = db.prepare(
    `UPDATE local_deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
       lease_owner = ?, lease_token = ?, lease_until = ?, updated_at = ?
     WHERE seq = ?`,
  );
  const settle = db.prepare(
    `UPDATE local_deliveries SET status = @status, next_attempt_at = @nextAttemptAt, last_error = @lastError,
       lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
     WHERE local_delivery_id = @id AND mode = 'push' AND status = 'sending' AND lease_token = @leaseToken
       AND lease_until >= @now`,
  );
  const requeue = db.prepare(
    `UPDATE local_deliveries SET status = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ?
     WHERE local_delivery_id = ? AND mode = 'push' AND status = 'dead'
       AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.iss = local_deliveries.iss
         AND m.jti = local_deliveries.jti AND m.purged_at IS NOT NULL)`,
  );
  const selectPull = db.prepare<[string, number, number], LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     WHERE l.local_system = ? AND l.mode = 'pull' AND l.seq > ? AND l.status <> 'acked'
     ORDER BY l.seq LIMIT ?`,
  );
  const ack = db.prepare(
    `UPDATE local_deliveries SET status = 'acked', acked_at = ?, updated_at = ?
     WHERE local_system = ? AND mode = 'pull' AND seq <= ? AND status <> 'acked'`,
  );

  const receive = db.transaction((input: ReceiveInbound, now: number): ReceiveOutcome => {
    const inserted = insertMessage.run({
      iss: input.iss,
      jti: input.jti,
      sha256: input.sha256,
      token: input.token,
      type: input.type,
      domain: input.domain,
      contract: input.contract,
      thread: input.thread,
      inReplyTo: input.inReplyTo ?? null,
      canonical: toJson(input.canonical),
      receiptToken: input.receipt.token,
      receiptSha256: input.receipt.sha256,
      expiresAt: input.expiresAt,
      now,
      traceparent: input.traceparent ?? null,
    });
    if (inserted.changes === 0) {
      const stored = findMessage.get(input.iss, input.jti);
      if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
      return stored.sha256 === input.sha256
        ? { status: 'duplicate', receiptToken: stored.receipt_token }
        : { status: 'conflict' };
    }
    for (const local of input.localDeliveries) {
      const due = local.mode === 'push' ? now : null;
      insertLocal.run(
        randomUUID(),
        input.iss,
        input.jti,
        local.localSystem,
        local.mode,
        toJson(local.body),
        due,
        now,
        now,
      );
    }
    if (input.threadChange !== undefined) threads.apply(input.threadChange, now);
    const about = { messageId: input.jti, partner: input.iss, domain: input.domain, type: input.type };
    audit.append({ at: now, kind: 'message-in', ...about, sha256: input.sha256 });
    audit.append({ at: now, kind: 'receipt-out', ...about, sha256: input.receipt.sha256 });
    return { status: 'stored' };
  });

  const view = db.transaction((iss: string, jti: string): InboundView | undefined => {
    const row = selectMessage.get(iss, jti);
    if (row === undefined) return undefined;
    return {
      iss: row.iss,
      jti: row.jti,
      sha256: row.sha256,
      token: row.token,
      type: row.type,
      domain: row.domain,
      thread: row.thread,
      receivedAt: row.received_at,
      receiptToken: row.receipt_token,
      ...optional('purgedAt', row.purged_at),
      ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
      localDeliveries: selectLocals.all(iss, jti).map((l) => ({
        id: l.local_delivery_id,
        localSystem: l.local_system,
        mode: l.mode,
        status: l.status,
        attempts: l.attempts,
        ...(l.last_error === null ? {} : { lastError: l.last_error }),
      })),
    };
  });

  const claim = db.transaction((request: ClaimRequest, now: number): LocalClaim[] => {
    if (request.limit <= 0) return [];
    const due = selectDue.all({ now, exclude: JSON.stringify(request.exclude ?? []), limit: request.limit });
    return due.map((row) => {
      const leaseToken = randomUUID();
      lease.run(request.worker, leaseToken, now + request.leaseMs, now, row.seq);
      return { ...message(row), id: row.local_delivery_id, leaseToken, attempts: row.attempts + 1 };
    });
  });

  const complete = db.transaction((token: LeaseToken, outcome: LocalOutcome, now: number): boolean => {
    const params =
      outcome.kind === 'delivered'
        ? { status: 'delivered', nextAttemptAt: null, lastError: null }
        : outcome.kind === 'retry'
          ? { status: 'retry', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error }
          : { status: 'dead', nextAttemptAt: null, lastError: outcome.error };
    return settle.run({ ...params, id: token.id, leaseToken: token.leaseToken, now }).changes > 0;
  });

  const list = db.transaction((localSystem: string, cursor: string | undefined, limit: number): PullPage => {
    const after = cursor === undefined ? 0 : decodeCursor(cursor);
    if (limit <= 0) return { items: [], cursor };
    const items = selectPull
      .all(localSystem, after, limit)
      .map((row) => ({ ...message(row), cursor: encodeCursor(row.seq) }));
    return { items, cursor: items.at(-1)?.cursor ?? cursor };
  });

  const requeueDead = db.transaction(
    (id: string, now: number): boolean => requeue.run(now, now, id).changes > 0,
  );

  const acknowledge = db.transaction(
    (localSystem: string, cursor: string, now: number): number =>
      ack.run(now, now, localSystem, decodeCursor(cursor)).changes,
  );

  return {
    receive: (input: ReceiveInbound, now: number) => receive.immediate(input, now),
    view: (iss: string, jti: string) => view.deferred(iss, jti),
    claimPushes: (request: ClaimRequest, now: number) => claim.immediate(request, now),
    completePush: (token: LeaseToken, outcome: LocalOutcome, now: number) =>
      complete.immediate(token, outcome, now),
    requeuePush: (id: string, now: number) => requeueDead.immediate(id, now),
    listPull: (localSystem: string, cursor: string | undefined, limit: number) =>
      list.deferred(localSystem, cursor, limit),
    ackPull: (localSystem: string, cursor: string, now: number) =>
      acknowledge.immediate(localSystem, cursor, now),
  };
}

function message(row: LocalRow): Omit<LocalClaim, 'leaseToken' | 'attempts' | 'id'> {
  return {
    localSystem: row.local_system,
    iss: row.iss,
    jti: row.jti,
    type: row.type,
    domain: row.domain,
    thread: row.thread,
    body: fromJson(row.body),
    ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
  };
}
