import type {
  ConsoleSessionRecord,
  DeadLetter,
  DeadLetterQuery,
  LocalSystemActivity,
  MessageQuery,
  MessageSummary,
  PartnerActivity,
} from '../port.js';
import {
  type ActivityRow,
  activityView,
  type DeadRow,
  deadLetter,
  type LocalActivityRow,
  localActivityView,
  messageSummary,
  type SummaryRow,
} from '../rows/search.js';
import { type ConsoleSessionRow, consoleSession } from '../rows/sessions.js';
import { LOCAL_SYSTEM_ACTIVITY } from '../sql/local-activity.js';
import { messageSearch, POSTGRES } from '../sql/search.js';
import {
  END_CONSOLE_SESSION,
  INSERT_CONSOLE_SESSION,
  SWEEP_CONSOLE_SESSIONS,
  TOUCH_CONSOLE_SESSION,
} from '../sql/sessions.js';
import { queryNamed, type Tx } from './db.js';

/** Messages in and out that match every given filter, newest first. */
export async function searchMessages(tx: Tx, query: MessageQuery): Promise<MessageSummary[]> {
  const { sql, params } = messageSearch(query, POSTGRES);
  const { rows } = await queryNamed<SummaryRow>(tx, sql, params);
  return rows.map(messageSummary);
}

/** Dead deliveries to partners and to local systems, oldest first. */
export async function listDeadLetters(tx: Tx, query: DeadLetterQuery): Promise<DeadLetter[]> {
  const limit = Math.min(query.limit ?? 100, 1000);
  const partner = query.partner ?? null;
  const { rows } = await tx.query<DeadRow>(
    `SELECT * FROM (
       SELECT 'partner' AS kind, d.delivery_id, d.message_id, d.recipient AS partner, NULL AS local_system,
         m.type, m.domain, d.attempts, d.last_error, d.updated_at AS at
       FROM deliveries d JOIN outbound_messages m ON m.message_id = d.message_id
       WHERE d.status = 'dead' AND ($1::text IS NULL OR d.recipient = $1)
       UNION ALL
       SELECT 'local' AS kind, l.local_delivery_id, l.jti, l.iss, l.local_system, i.type, i.domain,
         l.attempts, l.last_error, l.updated_at
       FROM local_deliveries l JOIN inbound_messages i ON i.iss = l.iss AND i.jti = l.jti
       WHERE l.status = 'dead' AND ($1::text IS NULL OR l.iss = $1)
     ) dead ORDER BY at, delivery_id LIMIT $2`,
    [partner, limit],
  );
  return rows.map(deadLetter);
}

/** Per partner: outcomes since `since`, the queue now and the last successful delivery. */
export async function partnerActivity(tx: Tx, since: number): Promise<PartnerActivity[]> {
  const { rows } = await tx.query<ActivityRow>(
    `WITH outcomes AS (
       SELECT recipient AS partner,
         count(*) FILTER (WHERE event = 'delivered') AS delivered,
         count(*) FILTER (WHERE event IN ('retry', 'rejected', 'dead')) AS failed
       FROM history_events WHERE recipient IS NOT NULL AND at >= $1
         AND event IN ('delivered', 'retry', 'rejected', 'dead')
       GROUP BY recipient),
     queue AS (
       SELECT recipient AS partner,
         count(*) FILTER (WHERE status IN ('queued', 'retry', 'sending')) AS queued,
         count(*) FILTER (WHERE status = 'dead') AS dead,
         max(receipt_received_at) AS last_success_at
       FROM deliveries GROUP BY recipient)
     SELECT coalesce(q.partner, o.partner) AS partner, coalesce(o.delivered, 0) AS delivered,
       coalesce(o.failed, 0) AS failed, coalesce(q.queued, 0) AS queued, coalesce(q.dead, 0) AS dead,
       q.last_success_at
     FROM queue q FULL JOIN outcomes o ON o.partner = q.partner
     ORDER BY coalesce(q.partner, o.partner) COLLATE "C"`,
    [since],
  );
  return rows.map(activityView);
}

/** Per local system: its last submission and delivery, and what waits for it. */
export async function localSystemActivity(tx: Tx): Promise<LocalSystemActivity[]> {
  const { rows } = await tx.query<LocalActivityRow>(LOCAL_SYSTEM_ACTIVITY);
  return rows.map(localActivityView);
}

/** Stores a console session after removing the expired ones (see Store.startConsoleSession). */
export async function startConsoleSession(tx: Tx, session: ConsoleSessionRecord, now: number): Promise<void> {
  await queryNamed(tx, SWEEP_CONSOLE_SESSIONS, { now });
  await queryNamed(tx, INSERT_CONSOLE_SESSION, { ...session });
}

/** The live session with this id hash, its expiry renewed up to its end (see Store.touchConsoleSession). */
export async function touchConsoleSession(
  tx: Tx,
  idHash: string,
  now: number,
  renewTo: number,
): Promise<ConsoleSessionRecord | undefined> {
  const { rows } = await queryNamed<ConsoleSessionRow>(tx, TOUCH_CONSOLE_SESSION, { idHash, now, renewTo });
  const row = rows[0];
  return row === undefined ? undefined : consoleSession(row);
}

export async function endConsoleSession(tx: Tx, idHash: string): Promise<void> {
  await queryNamed(tx, END_CONSOLE_SESSION, { idHash });
}
