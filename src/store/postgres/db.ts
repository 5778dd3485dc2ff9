import type { PoolClient } from 'pg';

/** The connection of one transaction unit (see `unit` in store.ts). */
export type Tx = PoolClient;
