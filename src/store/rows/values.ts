// Rows of the SQL stores as they are read from the database, the column lists that read them, and
// their mapping to the views of the port, one file per role (see ../ports/). The three SQL stores
// (SQLite, D1, PostgreSQL) have tables of the same columns, so all of them use these. This file:
// values as the SQL stores keep them in their columns.

/** JSON for a TEXT column; `undefined` (which JSON.stringify drops) is stored as `null`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export function fromJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** `{ [key]: value }` when the column is not NULL, else `{}`: for optional members of a view. */
export function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
