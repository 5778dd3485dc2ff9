import { YrdxError } from '../../errors.js';
import type { ThreadChange, ThreadQuery, ThreadView } from '../port.js';
import { optional } from '../rows.js';
import { type D1Database, type Guard, type Statement, sql } from './types.js';

interface ThreadRow {
  thread_id: string;
  partner: string;
  direction: ThreadView['direction'];
  type: ThreadView['type'];
  domain: ThreadView['domain'];
  status: ThreadView['status'];
  opened_at: number;
  due_at: number;
  closed_at: number | null;
  request_id: string;
  reply_id: string | null;
}

const COLUMNS =
  'thread_id, partner, direction, type, domain, status, opened_at, due_at, closed_at, request_id, reply_id';

export type ThreadOps = ReturnType<typeof threadOps>;

/** Cooperation threads of the D1 store: opened by a request, closed by its reply. */
export function threadOps(db: D1Database) {
  return {
    /** The statement that applies a thread change as part of a unit's batch, when `guard` holds. */
    apply(change: ThreadChange, now: number, guard: Guard): Statement {
      if (change.action === 'close') {
        return sql(
          db,
          `UPDATE threads SET status = 'closed', reply_id = @messageId, closed_at = @now
           WHERE thread_id = @threadId AND status = 'open' AND ${guard.sql}`,
          { ...guard.params, messageId: change.messageId, now, threadId: change.threadId },
        );
      }
      if (change.dueAt === undefined) {
        throw new YrdxError('internal_error', {
          cause: new Error(`thread ${change.threadId} opened without a due time`),
        });
      }
      return sql(
        db,
        `INSERT INTO threads (thread_id, partner, direction, type, domain, status, opened_at, due_at, request_id)
         SELECT @threadId, @partner, @direction, @type, @domain, 'open', @now, @dueAt, @messageId
         WHERE ${guard.sql}
         ON CONFLICT (thread_id) DO NOTHING`,
        {
          ...guard.params,
          threadId: change.threadId,
          partner: change.partner,
          direction: change.direction,
          type: change.type,
          domain: change.domain,
          now,
          dueAt: change.dueAt,
          messageId: change.messageId,
        },
      );
    },
    async get(threadId: string): Promise<ThreadView | undefined> {
      const row = await sql(db, `SELECT ${COLUMNS} FROM threads WHERE thread_id = @threadId`, {
        threadId,
      }).first<ThreadRow>();
      return row === null ? undefined : threadView(row);
    },
    async list(query: ThreadQuery): Promise<ThreadView[]> {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: query.limit ?? -1 };
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
      const rows = await sql(
        db,
        `SELECT ${COLUMNS} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
         ORDER BY ${order} LIMIT @limit`,
        params,
      ).all<ThreadRow>();
      return rows.results.map(threadView);
    },
  };
}

function threadView(row: ThreadRow): ThreadView {
  return {
    threadId: row.thread_id,
    partner: row.partner,
    direction: row.direction,
    type: row.type,
    domain: row.domain,
    status: row.status,
    openedAt: row.opened_at,
    dueAt: row.due_at,
    ...optional('closedAt', row.closed_at),
    requestId: row.request_id,
    ...optional('replyId', row.reply_id),
  };
}
