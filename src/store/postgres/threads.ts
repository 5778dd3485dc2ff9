import { YrdxError } from '../../errors/errors.js';
import type { ThreadChange, ThreadDetail, ThreadQuery, ThreadView } from '../port.js';
import {
  type ThreadListRow,
  type ThreadRow,
  type TrackRow,
  type TransitionRow,
  threadDetail,
  threadsOfRows,
} from '../rows/threads.js';
import {
  SELECT_THREAD,
  SELECT_TRACKS,
  SELECT_TRANSITIONS,
  threadList,
  threadStatements,
} from '../sql/threads.js';
import { queryNamed, type Tx } from './db.js';

/**
 * Applies a thread change inside the caller's unit. A track that is no longer in the state the move
 * leaves (another message moved it first) refuses the whole unit.
 */
export async function applyThreadChange(tx: Tx, change: ThreadChange, now: number): Promise<void> {
  for (const statement of threadStatements(change, now)) {
    const result = await queryNamed(tx, statement.sql, statement.params);
    if (statement.mustChange !== undefined && result.rowCount === 0)
      throw new YrdxError('workflow_concurrent', {
        params: { thread: change.threadId, partner: statement.mustChange.partner },
      });
  }
}

export async function getThread(tx: Tx, threadId: string): Promise<ThreadDetail | undefined> {
  const { rows } = await queryNamed<ThreadRow>(tx, SELECT_THREAD, { threadId });
  if (rows[0] === undefined) return undefined;
  const tracks = await queryNamed<TrackRow>(tx, SELECT_TRACKS, { threadId });
  const transitions = await queryNamed<TransitionRow>(tx, SELECT_TRANSITIONS, { threadId });
  return threadDetail(rows[0], tracks.rows, transitions.rows);
}

export async function listThreads(tx: Tx, query: ThreadQuery): Promise<ThreadView[]> {
  const { sql, params } = threadList(query);
  const { rows } = await queryNamed<ThreadListRow>(tx, sql, params);
  return threadsOfRows(rows);
}
