import type { SealedChange, SealedColumn, StoredValue } from '../port.js';
import {
  changeParams,
  pageParams,
  type SealedPageRow,
  selectSealedPage,
  storedValue,
  updateSealedValue,
} from '../sql/sealed.js';
import { queryNamed, type Tx } from './db.js';

/** A page of a sealed column (see `SealedColumnStore`). */
export async function readSealedColumn(
  tx: Tx,
  column: SealedColumn,
  after: readonly string[] | undefined,
  limit: number,
): Promise<StoredValue[]> {
  const result = await queryNamed<SealedPageRow>(
    tx,
    selectSealedPage(column, after === undefined),
    pageParams(after, limit),
  );
  return result.rows.map((row) => storedValue(column, row));
}

/** Replaces values where the rows still hold what was read. */
export async function replaceSealedValues(
  tx: Tx,
  column: SealedColumn,
  changes: readonly SealedChange[],
): Promise<number> {
  let changed = 0;
  for (const change of changes)
    changed += (await queryNamed(tx, updateSealedValue(column), changeParams(change))).rowCount ?? 0;
  return changed;
}
