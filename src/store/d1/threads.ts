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
import { type D1Database, type Guard, type Statement, sql } from './db.js';

export type ThreadOps = ReturnType<typeof threadOps>;

/** Cooperation threads of the D1 store: opened by a request, closed by its reply. */
export function threadOps(db: D1Database) {
  return {
    /** The statement that applies a thread change as part of a unit's batch, when `guard` holds. */
    apply(change: ThreadChange, now: number, guard: Guard): Statement {
      if (change.action === 'close') {
        return sql(db, `${CLOSE_THREAD} AND ${guard.sql}`, {
          ...guard.params,
          ...closeThreadParams(change, now),
        });
      }
      return sql(
        db,
        `${INSERT_THREAD}
         SELECT ${THREAD_VALUES}
         WHERE ${guard.sql}
         ON CONFLICT (thread_id) DO NOTHING`,
        { ...guard.params, ...openThreadParams(change, now) },
      );
    },
    async get(threadId: string): Promise<ThreadView | undefined> {
      const row = await sql(db, `SELECT ${THREAD_COLUMNS} FROM threads WHERE thread_id = @threadId`, {
        threadId,
      }).first<ThreadRow>();
      return row === null ? undefined : threadView(row);
    },
    async list(query: ThreadQuery): Promise<ThreadView[]> {
      const { sql: text, params } = threadList(query, THREAD_COLUMNS);
      const rows = await sql(db, text, params).all<ThreadRow>();
      return rows.results.map(threadView);
    },
  };
}
