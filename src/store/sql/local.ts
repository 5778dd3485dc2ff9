// Settling, requeueing and acknowledging deliveries to local systems, the same in SQLite, D1 and
// PostgreSQL: written once with `@name` parameters (the SQLite store binds them as they are, D1
// and PostgreSQL through ./bind.ts).

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

/** The canonical form of message `@jti` as delivered to `@localSystem` (the first, should two partners share a jti). */
export const SELECT_LOCAL_CANONICAL = `SELECT m.iss, m.jti, m.type, m.domain, m.contract, m.canonical, l.losses
  FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
  WHERE l.local_system = @localSystem AND l.jti = @jti
  ORDER BY l.seq LIMIT 1`;
