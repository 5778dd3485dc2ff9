/**
 * The columns that hold case facts, encrypted at rest (src/store/at-rest/): read page by page and
 * rewritten under another key (`yrdx data-key rotate --rewrap`), or sealed when written in the clear.
 */
export interface SealedColumnStore {
  /**
   * Up to `limit` rows of `column` whose value is neither NULL nor a removed payload (`''`, `'null'`),
   * in the order of their keys, after `after` (the `key` of the last row of the previous page).
   */
  readSealedColumn(
    column: SealedColumn,
    after: readonly string[] | undefined,
    limit: number,
  ): Promise<StoredValue[]>;
  /**
   * Writes each value where the row still holds `from` (a concurrent change wins). Returns how many
   * rows changed.
   */
  replaceSealedValues(column: SealedColumn, changes: readonly SealedChange[]): Promise<number>;
}

/** A column encrypted at rest, as `table.column`. */
export type SealedColumn =
  | 'outbound_messages.token'
  | 'outbound_messages.canonical'
  | 'inbound_messages.token'
  | 'inbound_messages.canonical'
  | 'local_deliveries.body'
  | 'held_deliveries.body'
  | 'threads.facts';

export interface StoredValue {
  /** The row's key in page order. */
  readonly key: readonly string[];
  /** The row's ids the value is bound to (see `SealedPlace`). */
  readonly row: readonly string[];
  readonly value: string;
}

export interface SealedChange {
  readonly key: readonly string[];
  readonly from: string;
  readonly to: string;
}
