import { YrdxError } from '../../errors.js';
import type { ThreadChange, ThreadQuery, ThreadView } from '../port.js';
import { optional, type Tx } from './json.js';

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

/** Applies a thread change inside the caller's unit: a request opens a thread, its reply closes it. */
export async function applyThreadChange(tx: Tx, change: ThreadChange, now: number): Promise<void> {
  if (change.action === 'close') {
    await tx.query(
      `UPDATE threads SET status = 'closed', reply_id = $1, closed_at = $2 WHERE thread_id = $3 AND status = 'open'`,
      [change.messageId, now, change.threadId],
    );
    return;
  }
  if (change.dueAt === undefined) {
    throw new YrdxError('internal_error', {
      cause: new Error(`thread ${change.threadId} opened without a due time`),
    });
  }
  await tx.query(
    `INSERT INTO threads (thread_id, partner, direction, type, domain, status, opened_at, due_at, request_id)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8)
     ON CONFLICT (thread_id) DO NOTHING`,
    [
      change.threadId,
      change.partner,
      change.direction,
      change.type,
      change.domain,
      now,
      change.dueAt,
      change.messageId,
    ],
  );
}

export async function getThread(tx: Tx, threadId: string): Promise<ThreadView | undefined> {
  const { rows } = await tx.query<ThreadRow>(`SELECT ${COLUMNS} FROM threads WHERE thread_id = $1`, [
    threadId,
  ]);
  return rows[0] === undefined ? undefined : threadView(rows[0]);
}

export async function listThreads(tx: Tx, query: ThreadQuery): Promise<ThreadView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.overdueAt !== undefined) where.push(`status = 'open' AND due_at < ${param(query.overdueAt)}`);
  if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
  if (query.partner !== undefined) where.push(`partner = ${param(query.partner)}`);
  const order = query.overdueAt === undefined ? 'opened_at, thread_id' : 'due_at, thread_id';
  const { rows } = await tx.query<ThreadRow>(
    `SELECT ${COLUMNS} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY ${order} LIMIT ${param(query.limit ?? null)}`,
    params,
  );
  return rows.map(threadView);
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
