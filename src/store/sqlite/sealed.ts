import type { SealedChange, SealedColumn, StoredValue } from '../port.js';
import {
  changeParams,
  pageParams,
  type SealedPageRow,
  selectSealedPage,
  storedValue,
  updateSealedValue,
} from '../sql/sealed.js';
import type { Db } from './db.js';

/** The sealed columns of the SQLite store, page by page (see `SealedColumnStore`). */
export function sealedOps(db: Db) {
  const read = (column: SealedColumn, after: readonly string[] | undefined, limit: number): StoredValue[] =>
    db
      .prepare<Record<string, unknown>, SealedPageRow>(selectSealedPage(column, after === undefined))
      .all(pageParams(after, limit))
      .map((row) => storedValue(column, row));
  const replace = db.transaction((column: SealedColumn, changes: readonly SealedChange[]): number => {
    const update = db.prepare(updateSealedValue(column));
    let changed = 0;
    for (const change of changes) changed += update.run(changeParams(change)).changes;
    return changed;
  });
  return {
    read,
    replace: (column: SealedColumn, changes: readonly SealedChange[]) => replace.immediate(column, changes),
  };
}
