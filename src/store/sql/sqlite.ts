import type { ActivityRow, DeadRow } from '../rows/search.js';

// SQL in the SQLite dialect (`@name` parameters, `json_each`, `rowid`, `group_concat`) that the
// embedded SQLite store (src/store/sqlite/) and D1 (src/store/d1/, which binds `@name` through its
// `sql` helper) both run, with the named parameters they bind. Where the two differ (D1's guarded
// `INSERT … SELECT … WHERE`, its claim by one UPDATE), each keeps its own statement and shares
// the parts here. SQL that PostgreSQL shares too is in the other files of this folder.

/** The outbox view's deliveries, by `@messageId`, in the order they were stored. */
export const SELECT_DELIVERIES = `SELECT delivery_id, recipient, status, attempts, next_attempt_at, last_error,
  receipt_token, receipt_sha256, receipt_received_at, rejection_status, rejection_code, rejection_detail
  FROM deliveries WHERE message_id = @messageId ORDER BY rowid`;
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

/** Like `DUE_DELIVERIES`, for pushes `l` to local systems (excluded by `@exclude`). */
export const DUE_LOCAL_PUSHES = `WHERE l.mode = 'push'
  AND ((l.status IN ('queued', 'retry') AND l.next_attempt_at <= @now)
    OR (l.status = 'sending' AND l.lease_until < @now))
  AND l.local_system NOT IN (SELECT value FROM json_each(@exclude))
  ORDER BY CASE WHEN l.status = 'sending' THEN l.lease_until ELSE l.next_attempt_at END, l.seq
  LIMIT @limit`;

/** The values of `AUDIT_COLUMNS`, bound by `auditParams`. */
export const AUDIT_VALUES = `@seq, @at, @kind, @messageId, @partner, @domain, @type, @sha256, @actor, @role,
  @action, @outcome, @status, @detail, @prev, @hash`;

/** The highest seq the log ever had (kept by AUTOINCREMENT even when rows are gone), as `high`. */
export const AUDIT_HIGH_WATER = `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
  coalesce((SELECT max(seq) FROM audit_log), 0)) AS high`;

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
