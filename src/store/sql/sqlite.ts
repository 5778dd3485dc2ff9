import type { ReceiveInbound, SubmitOutbound } from '../port.js';
import type { ActivityRow, DeadRow } from '../rows/search.js';
import { CONSOLE_SESSION_COLUMNS } from '../rows/sessions.js';
import { toJson } from '../rows/values.js';

// SQL in the SQLite dialect (`@name` parameters, `json_each`, `rowid`, `group_concat`) that the
// embedded SQLite store (src/store/sqlite/) and D1 (src/store/d1/, which binds `@name` through its
// `sql` helper) both run, with the named parameters they bind. Where the two differ (D1's guarded
// `INSERT … SELECT … WHERE`, its claim by one UPDATE), each keeps its own statement and shares
// the parts here. SQL that PostgreSQL shares too is in ./threads.ts and ./search.ts.

/** The columns of a new outbound message; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_OUTBOUND_MESSAGE = `INSERT INTO outbound_messages (message_id, local_system, type, domain,
  contract, thread, in_reply_to, token, sha256, canonical, case_number, created_at, expires_at, traceparent)`;

/** The values of `INSERT_OUTBOUND_MESSAGE`, bound by `outboundMessageParams`. */
export const OUTBOUND_MESSAGE_VALUES = `@messageId, @localSystem, @type, @domain, @contract, @thread, @inReplyTo,
  @token, @sha256, @canonical, @caseNumber, @now, @expiresAt, @traceparent`;

export function outboundMessageParams(input: SubmitOutbound, now: number): Record<string, unknown> {
  return {
    messageId: input.messageId,
    localSystem: input.localSystem,
    type: input.type,
    domain: input.domain,
    contract: input.contract,
    thread: input.thread,
    inReplyTo: input.inReplyTo ?? null,
    token: input.token,
    sha256: input.sha256,
    canonical: toJson(input.canonical),
    caseNumber: input.caseNumber ?? null,
    now,
    expiresAt: input.expiresAt,
    traceparent: input.traceparent ?? null,
  };
}

/** The outbox view's reads, by `@messageId`. */
export const SELECT_OUTBOUND_MESSAGE = `SELECT message_id, local_system, type, domain, contract, thread, in_reply_to,
  token, sha256, created_at, expires_at, purged_at, traceparent
  FROM outbound_messages WHERE message_id = @messageId`;
export const SELECT_DELIVERIES = `SELECT delivery_id, recipient, status, attempts, next_attempt_at, last_error,
  receipt_token, receipt_sha256, receipt_received_at, rejection_status, rejection_code, rejection_detail
  FROM deliveries WHERE message_id = @messageId ORDER BY rowid`;
export const SELECT_EVENTS =
  'SELECT at, event, recipient, detail FROM history_events WHERE message_id = @messageId ORDER BY seq';

/**
 * The deliveries `d` a claim leases at `@now`: due ones and those whose lease expired, except to
 * the recipients in the JSON array `@exclude`, oldest first, at most `@limit`.
 */
export const DUE_DELIVERIES = `WHERE ((d.status IN ('queued', 'retry') AND d.next_attempt_at <= @now)
    OR (d.status = 'sending' AND d.lease_until < @now))
  AND d.recipient NOT IN (SELECT value FROM json_each(@exclude))
  ORDER BY CASE WHEN d.status = 'sending' THEN d.lease_until ELSE d.next_attempt_at END, d.rowid
  LIMIT @limit`;

/** Writes the columns of `settleParams` (store/settle.ts) and ends the lease; followed by the guard on the lease. */
export const SETTLE_DELIVERY = `UPDATE deliveries SET status = @status, next_attempt_at = @nextAttemptAt,
  last_error = @lastError, receipt_token = @receiptToken, receipt_sha256 = @receiptSha256,
  receipt_received_at = @receiptReceivedAt, rejection_status = @rejectionStatus,
  rejection_code = @rejectionCode, rejection_detail = @rejectionDetail,
  lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now`;

