import type Database from 'better-sqlite3';

export type Db = Database.Database;

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
