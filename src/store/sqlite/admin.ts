import type Database from 'better-sqlite3';
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
import type { Db } from './db.js';

/** What administrators read (message search, dead letters, per-partner activity) and console sessions. */
export function adminOps(db: Db) {
  const statements = new Map<string, Database.Statement<Record<string, unknown>, SummaryRow>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>, SummaryRow>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const search = db.transaction((query: MessageQuery): MessageSummary[] => {
    const { sql, params } = messageSearch(query, SQLITE);
    return prepared(sql).all(params).map(messageSummary);
  });

  const deadPartner = db.prepare<{ partner: string | null; limit: number }, DeadRow>(DEAD_DELIVERIES);
  const deadLocal = db.prepare<{ partner: string | null; limit: number }, DeadRow>(DEAD_LOCAL_DELIVERIES);
  const dead = db.transaction((query: DeadLetterQuery): DeadLetter[] => {
    const params = { partner: query.partner ?? null, limit: Math.min(query.limit ?? 100, 1000) };
    return mergeDeadLetters(deadPartner.all(params), deadLocal.all(params), params.limit).map(deadLetter);
  });

  const outcomes = db.prepare<{ since: number }, { partner: string; delivered: number; failed: number }>(
    PARTNER_OUTCOMES,
  );
  const queue = db.prepare<
    [],
    { partner: string; queued: number; dead: number; last_success_at: number | null }
  >(PARTNER_QUEUES);
  const activity = db.transaction((since: number): PartnerActivity[] =>
    mergeActivity(queue.all(), outcomes.all({ since })).map(activityView),
  );

  const localActivity = db.prepare<[], LocalActivityRow>(LOCAL_SYSTEM_ACTIVITY);

  const sweepSessions = db.prepare<{ now: number }>(SWEEP_CONSOLE_SESSIONS);
  const insertSession = db.prepare<Record<string, unknown>>(INSERT_CONSOLE_SESSION);
  const touchSession = db.prepare<{ idHash: string; now: number; renewTo: number }, ConsoleSessionRow>(
    TOUCH_CONSOLE_SESSION,
  );
  const endSession = db.prepare<{ idHash: string }>(END_CONSOLE_SESSION);

  return {
    startSession(session: ConsoleSessionRecord, now: number): void {
      sweepSessions.run({ now });
      insertSession.run({ ...session });
    },
    touchSession(idHash: string, now: number, renewTo: number): ConsoleSessionRecord | undefined {
      const row = touchSession.get({ idHash, now, renewTo });
      return row === undefined ? undefined : consoleSession(row);
    },
    endSession(idHash: string): void {
      endSession.run({ idHash });
    },
    search: (query: MessageQuery): MessageSummary[] => search.deferred(query),
    deadLetters: (query: DeadLetterQuery): DeadLetter[] => dead.deferred(query),
    activity: (since: number): PartnerActivity[] => activity.deferred(since),
    localActivity: (): LocalSystemActivity[] => localActivity.all().map(localActivityView),
  };
}