/** The columns of a new inbound message; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_INBOUND_MESSAGE = `INSERT INTO inbound_messages (iss, jti, sha256, token, type, domain,
  contract, thread, in_reply_to, canonical, case_number, receipt_token, receipt_sha256, expires_at, received_at,
  traceparent)`;

/** The values of `INSERT_INBOUND_MESSAGE`, bound by `inboundMessageParams`. */
export const INBOUND_MESSAGE_VALUES = `@iss, @jti, @sha256, @token, @type, @domain, @contract, @thread, @inReplyTo,
  @canonical, @caseNumber, @receiptToken, @receiptSha256, @expiresAt, @now, @traceparent`;

export function inboundMessageParams(input: ReceiveInbound, now: number): Record<string, unknown> {
  return {
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
    caseNumber: input.caseNumber ?? null,
    receiptToken: input.receipt.token,
    receiptSha256: input.receipt.sha256,
    expiresAt: input.expiresAt,
    now,
    traceparent: input.traceparent ?? null,
  };
}

/** The inbound view's reads, by `@iss` and `@jti`. */
export const SELECT_INBOUND_MESSAGE = `SELECT iss, jti, sha256, token, type, domain, thread, received_at,
  receipt_token, purged_at, traceparent
  FROM inbound_messages WHERE iss = @iss AND jti = @jti`;
export const SELECT_LOCAL_DELIVERIES = `SELECT local_delivery_id, local_system, mode, status, attempts, last_error
  FROM local_deliveries WHERE iss = @iss AND jti = @jti ORDER BY seq`;

/** Like `DUE_DELIVERIES`, for pushes `l` to local systems (excluded by `@exclude`). */
export const DUE_LOCAL_PUSHES = `WHERE l.mode = 'push'
  AND ((l.status IN ('queued', 'retry') AND l.next_attempt_at <= @now)
    OR (l.status = 'sending' AND l.lease_until < @now))
  AND l.local_system NOT IN (SELECT value FROM json_each(@exclude))
  ORDER BY CASE WHEN l.status = 'sending' THEN l.lease_until ELSE l.next_attempt_at END, l.seq
  LIMIT @limit`;

/** Writes the columns of `localSettleParams` while push `@id` holds the lease `@leaseToken` at `@now`. */
export const SETTLE_LOCAL_PUSH = `UPDATE local_deliveries SET status = @status, next_attempt_at = @nextAttemptAt,
  last_error = @lastError, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
  WHERE local_delivery_id = @id AND mode = 'push' AND status = 'sending' AND lease_token = @leaseToken
    AND lease_until >= @now`;

/** Queues dead push `@id` again at `@now`, unless its message's payload was purged. */
export const REQUEUE_LOCAL_PUSH = `UPDATE local_deliveries SET status = 'queued', attempts = 0,
  next_attempt_at = @now, updated_at = @now
  WHERE local_delivery_id = @id AND mode = 'push' AND status = 'dead'
    AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.iss = local_deliveries.iss
      AND m.jti = local_deliveries.jti AND m.purged_at IS NOT NULL)`;

/** Acknowledges the pulls of `@localSystem` up to seq `@upTo`, at `@now`. */
export const ACK_PULLS = `UPDATE local_deliveries SET status = 'acked', acked_at = @now, updated_at = @now
  WHERE local_system = @localSystem AND mode = 'pull' AND seq <= @upTo AND status <> 'acked'`;

/** The values of `AUDIT_COLUMNS`, bound by `auditParams`. */
export const AUDIT_VALUES = `@seq, @at, @kind, @messageId, @partner, @domain, @type, @sha256, @actor, @role,
  @action, @outcome, @status, @detail, @prev, @hash`;

/** The highest seq the log ever had (kept by AUTOINCREMENT even when rows are gone), as `high`. */
export const AUDIT_HIGH_WATER = `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
  coalesce((SELECT max(seq) FROM audit_log), 0)) AS high`;

/** Outbound messages of `@domain` created before `@cutoff` whose deliveries are all settled. */
export const PURGEABLE_OUTBOUND = `domain = @domain AND created_at < @cutoff AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = outbound_messages.message_id
    AND d.status IN ('queued', 'sending', 'retry'))`;

/** Inbound messages of `@domain` received before `@cutoff` whose local deliveries are all settled. */
export const PURGEABLE_INBOUND = `domain = @domain AND received_at < @cutoff AND purged_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM local_deliveries l WHERE l.iss = inbound_messages.iss
    AND l.jti = inbound_messages.jti AND l.status IN ('queued', 'sending', 'retry'))`;

