import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LogFn } from '../../app-env.js';
import { retentionWorker } from '../../audit/retention.js';
import type { Circuits } from '../../delivery/backoff.js';
import { deliveryWorker, type Worker } from '../../delivery/worker.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { startLoop } from '../../exchange/scheduler.js';
import { localPushWorker } from '../../local/push-worker.js';
import { sqliteStore } from '../../store/sqlite/store.js';
import type { NodeState } from './boot.js';
import { nodeHttpClient } from './http-client.js';
import { nodeSha256 } from './sha256.js';

export interface RunningExchange {
  readonly deps: ExchangeDeps;
  /** The delivery circuits per partner, for health reports. */
  readonly circuits: Circuits;
  /** Stops taking new work, lets in-flight deliveries finish and be recorded, closes the store. */
  stop(): Promise<void>;
}

/**
 * The exchange of a booted node on Node.js: the SQLite store in the data directory (created and
 * migrated on first run), and the delivery and local-push workers on a loop (the latter also
 * removing payloads past their retention).
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
  const store = sqliteStore(options.storePath ?? join(state.config.dataDir, 'yrdx.sqlite'), {
    sha256: nodeSha256,
  });
  await store.migrate();
  const wakers = new Map<'delivery' | 'local-push', () => void>();
  // Partners and local systems are called through one pooled undici client unless a test passes its own.
  const client =
    options.fetch === undefined
      ? nodeHttpClient({ connections: Math.max(32, state.config.delivery.perPartnerConcurrency) })
      : undefined;
  const deps: ExchangeDeps = {
    config: state.config,
    store,
    keyring: () => state.keyring,
    partners: state.partners,
    contracts: state.contracts,
    now: options.now ?? Date.now,
    fetch: client?.fetch ?? options.fetch ?? globalThis.fetch,
    sha256: nodeSha256,
    ...(options.log ? { log: options.log } : {}),
    notify: (work) => wakers.get(work)?.(),
  };
  const worker = `${hostname()}-${process.pid}`;
  // One loop per worker, so that a slow partner never holds up local pushes, nor the reverse.
  const loop = (...w: Worker[]) =>
    startLoop(w, { idleMs: options.idleMs ?? 200, ...(options.log ? { log: options.log } : {}) });
  const deliveries = deliveryWorker(deps, { worker });
  const delivery = loop(deliveries);
  // Retention is checked at most hourly on the local-push loop; it never reports work, so never busies it.
  const pushes = loop(localPushWorker(deps, { worker }), retentionWorker(deps));
  const loops = [delivery, pushes];
  wakers.set('delivery', () => delivery.wake());
  wakers.set('local-push', () => pushes.wake());
  return {
    deps,
    circuits: deliveries.circuits,
    async stop() {
      await Promise.all(loops.map((l) => l.stop()));
      await client?.close();
      await store.close();
    },
  };
}
