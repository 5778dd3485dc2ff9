import { bindNamed } from '../sql/bind.js';

/**
 * The part of Cloudflare's D1 binding the store uses (declared here so that the core compiles
 * without the Workers type package). A batch runs its statements in order, in one transaction:
 * if any statement fails, none of them is kept.
 */
export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  run<T = Record<string, unknown>>(): Promise<D1Result<T>>;
}

export interface D1Result<T = Record<string, unknown>> {
  readonly results: T[];
  readonly success: boolean;
  readonly meta: { readonly changes?: number; readonly [key: string]: unknown };
}

/** A statement with its values; `@name` parameters are bound by name (see `sql`). */
export type Statement = D1PreparedStatement;

/**
 * Prepares `text` with `@name` parameters, as the SQLite store writes them: D1 binds only
 * positional parameters, so each distinct name becomes `?N` and its value is bound once.
 */
export function sql(db: D1Database, text: string, params: Readonly<Record<string, unknown>> = {}): Statement {
  const bound = bindNamed(text, params, (n) => `?${n}`);
  const statement = db.prepare(bound.text);
  return bound.values.length === 0 ? statement : statement.bind(...bound.values);
}

/** The rows a batch statement returned. */
export function rowsOf<T>(results: readonly D1Result<unknown>[], index: number): T[] {
  const result = results[index];
  if (result === undefined) throw new Error(`the batch has no statement ${index}`);
  return result.results as T[];
}

/** A condition in SQL with its `@`-parameters, that a statement of a unit is made conditional on. */
export interface Guard {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}
