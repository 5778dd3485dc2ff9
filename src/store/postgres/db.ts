import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { bindNamed } from '../sql/bind.js';

/** The connection of one transaction unit (see `unit` in store.ts). */
export type Tx = PoolClient;

/** Runs SQL the stores share (src/store/sql/, written with `@name` parameters) with PostgreSQL's `$n`. */
export function queryNamed<R extends QueryResultRow = QueryResultRow>(
  tx: Tx,
  text: string,
  params: Readonly<Record<string, unknown>>,
): Promise<QueryResult<R>> {
  const bound = bindNamed(text, params, (n) => `$${n}`);
  return tx.query<R>(bound.text, bound.values);
}
