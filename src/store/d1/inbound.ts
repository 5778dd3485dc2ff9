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
import { decodeCursor, encodeCursor, fromJson, optional, toJson } from '../rows.js';
import type { AuditOps } from './audit.js';
import type { ThreadOps } from './threads.js';
import { type D1Database, type Guard, rowsOf, type Statement, sql } from './types.js';

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

interface LocalRow {
  seq: number;
  local_delivery_id: string;
  lease_token: string | null;
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

const LOCAL_COLUMNS = `l.seq, l.local_delivery_id, l.lease_token, l.local_system, l.iss, l.jti, m.type, m.domain,
  m.thread, l.body, l.attempts, m.traceparent`;

/** The inbound half of the D1 store: the replay record and local deliveries (push and pull). */
export function inboundOps(db: D1Database, threads: ThreadOps, audit: AuditOps) {
  /**
   * The message-in entry is the unit's marker: it is inserted only when (iss, jti) is new, and the
   * message, its receipt-out entry, local deliveries and thread change are conditional on it.
   */
  async function receive(input: ReceiveInbound, now: number): Promise<ReceiveOutcome> {
    const about = { messageId: input.jti, partner: input.iss, domain: input.domain, type: input.type };
    const records = [
      { at: now, kind: 'message-in', ...about, sha256: input.sha256 },
      { at: now, kind: 'receipt-out', ...about, sha256: input.receipt.sha256 },
    ] as const;
    const key = { iss: input.iss, jti: input.jti };
    return audit.run(records, ([messageIn, receiptOut]) => {
      if (messageIn === undefined || receiptOut === undefined) throw new Error('no entries chained');
      const fresh: Guard = {
        sql: 'NOT EXISTS (SELECT 1 FROM inbound_messages WHERE iss = @iss AND jti = @jti)',
        params: key,
      };
      const marker = audit.written(messageIn);
      const statements: Statement[] = [
        audit.insertEntry(messageIn, fresh),
        audit.insertEntry(receiptOut, marker),
        sql(
          db,
          `INSERT INTO inbound_messages (iss, jti, sha256, token, type, domain, contract, thread, in_reply_to,
             canonical, receipt_token, receipt_sha256, expires_at, received_at, traceparent)
           SELECT @iss, @jti, @sha256, @token, @type, @domain, @contract, @thread, @inReplyTo,
             @canonical, @receiptToken, @receiptSha256, @expiresAt, @now, @traceparent
           WHERE ${marker.sql}`,
          {
            ...marker.params,
            ...key,
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
          },
        ),
        ...input.localDeliveries.map((local) =>
          sql(
            db,
            `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, status, attempts,
               next_attempt_at, created_at, updated_at)
             SELECT @id, @iss, @jti, @localSystem, @mode, @body, 'queued', 0, @due, @now, @now
             WHERE ${marker.sql}`,
            {
              ...marker.params,
              ...key,
              id: crypto.randomUUID(),
              localSystem: local.localSystem,
              mode: local.mode,
              body: toJson(local.body),
              due: local.mode === 'push' ? now : null,
              now,
            },
          ),
        ),
      ];
      if (input.threadChange !== undefined) statements.push(threads.apply(input.threadChange, now, marker));
      statements.push(
        sql(db, 'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = @iss AND jti = @jti', key),
        sql(db, `SELECT ${marker.sql} AS stored`, marker.params),
      );
      return {
        statements,
        outcome: (results): ReceiveOutcome => {
          const [mark] = rowsOf<{ stored: number }>(results, results.length - 1);
          if (mark?.stored === 1) return { status: 'stored' };
          const [stored] = rowsOf<{ sha256: string; receipt_token: string }>(results, results.length - 2);
          if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
          return stored.sha256 === input.sha256
            ? { status: 'duplicate', receiptToken: stored.receipt_token }
            : { status: 'conflict' };
        },
      };
    });
  }

  async function view(iss: string, jti: string): Promise<InboundView | undefined> {
    const key = { iss, jti };
    const results = await db.batch([
      sql(
        db,
        `SELECT iss, jti, sha256, token, type, domain, thread, received_at, receipt_token, purged_at, traceparent
         FROM inbound_messages WHERE iss = @iss AND jti = @jti`,
        key,
      ),
      sql(
        db,
        `SELECT local_delivery_id, local_system, mode, status, attempts, last_error
         FROM local_deliveries WHERE iss = @iss AND jti = @jti ORDER BY seq`,
        key,
      ),
    ]);
    const [row] = rowsOf<InboundRow>(results, 0);
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
      ...optional('traceparent', row.traceparent),
      localDeliveries: rowsOf<{
        local_delivery_id: string;
        local_system: string;
        mode: 'push' | 'pull';
        status: DeliveryStatus | 'acked';
        attempts: number;
        last_error: string | null;
      }>(results, 1).map((l) => ({
        id: l.local_delivery_id,
        localSystem: l.local_system,
        mode: l.mode,
        status: l.status,
        attempts: l.attempts,
        ...optional('lastError', l.last_error),
      })),
    };
  }