/** Dead deliveries to partners (`@partner`, or all when NULL), oldest first, at most `@limit`. */
export const DEAD_DELIVERIES = `SELECT 'partner' AS kind, d.delivery_id, d.message_id, d.recipient AS partner,
    NULL AS local_system, m.type, m.domain, d.attempts, d.last_error, d.updated_at AS at
  FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
  WHERE d.status = 'dead' AND (@partner IS NULL OR d.recipient = @partner)
  ORDER BY d.updated_at, d.delivery_id LIMIT @limit`;

/** Like `DEAD_DELIVERIES`, for pushes to local systems of messages from `@partner`. */
export const DEAD_LOCAL_DELIVERIES = `SELECT 'local' AS kind, l.local_delivery_id AS delivery_id,
    l.jti AS message_id, l.iss AS partner, l.local_system, i.type, i.domain, l.attempts, l.last_error,
    l.updated_at AS at
  FROM local_deliveries l JOIN inbound_messages i ON i.iss = l.iss AND i.jti = l.jti
  WHERE l.status = 'dead' AND (@partner IS NULL OR l.iss = @partner)
  ORDER BY l.updated_at, l.seq LIMIT @limit`;

/** The dead letters of both queries, oldest first, at most `limit`. */
export function mergeDeadLetters(
  partner: readonly DeadRow[],
  local: readonly DeadRow[],
  limit: number,
): DeadRow[] {
  return [...partner, ...local]
    .sort((a, b) => a.at - b.at || a.delivery_id.localeCompare(b.delivery_id))
    .slice(0, limit);
}

/** Per partner: deliveries queued and dead now, and the last receipt. */
export const PARTNER_QUEUES = `SELECT recipient AS partner,
    sum(status IN ('queued', 'retry', 'sending')) AS queued,
    sum(status = 'dead') AS dead,
    max(receipt_received_at) AS last_success_at
  FROM deliveries GROUP BY recipient`;

/** Per partner: deliveries that succeeded and failed since `@since`. */
export const PARTNER_OUTCOMES = `SELECT recipient AS partner,
    sum(event = 'delivered') AS delivered,
    sum(event IN ('retry', 'rejected', 'dead')) AS failed
  FROM history_events WHERE recipient IS NOT NULL AND at >= @since
    AND event IN ('delivered', 'retry', 'rejected', 'dead')
  GROUP BY recipient`;

/** Joins the rows of `PARTNER_QUEUES` and `PARTNER_OUTCOMES` by partner, in order of partner. */
export function mergeActivity(
  queues: readonly { partner: string; queued: number; dead: number; last_success_at: number | null }[],
  outcomes: readonly { partner: string; delivered: number; failed: number }[],
): ActivityRow[] {
  const byPartner = new Map<string, ActivityRow>();
  const entry = (partner: string) => {
    let e = byPartner.get(partner);
    if (e === undefined) {
      e = { partner, delivered: 0, failed: 0, queued: 0, dead: 0, last_success_at: null };
      byPartner.set(partner, e);
    }
    return e;
  };
  for (const row of queues) {
    const e = entry(row.partner);
    e.queued = row.queued;
    e.dead = row.dead;
    e.last_success_at = row.last_success_at;
  }
  for (const row of outcomes) {
    const e = entry(row.partner);
    e.delivered = row.delivered;
    e.failed = row.failed;
  }
  return [...byPartner.values()].sort((a, b) => a.partner.localeCompare(b.partner));
}

// --- console sessions (see Store.startConsoleSession) -------------------------------------------

export const SWEEP_CONSOLE_SESSIONS = 'DELETE FROM console_sessions WHERE expires_at <= @now';
export const INSERT_CONSOLE_SESSION = `INSERT INTO console_sessions
  (id_hash, credential, role, csrf, started_at, ends_at, expires_at)
  VALUES (@idHash, @credential, @role, @csrf, @startedAt, @endsAt, @expiresAt)`;
export const TOUCH_CONSOLE_SESSION = `UPDATE console_sessions SET expires_at = MIN(@renewTo, ends_at)
  WHERE id_hash = @idHash AND expires_at > @now AND ends_at > @now
  RETURNING ${CONSOLE_SESSION_COLUMNS}`;
export const END_CONSOLE_SESSION = 'DELETE FROM console_sessions WHERE id_hash = @idHash';
