import { join } from 'node:path';
import type { NodeConfig, StoreConfig } from '../../config/types.js';
import { postgresUrlProblem } from '../../config/validate.js';
import { YrdxError } from '../../errors.js';
import type { Store } from '../../store/port.js';
import { postgresStore } from '../../store/postgres/store.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import { nodeSha256 } from './sha256.js';

/**
 * The store a node on Node.js uses: DATABASE_URL in the environment when set (PostgreSQL, whatever
 * the file says), else the configuration's `store` (default: SQLite in the data directory).
 */
export function nodeStoreConfig(
  config: NodeConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): StoreConfig {
  const url = env.DATABASE_URL;
  if (url === undefined || url === '') return config.store ?? { kind: 'sqlite' };
  const problem = postgresUrlProblem(url);
  if (problem !== undefined) {
    throw new YrdxError('config_invalid', {
      params: { count: 1, file: 'environment' },
      errors: [{ file: 'environment', pointer: '/DATABASE_URL', detail: problem }],
    });
  }
  return { kind: 'postgres', url };
}

/** Opens (does not migrate) the node's store; `sqlitePath` overrides the SQLite file's place. */
export function openNodeStore(
  config: NodeConfig,
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly sqlitePath?: string;
    readonly onIdleError?: (error: Error) => void;
  } = {},
): Store {
  const chosen = nodeStoreConfig(config, options.env);
  if (chosen.kind === 'postgres') {
    return postgresStore(chosen.url, {
      sha256: nodeSha256,
      ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
    });
  }
  return sqliteStore(options.sqlitePath ?? join(config.dataDir, 'yrdx.sqlite'), { sha256: nodeSha256 });
}

/** Where the store is, for logs: the SQLite file, or the PostgreSQL server and database (no credentials). */
export function describeStore(chosen: StoreConfig, dataDir: string): string {
  if (chosen.kind === 'sqlite') return join(dataDir, 'yrdx.sqlite');
  const url = new URL(chosen.url);
  return `postgres://${url.host}${url.pathname}`;
}
