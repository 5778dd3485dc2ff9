import type { ThreadChange, ThreadQuery } from '../port.js';
import { openingDueAt } from '../rows/threads.js';

// The SQL of cooperation threads, the same in SQLite, D1 and PostgreSQL: written once with `@name`
// parameters (the SQLite store binds them as they are; D1 and PostgreSQL through ./bind.ts).

/** Opens a thread (see `openThreadParams`); followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_THREAD = `INSERT INTO threads (thread_id, partner, direction, type, domain, status, opened_at,
  due_at, request_id)`;
export const THREAD_VALUES = `@threadId, @partner, @direction, @type, @domain, 'open', @now, @dueAt, @messageId`;

export function openThreadParams(change: ThreadChange, now: number): Record<string, unknown> {
  return {
    threadId: change.threadId,
    partner: change.partner,
    direction: change.direction,
    type: change.type,
    domain: change.domain,
    now,
    dueAt: openingDueAt(change),
    messageId: change.messageId,
  };
}

/**
 * Closes thread `@threadId` with reply `@messageId` at `@now` (see `closeThreadParams`), only when
 * the reply comes from (or goes to) the thread's counterpart, travelling against the request: a
 * thread id alone would let any partner close any thread. Further conditions may follow with AND.
 */
export const CLOSE_THREAD = `UPDATE threads SET status = 'closed', reply_id = @messageId, closed_at = @now
  WHERE thread_id = @threadId AND status = 'open' AND partner = @partner AND direction = @direction`;

export function closeThreadParams(change: ThreadChange, now: number): Record<string, unknown> {
  return {
    threadId: change.threadId,
    partner: change.partner,
    direction: change.direction,
    messageId: change.messageId,
    now,
  };
}

/** The threads that match `query`, with their parameters; one text per combination of filters. */
export function threadList(
  query: ThreadQuery,
  columns: string,
): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.overdueAt !== undefined) {
    where.push(`status = 'open' AND due_at < @overdueAt`);
    params.overdueAt = query.overdueAt;
  }
  if (query.status !== undefined) {
    where.push('status = @status');
    params.status = query.status;
  }
  if (query.partner !== undefined) {
    where.push('partner = @partner');
    params.partner = query.partner;
  }
  const order = query.overdueAt === undefined ? 'opened_at, thread_id' : 'due_at, thread_id';
  // No LIMIT without a limit: SQLite would take -1 and PostgreSQL NULL for "all".
  let limit = '';
  if (query.limit !== undefined) {
    limit = ' LIMIT @limit';
    params.limit = query.limit;
  }
  return {
    sql: `SELECT ${columns} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
      ORDER BY ${order}${limit}`,
    params,
  };
}
