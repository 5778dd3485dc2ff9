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
import { type D1Database, type Guard, type Statement, sql } from './db.js';

export type ThreadOps = ReturnType<typeof threadOps>;

/**
 * Cooperation threads of the D1 store. A change is statements of the unit's batch, each when
 * `guard` holds; a track moved by another batch meanwhile is left as it is (a batch cannot refuse
 * itself), which the node's check before sealing makes rare: D1 serialises batches.
 */
export function threadOps(db: D1Database) {
  return {
    apply(change: ThreadChange, now: number, guard: Guard): Statement[] {
      return threadStatements(change, now, guard.sql).map((s) =>
        sql(db, s.sql, { ...guard.params, ...s.params }),
      );
    },
    async get(threadId: string): Promise<ThreadDetail | undefined> {
      const [row, tracks, transitions] = await db.batch([
        sql(db, SELECT_THREAD, { threadId }),
        sql(db, SELECT_TRACKS, { threadId }),
        sql(db, SELECT_TRANSITIONS, { threadId }),
      ]);
      const found = (row?.results ?? []) as unknown as ThreadRow[];
      if (found[0] === undefined) return undefined;
      return threadDetail(
        found[0],
        (tracks?.results ?? []) as unknown as TrackRow[],
        (transitions?.results ?? []) as unknown as TransitionRow[],
      );
    },
    async list(query: ThreadQuery): Promise<ThreadView[]> {
      const { sql: text, params } = threadList(query);
      const rows = await sql(db, text, params).all<ThreadListRow>();
      return threadsOfRows(rows.results);
    },
  };
}
