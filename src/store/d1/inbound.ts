import type {
  ClaimRequest,
  InboundView,
  LeaseToken,
  LocalCanonical,
  LocalClaim,
  LocalOutcome,
  PullPage,
  ReceiveInbound,
  ReceiveOutcome,
} from '../port.js';
import { type HeldDbRow, withHeld } from '../rows/files.js';
import { type InboundRow, inboundView, type LocalDeliveryRow } from '../rows/inbox.js';
import {
  decodeCursor,
  encodeCursor,
  LOCAL_COLUMNS,
  type LocalCanonicalRow,
  type LocalRow,
  localCanonical,
  localMessage,
  localSettleParams,
  lossesColumn,
} from '../rows/local.js';
import { toJson } from '../rows/values.js';
import { sameBytesAsync } from '../same-bytes.js';
import { SELECT_HELD } from '../sql/files.js';
import { ACK_PULLS, REQUEUE_LOCAL_PUSH, SELECT_LOCAL_CANONICAL, SETTLE_LOCAL_PUSH } from '../sql/local.js';
import {
  INBOUND_MESSAGE_VALUES,
  INSERT_INBOUND_MESSAGE,
  inboundMessageParams,
  SELECT_INBOUND_MESSAGE,
  SELECT_LOCAL_DELIVERIES,
} from '../sql/messages.js';
import { DUE_LOCAL_PUSHES } from '../sql/sqlite.js';
import type { AuditOps } from './audit.js';
import { type D1Database, type Guard, rowsOf, type Statement, sql } from './db.js';
import type { FileOps } from './files.js';
import type { ThreadOps } from './threads.js';

/** A local delivery with the lease token this claim gave it. */
type LeasedRow = LocalRow & { lease_token: string | null };

/** The inbound half of the D1 store: the replay record and local deliveries (push and pull). */
export function inboundOps(db: D1Database, threads: ThreadOps, audit: AuditOps, files: FileOps) {
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
      // A message with files holds its local deliveries until they arrived (see FileOps).
      const held = files.hold(input, now, marker);
      const statements: Statement[] = [
        audit.insertEntry(messageIn, fresh),
        audit.insertEntry(receiptOut, marker),
        sql(
          db,
          `${INSERT_INBOUND_MESSAGE}
           SELECT ${INBOUND_MESSAGE_VALUES}
           WHERE ${marker.sql}`,
          { ...marker.params, ...inboundMessageParams(input, now) },
        ),
        ...(held ?? []),
        ...(held === undefined ? input.localDeliveries : []).map((local) =>
          sql(
            db,
            `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, losses, status,
               attempts, next_attempt_at, created_at, updated_at)
             SELECT @id, @iss, @jti, @localSystem, @mode, @body, @losses, 'queued', 0, @due, @now, @now
             WHERE ${marker.sql}`,
            {
              ...marker.params,
              ...key,
              id: crypto.randomUUID(),
              localSystem: local.localSystem,
              mode: local.mode,
              body: toJson(local.body),
              losses: lossesColumn(local.losses),
              due: local.mode === 'push' ? now : null,
              now,
            },
          ),
        ),
      ];
      if (input.threadChange !== undefined)
        statements.push(...threads.apply(input.threadChange, now, marker));
      statements.push(
        sql(db, 'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = @iss AND jti = @jti', key),
        sql(db, `SELECT ${marker.sql} AS stored`, marker.params),
      );
      return {
        statements,
        outcome: async (results): Promise<ReceiveOutcome> => {
          const [mark] = rowsOf<{ stored: number }>(results, results.length - 1);
          if (mark?.stored === 1) return { status: 'stored' };
          const [stored] = rowsOf<{ sha256: string; receipt_token: string }>(results, results.length - 2);
          if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
          return (await sameBytesAsync(stored.sha256, input.sha256, input.token))
            ? { status: 'duplicate', receiptToken: stored.receipt_token }
            : { status: 'conflict' };
        },
      };
    });
  }

  async function view(iss: string, jti: string): Promise<InboundView | undefined> {
    const key = { iss, jti };
    const results = await db.batch([
      sql(db, SELECT_INBOUND_MESSAGE, key),
      sql(db, SELECT_LOCAL_DELIVERIES, key),
      sql(db, SELECT_HELD, key),
    ]);
    const [row] = rowsOf<InboundRow>(results, 0);
    if (row === undefined) return undefined;
    return withHeld(inboundView(row, rowsOf<LocalDeliveryRow>(results, 1)), rowsOf<HeldDbRow>(results, 2));
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
           ${DUE_LOCAL_PUSHES})`,
        params,
      ),
      sql(
        db,
        `SELECT ${LOCAL_COLUMNS}, l.lease_token
         FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
         WHERE l.status = 'sending' AND l.lease_until = @until AND substr(l.lease_token, 1, 36) = @claim
         ORDER BY l.seq`,
        params,
      ),
    ]);
    return rowsOf<LeasedRow>(results, 1).map((row) => ({
      ...localMessage(row),
      id: row.local_delivery_id,
      leaseToken: row.lease_token ?? '',
      attempts: row.attempts,
    }));
  }

  async function completePush(token: LeaseToken, outcome: LocalOutcome, now: number): Promise<boolean> {
    const result = await sql(
      db,
      `${SETTLE_LOCAL_PUSH}
       RETURNING seq`,
      { ...localSettleParams(outcome), id: token.id, leaseToken: token.leaseToken, now },
    ).all();
    return result.results.length > 0;
  }

  async function requeuePush(id: string, now: number): Promise<boolean> {
    const result = await sql(
      db,
      `${REQUEUE_LOCAL_PUSH}
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
    const items = rows.results.map((row) => ({ ...localMessage(row), cursor: encodeCursor(row.seq) }));
    return { items, cursor: items.at(-1)?.cursor ?? cursor };
  }

  async function ackPull(localSystem: string, cursor: string, now: number): Promise<number> {
    const result = await sql(
      db,
      `${ACK_PULLS}
       RETURNING seq`,
      { localSystem, upTo: decodeCursor(cursor), now },
    ).all();
    return result.results.length;
  }

  async function localCanonicalOf(localSystem: string, jti: string): Promise<LocalCanonical | undefined> {
    const row = await sql(db, SELECT_LOCAL_CANONICAL, { localSystem, jti }).first<LocalCanonicalRow>();
    return localCanonical(row ?? undefined);
  }

  return {
    receive,
    view,
    claimPushes,
    completePush,
    requeuePush,
    listPull,
    ackPull,
    localCanonical: localCanonicalOf,
  };
}
