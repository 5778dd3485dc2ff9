import type { SealedChange, SealedColumn, SealedColumnStore } from '../port.js';
import { SEALED_COLUMN_NAMES } from '../sql/sealed.js';
import { placeOf } from './places.js';
import { type AtRestKeys, isSealed, openText, sealedKeyId, sealText } from './sealed-text.js';

/** What a rewrap did to one column. */
export interface RewrapCount {
  /** Values read (removed payloads are not). */
  readonly read: number;
  /** Values under an older key, sealed again under the active one. */
  readonly rewrapped: number;
  /** Values written before encryption, now sealed. */
  readonly sealed: number;
}

export type RewrapReport = Readonly<Record<SealedColumn, RewrapCount>>;

/** The default size of a page: each page is one read and one write unit. */
export const REWRAP_BATCH = 200;

/**
 * Seals every stored value of every sealed column under the active data key, page by page: values
 * under a retired key are opened and sealed again, values in the clear are sealed, values already
 * under the active key are left alone. Each value is replaced only where the row still holds what
 * was read, so a node running beside it loses nothing. A value that does not open stops the rewrap
 * with its problem (`sealed_value_invalid`, `data_key_unknown`), the pages before it kept.
 */
export async function rewrapStore(
  store: SealedColumnStore,
  keys: AtRestKeys,
  options: {
    readonly batch?: number;
    readonly onPage?: (column: SealedColumn, count: RewrapCount) => void;
  } = {},
): Promise<RewrapReport> {
  const batch = options.batch ?? REWRAP_BATCH;
  const report: Partial<Record<SealedColumn, RewrapCount>> = {};
  for (const column of SEALED_COLUMN_NAMES) {
    let count: RewrapCount = { read: 0, rewrapped: 0, sealed: 0 };
    let after: readonly string[] | undefined;
    for (;;) {
      const page = await store.readSealedColumn(column, after, batch);
      const changes: SealedChange[] = [];
      let rewrapped = 0;
      let sealed = 0;
      for (const stored of page) {
        if (sealedKeyId(stored.value) === keys.active.id) continue;
        const place = placeOf(column, stored.row);
        const text = await openText(keys, stored.value, place);
        if (isSealed(stored.value)) rewrapped++;
        else sealed++;
        changes.push({ key: stored.key, from: stored.value, to: await sealText(keys, text, place) });
      }
      await store.replaceSealedValues(column, changes);
      count = {
        read: count.read + page.length,
        rewrapped: count.rewrapped + rewrapped,
        sealed: count.sealed + sealed,
      };
      options.onPage?.(column, count);
      if (page.length < batch) break;
      after = page.at(-1)!.key;
    }
    report[column] = count;
  }
  return report as RewrapReport;
}
