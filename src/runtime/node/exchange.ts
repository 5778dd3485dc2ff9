import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LogFn } from '../../app-env.js';
import { deliveryWorker } from '../../delivery/worker.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { startLoop } from '../../exchange/scheduler.js';
import { localPushWorker } from '../../local/push-worker.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import type { NodeState } from './boot.js';
import { nodeSha256 } from './sha256.js';

export interface RunningExchange {
  readonly deps: ExchangeDeps;
  /** Stops taking new work, lets in-flight deliveries finish and be recorded, closes the store. */
  stop(): Promise<void>;
}

/**
 * The exchange of a booted node on Node.js: the SQLite store in the data directory (created and
 * migrated on first run), and the delivery and local-push workers on a loop.
 */
export async function startExchange(
  state: NodeState,
  options: {
    readonly log?: LogFn;
    readonly fetch?: typeof fetch;
    readonly now?: () => number;
    readonly idleMs?: number;
    readonly storePath?: string;
  } = {},
): Promise<RunningExchange> {
  const store = sqliteStore(options.storePath ?? join(state.config.dataDir, 'yrdx.sqlite'));
  await store.migrate();
  const wakers: (() => void)[] = [];
  const deps: ExchangeDeps = {
    config: state.config,
    store,
    keyring: () => state.keyring,
    partners: state.partners,
    contracts: state.contracts,
    now: options.now ?? Date.now,
    fetch: options.fetch ?? globalThis.fetch,
    sha256: nodeSha256,
    ...(options.log ? { log: options.log } : {}),
    notify: () => {
      for (const wake of wakers) wake();
    },
  };
  const worker = `${hostname()}-${process.pid}`;
  // One loop per worker, so that a slow partner never holds up local pushes, nor the reverse.
  const loops = [deliveryWorker(deps, { worker }), localPushWorker(deps, { worker })].map((w) =>
    startLoop([w], { idleMs: options.idleMs ?? 200, ...(options.log ? { log: options.log } : {}) }),
  );
  for (const loop of loops) wakers.push(() => loop.wake());
  return {
    deps,
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      await store.close();
    },
  };
}
