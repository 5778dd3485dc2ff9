import type Database from 'better-sqlite3';
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
import type { Db } from './db.js';

export type ThreadOps = ReturnType<typeof threadOps>;

/** Cooperation threads: opened by a request, moved along their workflow by the messages of their tracks. */
export function threadOps(db: Db) {
  const statements = new Map<string, Database.Statement<Record<string, unknown>>>();
  const prepared = <R>(sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>>(sql);
      statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<Record<string, unknown>, R>;
  };

  const get = db.transaction((threadId: string): ThreadDetail | undefined => {
    const row = prepared<ThreadRow>(SELECT_THREAD).get({ threadId });
    if (row === undefined) return undefined;
    return threadDetail(
      row,
      prepared<TrackRow>(SELECT_TRACKS).all({ threadId }),
      prepared<TransitionRow>(SELECT_TRANSITIONS).all({ threadId }),
    );
  });
  const list = db.transaction((query: ThreadQuery): ThreadView[] => {
    const { sql, params } = threadList(query);
    return threadsOfRows(prepared<ThreadListRow>(sql).all(params));
  });

  return {
    /**
     * Applies a thread change inside the caller's transaction. A track that is no longer in the
     * state the move leaves (another message moved it first) refuses the whole unit.
     */
    apply(change: ThreadChange, now: number): void {
      for (const statement of threadStatements(change, now)) {
        const { changes } = prepared(statement.sql).run(statement.params);
        if (statement.mustChange !== undefined && changes === 0)
          throw new YrdxError('workflow_concurrent', {
            params: { thread: change.threadId, partner: statement.mustChange.partner },
          });
      }
    },
    get: (threadId: string): ThreadDetail | undefined => get.deferred(threadId),
    list: (query: ThreadQuery): ThreadView[] => list.deferred(query),
  };
}
