import { join } from 'node:path';
import { postgresUrlProblem } from '../../config/cross-checks.js';
import { configFault } from '../../config/fault-text.js';
import { DEFAULT_POOL_SIZE, type NodeConfig, type StoreConfig } from '../../config/types.js';
import { YrdxError } from '../../errors/errors.js';
import type { LocalText } from '../../errors/text.js';
import type { AtRestKeys } from '../../store/at-rest/sealed-text.js';
import { atRestStore } from '../../store/at-rest/store.js';
import type { Store } from '../../store/port.js';
import { postgresStore } from '../../store/postgres/store.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import { nodeDigest } from './sha256.js';

/**
 * The store a node on Node.js uses: DATABASE_URL in the environment when set (PostgreSQL, whatever
 * the file says), else the configuration's `store` (default: SQLite in the data directory). For
 * PostgreSQL, DATABASE_POOL_SIZE in the environment wins over the file's `store.poolSize`.
 */
export function nodeStoreConfig(
  config: NodeConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): StoreConfig {
  const url = env.DATABASE_URL;
  const chosen: StoreConfig =
    url === undefined || url === ''
      ? (config.store ?? { kind: 'sqlite' })
      : { ...(config.store?.kind === 'postgres' ? config.store : {}), kind: 'postgres', url };
  if (chosen !== config.store && chosen.kind === 'postgres') {
    const problem = postgresUrlProblem(chosen.url);
    if (problem !== undefined) throw environmentFault('/DATABASE_URL', problem);
  }
  const size = env.DATABASE_POOL_SIZE;
  if (chosen.kind !== 'postgres' || size === undefined || size === '') return chosen;
  const poolSize = Number(size);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 100)
    throw environmentFault('/DATABASE_POOL_SIZE', configFault('poolSize', { size }));
  return { ...chosen, poolSize };
}

function environmentFault(pointer: string, detail: LocalText): YrdxError {
  return new YrdxError('config_invalid', {
    params: { count: 1, file: 'environment' },
    errors: [{ file: 'environment', pointer, detail }],
  });
}

/** The data keys a store seals and opens with (see `atRestStore`). */
export interface AtRestOption {
  readonly keys: () => AtRestKeys | undefined;
  readonly refresh?: () => Promise<void>;
}

/**
 * Opens (does not migrate) the node's store; `sqlitePath` overrides the SQLite file's place. Values
 * that hold case facts are encrypted at rest with `atRest`'s keys; without them they are written in
 * the clear and an encrypted value read is `data_key_unknown`, never ciphertext.
 */
export function openNodeStore(
  config: NodeConfig,
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly sqlitePath?: string;
    readonly onIdleError?: (error: Error) => void;
    readonly atRest?: AtRestOption;
    /** SQLite only: open an existing file read-only (offline audit and evidence tools). */
    readonly readOnly?: boolean;
  } = {},
): Store {
  const store = openPlainStore(config, options);
  return atRestStore(store, options.atRest?.keys ?? (() => undefined), {
    ...(options.atRest?.refresh ? { refresh: options.atRest.refresh } : {}),
  });
}

function openPlainStore(config: NodeConfig, options: Parameters<typeof openNodeStore>[1] & object): Store {
  const chosen = nodeStoreConfig(config, options.env);
  if (chosen.kind === 'postgres') {
    return postgresStore(chosen.url, {
      sha256: nodeDigest(config.cryptoProfile),
      maxConnections: chosen.poolSize ?? DEFAULT_POOL_SIZE,
      ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
    });
  }
  return sqliteStore(options.sqlitePath ?? join(config.dataDir, 'yrdx.sqlite'), {
    sha256: nodeDigest(config.cryptoProfile),
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}

/** Where the store is, for logs: the SQLite file, or the PostgreSQL server and database (no credentials). */
export function describeStore(chosen: StoreConfig, dataDir: string): string {
  if (chosen.kind === 'sqlite') return join(dataDir, 'yrdx.sqlite');
  const url = new URL(chosen.url);
  return `postgres://${url.host}${url.pathname}`;
}
