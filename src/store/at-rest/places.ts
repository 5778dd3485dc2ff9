import type { SealedColumn } from '../port.js';
import { SealedText, toJson } from '../rows/values.js';
import { SEALED_COLUMNS } from '../sql/sealed.js';
import { type AtRestKeys, openText, type SealedPlace, sealText } from './sealed-text.js';

/** Where a value of `column` in the row with these ids is kept: what its ciphertext is bound to. */
export function placeOf(column: SealedColumn, row: readonly string[]): SealedPlace {
  const c = SEALED_COLUMNS[column];
  const { table, column: name } = c.boundAs ?? c;
  return { table, column: name, row };
}

/** A JSON value sealed for a JSON column: the store writes the `SealedText` as it is. */
export async function sealJson(keys: AtRestKeys, value: unknown, place: SealedPlace): Promise<SealedText> {
  return new SealedText(await sealText(keys, toJson(value), place));
}

/** A JSON column's value as the store read it, opened when it was sealed. */
export async function openJson(
  keys: AtRestKeys | undefined,
  value: unknown,
  place: SealedPlace,
): Promise<unknown> {
  if (!(value instanceof SealedText)) return value;
  return JSON.parse(await openText(keys, value.text, place)) as unknown;
}
