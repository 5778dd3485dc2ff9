/**
 * One step of a store's schema, applied in order and recorded by version. A migration is never
 * edited once released: a change of schema is a new entry at the end of each dialect's list
 * (./sqlite.ts for the embedded SQLite store and D1, ./postgres.ts). Steps the dialects write alike
 * come from ./shared.ts, given the one thing they differ in, the integer type of times.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** What the dialects write differently in the steps they share. */
export interface SchemaDialect {
  /** The type of Unix-millisecond times: SQLite's INTEGER is 64-bit, PostgreSQL's is not. */
  readonly time: 'INTEGER' | 'BIGINT';
}