  /** Like the outbound claim: one guarded UPDATE, then the rows whose lease token carries this claim's id. */
  async function claimPushes(request: ClaimRequest, now: number): Promise<LocalClaim[]> {
    if (request.limit <= 0) return [];
    const params = {
      claim: crypto.randomUUID(),
      worker: request.worker,
      until: now + request.leaseMs,
      now,
      exclude: JSON.stringify(request.exclude ?? []),
      limit: request.limit,
    };
    const results = await db.batch([
      sql(
        db,
        `UPDATE local_deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
           lease_owner = @worker, lease_token = @claim || ':' || local_delivery_id, lease_until = @until,
           updated_at = @now
         WHERE seq IN (
           SELECT l.seq FROM local_deliveries l
           WHERE l.mode = 'push'
             AND ((l.status IN ('queued', 'retry') AND l.next_attempt_at <= @now)
               OR (l.status = 'sending' AND l.lease_until < @now))
             AND l.local_system NOT IN (SELECT value FROM json_each(@exclude))
           ORDER BY CASE WHEN l.status = 'sending' THEN l.lease_until ELSE l.next_attempt_at END, l.seq
           LIMIT @limit)`,
        params,
      ),
      sql(
        db,
        `SELECT ${LOCAL_COLUMNS}
         FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
         WHERE l.status = 'sending' AND l.lease_until = @until AND substr(l.lease_token, 1, 36) = @claim
         ORDER BY l.seq`,
        params,
      ),
    ]);
    return rowsOf<LocalRow>(results, 1).map((row) => ({
      ...message(row),
      id: row.local_delivery_id,
      leaseToken: row.lease_token ?? '',
      attempts: row.attempts,
    }));
  }

  async function completePush(token: LeaseToken, outcome: LocalOutcome, now: number): Promise<boolean> {
    const params =
      outcome.kind === 'delivered'
        ? { status: 'delivered', nextAttemptAt: null, lastError: null }
        : outcome.kind === 'retry'
          ? { status: 'retry', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error }
          : { status: 'dead', nextAttemptAt: null, lastError: outcome.error };
    const result = await sql(
      db,
      `UPDATE local_deliveries SET status = @status, next_attempt_at = @nextAttemptAt, last_error = @lastError,
         lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
       WHERE local_delivery_id = @id AND mode = 'push' AND status = 'sending' AND lease_token = @leaseToken
         AND lease_until >= @now
       RETURNING seq`,
      { ...params, id: token.id, leaseToken: token.leaseToken, now },
    ).all();
    return result.results.length > 0;
  }

  async function requeuePush(id: string, now: number): Promise<boolean> {
    const result = await sql(
      db,
      `UPDATE local_deliveries SET status = 'queued', attempts = 0, next_attempt_at = @now, updated_at = @now
       WHERE local_delivery_id = @id AND mode = 'push' AND status = 'dead'
         AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.iss = local_deliveries.iss
           AND m.jti = local_deliveries.jti AND m.purged_at IS NOT NULL)
       RETURNING seq`,
      { id, now },
    ).all();
    return result.results.length > 0;
  }

  async function listPull(localSystem: string, cursor: string | undefined, limit: number): Promise<PullPage> {
    const after = cursor === undefined ? 0 : decodeCursor(cursor);
    if (limit <= 0) return { items: [], cursor };
    const rows = await sql(
      db,
      `SELECT ${LOCAL_COLUMNS}
       FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
       WHERE l.local_system = @localSystem AND l.mode = 'pull' AND l.seq > @after AND l.status <> 'acked'
       ORDER BY l.seq LIMIT @limit`,
      { localSystem, after, limit },
    ).all<LocalRow>();
    const items = rows.results.map((row) => ({ ...message(row), cursor: encodeCursor(row.seq) }));
    return { items, cursor: items.at(-1)?.cursor ?? cursor };
  }

  async function ackPull(localSystem: string, cursor: string, now: number): Promise<number> {
    const result = await sql(
      db,
      `UPDATE local_deliveries SET status = 'acked', acked_at = @now, updated_at = @now
       WHERE local_system = @localSystem AND mode = 'pull' AND seq <= @upTo AND status <> 'acked'
       RETURNING seq`,
      { localSystem, upTo: decodeCursor(cursor), now },
    ).all();
    return result.results.length;
  }

  return { receive, view, claimPushes, completePush, requeuePush, listPull, ackPull };
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
    ...optional('traceparent', row.traceparent),
  };
}
