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
import { messageSearch, SQLITE } from '../sql/search.js';
import {
  END_CONSOLE_SESSION,
  INSERT_CONSOLE_SESSION,
  SWEEP_CONSOLE_SESSIONS,
  TOUCH_CONSOLE_SESSION,
} from '../sql/sessions.js';
import {
  DEAD_DELIVERIES,
  DEAD_LOCAL_DELIVERIES,
  mergeActivity,
  mergeDeadLetters,
  PARTNER_OUTCOMES,
  PARTNER_QUEUES,
} from '../sql/sqlite.js';
import { type D1Database, rowsOf, sql } from './db.js';

/** What administrators read from the D1 store (message search, dead letters, activity) and console sessions. */
export function adminOps(db: D1Database) {
  async function search(query: MessageQuery): Promise<MessageSummary[]> {
    const { sql: text, params } = messageSearch(query, SQLITE);
    return (await sql(db, text, params).all<SummaryRow>()).results.map(messageSummary);
  }

  async function deadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
    const params = { partner: query.partner ?? null, limit: Math.min(query.limit ?? 100, 1000) };
    const results = await db.batch([
      sql(db, DEAD_DELIVERIES, params),
      sql(db, DEAD_LOCAL_DELIVERIES, params),
    ]);
    return mergeDeadLetters(rowsOf<DeadRow>(results, 0), rowsOf<DeadRow>(results, 1), params.limit).map(
      deadLetter,
    );
  }

  async function activity(since: number): Promise<PartnerActivity[]> {
    const results = await db.batch([db.prepare(PARTNER_QUEUES), sql(db, PARTNER_OUTCOMES, { since })]);
    return mergeActivity(
      rowsOf<{ partner: string; queued: number; dead: number; last_success_at: number | null }>(results, 0),
      rowsOf<{ partner: string; delivered: number; failed: number }>(results, 1),
    ).map(activityView);
  }

  async function localActivity(): Promise<LocalSystemActivity[]> {
    return (await db.prepare(LOCAL_SYSTEM_ACTIVITY).all<LocalActivityRow>()).results.map(localActivityView);
  }

  async function startSession(session: ConsoleSessionRecord, now: number): Promise<void> {
    await db.batch([
      sql(db, SWEEP_CONSOLE_SESSIONS, { now }),
      sql(db, INSERT_CONSOLE_SESSION, { ...session }),
    ]);
  }

  async function touchSession(idHash: string, now: number, renewTo: number) {
    const row = await sql(db, TOUCH_CONSOLE_SESSION, { idHash, now, renewTo }).first<ConsoleSessionRow>();
    return row === null ? undefined : consoleSession(row);
  }

  async function endSession(idHash: string): Promise<void> {
    await sql(db, END_CONSOLE_SESSION, { idHash }).run();
  }

  return { search, deadLetters, activity, localActivity, startSession, touchSession, endSession };
}
