// Rows of the SQL stores as they are read from the database, the column lists that read them, and
// their mapping to the views of the port, one file per role (see ../ports/). The three SQL stores
// (SQLite, D1, PostgreSQL) have tables of the same columns, so all of them use these. This file:
// values as the SQL stores keep them in their columns.

/**
 * What a column holds once it was encrypted at rest (src/store/at-rest/): a value sealed before it
 * reached the store. No JSON text and no compact JWS starts with it.
 */
export const SEALED_PREFIX = 'yrdx-enc:';

/**
 * A sealed value passed where a store writes or reads JSON (a canonical or local body): written as it
 * is, read back as it is, for the at-rest layer to open outside the store's transaction.
 */
export class SealedText {
  constructor(readonly text: string) {}
}

/** JSON for a TEXT column; `undefined` (which JSON.stringify drops) is stored as `null`. */
export function toJson(value: unknown): string {
  if (value instanceof SealedText) return value.text;
  return JSON.stringify(value) ?? 'null';
}

/** A JSON column's value, or the `SealedText` it holds when it was encrypted at rest. */
export function fromJson(text: string): unknown {
  if (text.startsWith(SEALED_PREFIX)) return new SealedText(text);
  return JSON.parse(text) as unknown;
}

/** `{ [key]: value }` when the column is not NULL, else `{}`: for optional members of a view. */
export function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
