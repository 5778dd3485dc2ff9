import type Database from 'better-sqlite3';
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
import type { Db } from './db.js';

export type ThreadOps = ReturnType<typeof threadOps>;

/** Cooperation threads: opened by a request, closed by its counterpart's reply, overdue when the reply is late. */
export function threadOps(db: Db) {
  const open = db.prepare(
    `${INSERT_THREAD} VALUES (${THREAD_VALUES})
     ON CONFLICT (thread_id) DO NOTHING`,
  );
  const close = db.prepare(CLOSE_THREAD);
  const select = db.prepare<[string], ThreadRow>(`SELECT ${THREAD_COLUMNS} FROM threads WHERE thread_id = ?`);
  // One statement per combination of filters, so each can use the index that fits it.
  const lists = new Map<string, Database.Statement<Record<string, unknown>, ThreadRow>>();
  const prepared = (sql: string) => {
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
    const { sql, params } = threadList(query, THREAD_COLUMNS);
    return prepared(sql).all(params).map(threadView);
  });

  return {
    /** Applies a thread change inside the caller's transaction. */
    apply(change: ThreadChange, now: number): void {
      if (change.action === 'close') {
        close.run(closeThreadParams(change, now));
        return;
      }
      open.run(openThreadParams(change, now));
    },
    get: (threadId: string): ThreadView | undefined => get.deferred(threadId),
    list: (query: ThreadQuery): ThreadView[] => list.deferred(query),
  };
}
