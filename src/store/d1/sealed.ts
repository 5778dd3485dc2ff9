import type { SealedChange, SealedColumn, StoredValue } from '../port.js';
import {
  changeParams,
  pageParams,
  type SealedPageRow,
  selectSealedPage,
  storedValue,
  updateSealedValue,
} from '../sql/sealed.js';
import { type D1Database, sql } from './db.js';

/** The sealed columns of the D1 store, page by page (see `SealedColumnStore`). */
export function sealedOps(db: D1Database) {
  return {
    async read(
      column: SealedColumn,
      after: readonly string[] | undefined,
      limit: number,
    ): Promise<StoredValue[]> {
      const page = await sql(
        db,
        selectSealedPage(column, after === undefined),
        pageParams(after, limit),
      ).all<SealedPageRow>();
      return page.results.map((row) => storedValue(column, row));
    },
    /** One batch: every replacement of the page, or none. */
    async replace(column: SealedColumn, changes: readonly SealedChange[]): Promise<number> {
      if (changes.length === 0) return 0;
      const results = await db.batch(
        changes.map((change) => sql(db, updateSealedValue(column), changeParams(change))),
      );
      return results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
    },
  };
}
