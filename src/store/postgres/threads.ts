import type { ThreadChange, ThreadQuery, ThreadView } from '../port.js';
import { THREAD_COLUMNS, type ThreadRow, threadView } from '../rows/threads.js';
import {
  CLOSE_THREAD,
  closeThreadParams,
  INSERT_THREAD,
  openThreadParams,
  THREAD_VALUES,
  threadList,
} from '../sql/threads.js';
import { queryNamed, type Tx } from './db.js';

/** Applies a thread change inside the caller's unit: a request opens a thread, its counterpart's reply closes it. */
export async function applyThreadChange(tx: Tx, change: ThreadChange, now: number): Promise<void> {
  if (change.action === 'close') {
    await queryNamed(tx, CLOSE_THREAD, closeThreadParams(change, now));
    return;
  }
  await queryNamed(
    tx,
    `${INSERT_THREAD} VALUES (${THREAD_VALUES}) ON CONFLICT (thread_id) DO NOTHING`,
    openThreadParams(change, now),
  );
}

export async function getThread(tx: Tx, threadId: string): Promise<ThreadView | undefined> {
  const { rows } = await tx.query<ThreadRow>(`SELECT ${THREAD_COLUMNS} FROM threads WHERE thread_id = $1`, [
    threadId,
  ]);
  return rows[0] === undefined ? undefined : threadView(rows[0]);
}

export async function listThreads(tx: Tx, query: ThreadQuery): Promise<ThreadView[]> {
  const { sql, params } = threadList(query, THREAD_COLUMNS);
  const { rows } = await queryNamed<ThreadRow>(tx, sql, params);
  return rows.map(threadView);
}
