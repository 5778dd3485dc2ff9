import type { PoolClient } from 'pg';

export { fromJson, optional, toJson } from '../rows.js';

/** The connection of one transaction unit (see `unit` in store.ts). */
export type Tx = PoolClient;
