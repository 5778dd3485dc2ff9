import type { DeadLetter, DeadLetterQuery, MessageQuery, MessageSummary, PartnerActivity } from '../port.js';
import { activityView, type DeadRow, deadLetter, messageSummary, type SummaryRow } from '../rows.js';
import {
  DEAD_DELIVERIES,
  DEAD_LOCAL_DELIVERIES,
  mergeActivity,
  mergeDeadLetters,
  messageSearch,
  PARTNER_OUTCOMES,
  PARTNER_QUEUES,
} from '../sql/sqlite.js';
import { type D1Database, rowsOf, sql } from './types.js';

/** What administrators read from the D1 store: message search, dead letters and per-partner activity. */
export function adminOps(db: D1Database) {
  async function search(query: MessageQuery): Promise<MessageSummary[]> {
    const { sql: text, params } = messageSearch(query);
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

  return { search, deadLetters, activity };
}
