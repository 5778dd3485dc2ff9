import { createHash, randomUUID } from 'node:crypto';
import type {
  ClaimRequest,
  InboundView,
  LeaseToken,
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
import { sameBytes } from '../same-bytes.js';
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
import type { Db } from './db.js';
import type { FileOps } from './files.js';
import type { ThreadOps } from './threads.js';

/** SHA-256 of a text, synchronously (a unit is one synchronous transaction). */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The inbound half of the SQLite store: the replay record, local deliveries (push and pull). */
export function inboundOps(db: Db, threads: ThreadOps, audit: AuditOps, files: FileOps) {
  const insertMessage = db.prepare(
    `${INSERT_INBOUND_MESSAGE} VALUES (${INBOUND_MESSAGE_VALUES})
     ON CONFLICT (iss, jti) DO NOTHING`,
  );
  const findMessage = db.prepare<[string, string], { sha256: string; receipt_token: string }>(
    'SELECT sha256, receipt_token FROM inbound_messages WHERE iss = ? AND jti = ?',
  );
  const insertLocal = db.prepare(
    `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body, losses, status,
       attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)`,
  );
  const selectMessage = db.prepare<{ iss: string; jti: string }, InboundRow>(SELECT_INBOUND_MESSAGE);
  const selectLocals = db.prepare<{ iss: string; jti: string }, LocalDeliveryRow>(SELECT_LOCAL_DELIVERIES);
  const selectDue = db.prepare<{ now: number; exclude: string; limit: number }, LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     ${DUE_LOCAL_PUSHES}`,
  );
  const lease = db.prepare(
    `UPDATE local_deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
       lease_owner = ?, lease_token = ?, lease_until = ?, updated_at = ?
     WHERE seq = ?`,
  );
  const settle = db.prepare(SETTLE_LOCAL_PUSH);
  const requeue = db.prepare(REQUEUE_LOCAL_PUSH);
  const selectPull = db.prepare<[string, number, number], LocalRow>(
    `SELECT ${LOCAL_COLUMNS}
     FROM local_deliveries l JOIN inbound_messages m ON m.iss = l.iss AND m.jti = l.jti
     WHERE l.local_system = ? AND l.mode = 'pull' AND l.seq > ? AND l.status <> 'acked'
     ORDER BY l.seq LIMIT ?`,
  );
  const ack = db.prepare(ACK_PULLS);
  const selectCanonical = db.prepare<{ localSystem: string; jti: string }, LocalCanonicalRow>(
    SELECT_LOCAL_CANONICAL,
  );

  const receive = db.transaction((input: ReceiveInbound, now: number): ReceiveOutcome => {
    const inserted = insertMessage.run(inboundMessageParams(input, now));
    if (inserted.changes === 0) {
      const stored = findMessage.get(input.iss, input.jti);
      if (stored === undefined) throw new Error(`inbound ${input.iss}/${input.jti} vanished`);
      return sameBytes(stored.sha256, input.sha256, input.token, sha256)
        ? { status: 'duplicate', receiptToken: stored.receipt_token }
        : { status: 'conflict' };
    }
    const held = files.holdInbound(input, now);
    for (const local of held ? [] : input.localDeliveries) {
      const due = local.mode === 'push' ? now : null;
      insertLocal.run(
        randomUUID(),
        input.iss,
        input.jti,
        local.localSystem,
        local.mode,
        toJson(local.body),
        lossesColumn(local.losses),
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
    const row = selectMessage.get({ iss, jti });
    if (row === undefined) return undefined;
    return withHeld(inboundView(row, selectLocals.all({ iss, jti })), files.heldOf(iss, jti));
  });

  const claim = db.transaction((request: ClaimRequest, now: number): LocalClaim[] => {
    if (request.limit <= 0) return [];
    const due = selectDue.all({ now, exclude: JSON.stringify(request.exclude ?? []), limit: request.limit });
    return due.map((row) => {
      const leaseToken = randomUUID();
      lease.run(request.worker, leaseToken, now + request.leaseMs, now, row.seq);
      return { ...localMessage(row), id: row.local_delivery_id, leaseToken, attempts: row.attempts + 1 };
    });
  });

  const complete = db.transaction((token: LeaseToken, outcome: LocalOutcome, now: number): boolean => {
    return (
      settle.run({ ...localSettleParams(outcome), id: token.id, leaseToken: token.leaseToken, now }).changes >
      0
    );
  });

  const list = db.transaction((localSystem: string, cursor: string | undefined, limit: number): PullPage => {
    const after = cursor === undefined ? 0 : decodeCursor(cursor);
    if (limit <= 0) return { items: [], cursor };
    const items = selectPull
      .all(localSystem, after, limit)
      .map((row) => ({ ...localMessage(row), cursor: encodeCursor(row.seq) }));
    return { items, cursor: items.at(-1)?.cursor ?? cursor };
  });

  const requeueDead = db.transaction(
    (id: string, now: number): boolean => requeue.run({ id, now }).changes > 0,
  );

  const acknowledge = db.transaction(
    (localSystem: string, cursor: string, now: number): number =>
      ack.run({ now, localSystem, upTo: decodeCursor(cursor) }).changes,
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
    localCanonical: (localSystem: string, jti: string) =>
      localCanonical(selectCanonical.get({ localSystem, jti })),
  };
}
