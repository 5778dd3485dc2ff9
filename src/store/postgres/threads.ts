import type { ThreadChange, ThreadQuery, ThreadView } from '../port.js';
import { openingDueAt, THREAD_COLUMNS, type ThreadRow, threadView } from '../rows/threads.js';
import type { Tx } from './db.js';

/** Applies a thread change inside the caller's unit: a request opens a thread, its counterpart's reply closes it. */
export async function applyThreadChange(tx: Tx, change: ThreadChange, now: number): Promise<void> {
  if (change.action === 'close') {
    await tx.query(
      // Only the thread's counterpart closes it, with a reply travelling against the request.
      `UPDATE threads SET status = 'closed', reply_id = $1, closed_at = $2
       WHERE thread_id = $3 AND status = 'open' AND partner = $4 AND direction = $5`,
      [change.messageId, now, change.threadId, change.partner, change.direction],
    );
    return;
  }
  const dueAt = openingDueAt(change);
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
      dueAt,
      change.messageId,
    ],
  );
}

export async function getThread(tx: Tx, threadId: string): Promise<ThreadView | undefined> {
  const { rows } = await tx.query<ThreadRow>(`SELECT ${THREAD_COLUMNS} FROM threads WHERE thread_id = $1`, [
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
    `SELECT ${THREAD_COLUMNS} FROM threads ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY ${order} LIMIT ${param(query.limit ?? null)}`,
    params,
  );
  return rows.map(threadView);
}
