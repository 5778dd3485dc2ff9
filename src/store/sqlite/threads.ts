import type Database from 'better-sqlite3';
import { YrdxError } from '../../errors.js';
import type { ThreadChange, ThreadQuery, ThreadView } from '../port.js';
import { type Db, optional } from './json.js';

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

/** Cooperation threads: opened by a request, closed by its reply, overdue when the reply is late. */
export function threadOps(db: Db) {
  const open = db.prepare(
    `INSERT INTO threads (thread_id, partner, direction, type, domain, status, opened_at, due_at, request_id)
     VALUES (@threadId, @partner, @direction, @type, @domain, 'open', @now, @dueAt, @messageId)
     ON CONFLICT (thread_id) DO NOTHING`,
  );
  const close = db.prepare(
    `UPDATE threads SET status = 'closed', reply_id = ?, closed_at = ? WHERE thread_id = ? AND status = 'open'`,
  );
  const select = db.prepare<[string], ThreadRow>(`SELECT ${COLUMNS} FROM threads WHERE thread_id = ?`);
  // One statement per combination of filters, so each can use the index that fits it.
  const lists = new Map<string, Database.Statement<Record<string, unknown>, ThreadRow>>();
  const listFor = (query: ThreadQuery) => {
    const where: string[] = [];
    if (query.overdueAt !== undefined) where.push(`status = 'open' AND due_at < @overdueAt`);
    if (query.status !== undefined) where.push('status = @status');
    if (query.partner !== undefined) where.push('partner = @partner');
    const order = query.overdueAt === undefined ? 'opened_at, thread_id' : 'due_at, thread_id';
    const sql = `SELECT ${COLUMNS} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
      ORDER BY ${order} LIMIT @limit`;
    let statement = lists.get(sql);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>, ThreadRow>(sql);
      lists.set(sql, statement);
    }
    return statement;
  };

  const get = db.transaction((threadId: string): ThreadView | undefined => {
    const row = select.get(threadId);
    return row === undefined ? undefined : threadView(row);
  });
  const list = db.transaction((query: ThreadQuery): ThreadView[] => {
    const params: Record<string, unknown> = { limit: query.limit ?? -1 };
    if (query.overdueAt !== undefined) params.overdueAt = query.overdueAt;
    if (query.status !== undefined) params.status = query.status;
    if (query.partner !== undefined) params.partner = query.partner;
    return listFor(query).all(params).map(threadView);
  });

  return {
    /** Applies a thread change inside the caller's transaction. */
    apply(change: ThreadChange, now: number): void {
      if (change.action === 'close') {
        close.run(change.messageId, now, change.threadId);
        return;
      }
      if (change.dueAt === undefined) {
        throw new YrdxError('internal_error', {
          cause: new Error(`thread ${change.threadId} opened without a due time`),
        });
      }
      open.run({
        threadId: change.threadId,
        partner: change.partner,
        direction: change.direction,
        type: change.type,
        domain: change.domain,
        now,
        dueAt: change.dueAt,
        messageId: change.messageId,
      });
    },
    get: (threadId: string): ThreadView | undefined => get.deferred(threadId),
    list: (query: ThreadQuery): ThreadView[] => list.deferred(query),
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
