import { randomUUID } from 'node:crypto';
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
import { withHeld } from '../rows/files.js';
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
import { ACK_PULLS, REQUEUE_LOCAL_PUSH, SELECT_LOCAL_CANONICAL, SETTLE_LOCAL_PUSH } from '../sql/local.js';
import {
  INBOUND_MESSAGE_VALUES,
  INSERT_INBOUND_MESSAGE,
  inboundMessageParams,
  SELECT_INBOUND_MESSAGE,
  SELECT_LOCAL_DELIVERIES,
} from '../sql/messages.js';
import { appendAudit, lockAuditHead } from './audit.js';
import { dueRows, leaseRows, logSettled } from './claims.js';
import { queryNamed, type Tx } from './db.js';
import { heldOf, holdInbound } from './files.js';
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
  const inserted = await queryNamed(
    tx,
    `${INSERT_INBOUND_MESSAGE} VALUES (${INBOUND_MESSAGE_VALUES}) ON CONFLICT (iss, jti) DO NOTHING`,
    inboundMessageParams(input, now),
  );
  if (inserted.rowCount === 0) {
    const { rows } = await tx.query<{ sha256: string; receipt_token: string }>(
      'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = $1 AND jti = $2',
      [input.iss, input.jti],
    );
    const stored = rows[0];
    if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
    return (await sameBytesAsync(stored.sha256, input.sha256, input.token))
      ? { status: 'duplicate', receiptToken: stored.receipt_token }
      : { status: 'conflict' };
  }
  if (input.threadChange !== undefined) await applyThreadChange(tx, input.threadChange, now);
  // The chain's lock is taken before the local deliveries get their seq: units then assign seqs in
  // the order they commit, so a pull cursor never passes a row that becomes visible later.
  const held = await holdInbound(tx, input, now);
  const head = await lockAuditHead(tx);
  if (!held && input.localDeliveries.length > 0) {
    const locals = input.localDeliveries;
    await tx.query(
      `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, losses, status,
         attempts, next_attempt_at, created_at, updated_at)
       SELECT id, $1, $2, ls, mode, body, losses, 'queued', 0, CASE WHEN mode = 'push' THEN $3::bigint END, $3, $3
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS v(id, ls, mode, body, losses, n)
       ORDER BY n`,
      [
        input.iss,
        input.jti,
        now,
        locals.map(() => randomUUID()),
        locals.map((l) => l.localSystem),
        locals.map((l) => l.mode),
        locals.map((l) => toJson(l.body)),
        locals.map((l) => lossesColumn(l.losses)),
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
  const { rows } = await queryNamed<InboundRow>(tx, SELECT_INBOUND_MESSAGE, { iss, jti });
  const row = rows[0];
  if (row === undefined) return undefined;
  const locals = await queryNamed<LocalDeliveryRow>(tx, SELECT_LOCAL_DELIVERIES, { iss, jti });
  return withHeld(inboundView(row, locals.rows), await heldOf(tx, iss, jti));
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
  const settled = await queryNamed(tx, SETTLE_LOCAL_PUSH, {
    ...localSettleParams(outcome),
    now,
    id: claim.id,
    leaseToken: claim.leaseToken,
  });
  if (settled.rowCount === 0) return false;
  await logSettled(tx, claim.leaseToken, now);
  return true;
}

export async function requeueLocalPush(tx: Tx, id: string, now: number): Promise<boolean> {
  const requeued = await queryNamed(tx, REQUEUE_LOCAL_PUSH, { id, now });
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
  const acked = await queryNamed(tx, ACK_PULLS, { localSystem, upTo: decodeCursor(cursor), now });
  return acked.rowCount ?? 0;
}

export async function localCanonicalOf(
  tx: Tx,
  localSystem: string,
  jti: string,
): Promise<LocalCanonical | undefined> {
  const { rows } = await queryNamed<LocalCanonicalRow>(tx, SELECT_LOCAL_CANONICAL, { localSystem, jti });
  return localCanonical(rows[0]);
}
