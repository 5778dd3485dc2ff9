import type { SealedColumn } from '../port.js';

/**
 * The columns encrypted at rest, the ids each value is bound to (`row`: see src/store/at-rest/), and
 * the key its pages are read in (`order`, unique). Written once for SQLite, D1 and PostgreSQL.
 */
export const SEALED_COLUMNS: Readonly<
  Record<
    SealedColumn,
    {
      readonly table: string;
      readonly column: string;
      readonly row: readonly string[];
      readonly order: readonly string[];
      /**
       * The table and column the value is bound to when not its own: a held delivery's body is sealed
       * as the local delivery it becomes (released by a copy, never opened and sealed again).
       */
      readonly boundAs?: { readonly table: string; readonly column: string };
    }
  >
> = {
  'outbound_messages.token': {
    table: 'outbound_messages',
    column: 'token',
    row: ['message_id'],
    order: ['message_id'],
  },
  'outbound_messages.canonical': {
    table: 'outbound_messages',
    column: 'canonical',
    row: ['message_id'],
    order: ['message_id'],
  },
  'inbound_messages.token': {
    table: 'inbound_messages',
    column: 'token',
    row: ['iss', 'jti'],
    order: ['iss', 'jti'],
  },
  'inbound_messages.canonical': {
    table: 'inbound_messages',
    column: 'canonical',
    row: ['iss', 'jti'],
    order: ['iss', 'jti'],
  },
  'local_deliveries.body': {
    table: 'local_deliveries',
    column: 'body',
    row: ['iss', 'jti', 'local_system'],
    order: ['local_delivery_id'],
  },
  'held_deliveries.body': {
    table: 'held_deliveries',
    column: 'body',
    row: ['iss', 'jti', 'local_system'],
    order: ['iss', 'jti', 'local_system'],
    boundAs: { table: 'local_deliveries', column: 'body' },
  },
  'threads.facts': { table: 'threads', column: 'facts', row: ['thread_id'], order: ['thread_id'] },
};

/** Every sealed column, in the order a rewrap walks them. */
export const SEALED_COLUMN_NAMES = Object.keys(SEALED_COLUMNS) as SealedColumn[];

/**
 * A page of a sealed column, with `@limit` and, after the first page, `@k0…` (the last key read).
 * Rows of a removed payload (`''`, `'null'`) hold nothing to seal.
 */
export function selectSealedPage(name: SealedColumn, first: boolean): string {
  const c = SEALED_COLUMNS[name];
  const keys = c.order.map((k, i) => `${k} AS k${i}`).join(', ');
  const rows = c.row.map((r, i) => `${r} AS r${i}`).join(', ');
  const after = first ? '' : `AND (${c.order.join(', ')}) > (${c.order.map((_, i) => `@k${i}`).join(', ')})`;
  return `SELECT ${keys}, ${rows}, ${c.column} AS value FROM ${c.table}
    WHERE ${c.column} IS NOT NULL AND ${c.column} NOT IN ('', 'null') ${after}
    ORDER BY ${c.order.join(', ')} LIMIT @limit`;
}

/** Replaces one value with `@to` where the row (`@k0…`) still holds `@from`. */
export function updateSealedValue(name: SealedColumn): string {
  const c = SEALED_COLUMNS[name];
  const match = c.order.map((k, i) => `${k} = @k${i}`).join(' AND ');
  return `UPDATE ${c.table} SET ${c.column} = @to WHERE ${match} AND ${c.column} = @from`;
}

/** A page row as read by `selectSealedPage`. */
export type SealedPageRow = Record<string, string | number>;

/** The key, row ids and value of a page row. */
export function storedValue(name: SealedColumn, row: SealedPageRow) {
  const c = SEALED_COLUMNS[name];
  return {
    key: c.order.map((_, i) => String(row[`k${i}`])),
    row: c.row.map((_, i) => String(row[`r${i}`])),
    value: String(row.value),
  };
}

/** The parameters of a page after `after`. */
export function pageParams(after: readonly string[] | undefined, limit: number): Record<string, unknown> {
  const params: Record<string, unknown> = { limit };
  after?.forEach((k, i) => {
    params[`k${i}`] = k;
  });
  return params;
}

/** The parameters of one replacement. */
export function changeParams(change: {
  key: readonly string[];
  from: string;
  to: string;
}): Record<string, unknown> {
  const params: Record<string, unknown> = { from: change.from, to: change.to };
  change.key.forEach((k, i) => {
    params[`k${i}`] = k;
  });
  return params;
}
