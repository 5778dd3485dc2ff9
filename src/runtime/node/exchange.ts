import { hostname } from 'node:os';
import { join } from 'node:path';
import { egressPolicy } from '../../egress/policy.js';
import { boundedStreamFetch } from '../../egress/stream-fetch.js';
import type { Circuits } from '../../exchange/delivery/backoff.js';
import { deliveryWorker, type Worker } from '../../exchange/delivery/worker.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { filesWorker } from '../../exchange/files/fetch-worker.js';
import { localPushWorker } from '../../exchange/local/push-worker.js';
import { retentionWorker } from '../../exchange/retention/retention.js';
import { startLoop } from '../../exchange/scheduler.js';
import type { LogFn } from '../../http/env.js';
import { collectNodeState } from '../../metrics/collectors.js';
import { createMetrics, type Metrics } from '../../metrics/yrdx.js';
import { watchKeyExpiry } from '../../trust/expiry-watch.js';
import { createFsBlobStore } from './blob-fs.js';
import type { NodeState } from './boot.js';
import { acceptedAfterRestart } from './config-watch.js';
import { nodeAtRest } from './data-keys.js';
import { threadHasher } from './hasher.js';
import { nodeOutboundClient } from './http-client.js';
import { nodePeerAddress, nodeRemoteAddress } from './remote-address.js';
import { nodeDigest, nodeSha256 } from './sha256.js';
import { openNodeStore } from './store.js';

export interface RunningExchange {
  readonly deps: ExchangeDeps;
  /** The delivery circuits per partner, for health reports. */
  readonly circuits: Circuits;
  /** Stops taking new work, lets in-flight deliveries finish and be recorded, closes the store. */
  stop(): Promise<void>;
}

/**
 * The exchange of a booted node on Node.js: its store (SQLite in the data directory, or the
 * PostgreSQL database several instances share; created and migrated on first run), and the delivery
 * and local-push workers on a loop (the latter also removing payloads past their retention).
 */
export async function startExchange(
  state: NodeState,
  options: {
    readonly log?: LogFn;
    readonly fetch?: typeof fetch;
    readonly now?: () => number;
    readonly idleMs?: number;
    /** Where the SQLite file is (default `<dataDir>/yrdx.sqlite`). */
    readonly storePath?: string;
    /** The environment: DATABASE_URL selects PostgreSQL (see ./store.ts). Default: none. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** The metrics to record into (default: a new registry). */
    readonly metrics?: Metrics;
  } = {},
): Promise<RunningExchange> {
  const store = openNodeStore(state.config, {
    atRest: nodeAtRest(state.keySource, () => state.keyring),
    ...(options.env ? { env: options.env } : {}),
    ...(options.storePath ? { sqlitePath: options.storePath } : {}),
    ...(options.log
      ? {
          onIdleError: (error: Error) =>
            options.log?.('warn', 'database connection lost', { err: error.message }),
        }
      : {}),
  });
  await store.migrate();
  const wakers = new Map<'delivery' | 'local-push' | 'files', () => void>();
  // Partners and local systems are called through one pooled, bounded undici client with the
  // configuration's address policy, unless a test passes its own fetch.
  const client =
    options.fetch === undefined
      ? nodeOutboundClient(state.config, {
          connections: Math.max(32, state.config.delivery.perPartnerConcurrency),
        })
      : undefined;
  const metrics = options.metrics ?? createMetrics();
  const now = options.now ?? Date.now;
  // Case files: content-addressed under the data directory unless the file names a shared folder.
  // Digests of case files on a second thread, beside the network and disk work.
  const hasher = threadHasher();
  const blobs = createFsBlobStore(state.config.attachments.dir ?? join(state.config.dataDir, 'files'));
  const stream =
    client?.stream ??
    boundedStreamFetch(options.fetch ?? globalThis.fetch, { policy: egressPolicy(state.config) });
  const deps: ExchangeDeps = {
    config: state.config,
    store,
    keyring: () => state.keyring,
    partners: state.partners,
    contracts: state.contracts,
    now,
    fetch: client?.fetch ?? options.fetch ?? globalThis.fetch,
    blobs,
    hasher,
    stream,
    sha256: nodeSha256,
    digest: nodeDigest(state.config.cryptoProfile),
    ...(options.log ? { log: options.log } : {}),
    notify: (work) => wakers.get(work)?.(),
    metrics,
    remoteAddress: nodeRemoteAddress(state.config.trustProxy),
    peerAddress: nodePeerAddress,
    // A refused API key that the edited configuration file accepts: "restart the node".
    ...(state.configStamp
      ? {
          acceptedAfterRestart: acceptedAfterRestart(state.configStamp, {
            now,
            ...(options.log ? { log: options.log } : {}),
          }),
        }
      : {}),
  };
  collectNodeState(metrics, { store, keyring: () => state.keyring, partners: state.partners, now });
  const worker = `${hostname()}-${process.pid}`;
  // One loop per worker, so that a slow partner never holds up local pushes, nor the reverse.
  const loop = (...w: Worker[]) =>
    startLoop(w, { idleMs: options.idleMs ?? 200, ...(options.log ? { log: options.log } : {}) });
  // Delivery errors are recorded in the node's language (YRDX_LANG, as the CLI reads it).
  const lang = (options.env?.YRDX_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh';
  const deliveries = deliveryWorker(deps, { worker, lang });
  const delivery = loop(deliveries);
  // Retention is checked at most hourly on the local-push loop; it never reports work, so never busies it.
  const pushes = loop(localPushWorker(deps, { worker }), retentionWorker(deps));
  // Case files from partners: transfers run in the background, at most transferConcurrency at once.
  const transfers = filesWorker({ ...deps, blobs, stream }, { worker });
  metrics.registry.onCollect(() =>
    metrics.fileTransfersInFlight.set({ direction: 'in' }, transfers.inFlight),
  );
  const files = loop(transfers);
  const loops = [delivery, pushes, files];
  wakers.set('delivery', () => delivery.wake());
  wakers.set('local-push', () => pushes.wake());
  wakers.set('files', () => files.wake());
  // Keys that expire within 60 days are logged now and once a day (the metric is computed per scrape).
  const keyWatch = options.log
    ? watchKeyExpiry({ keyring: () => state.keyring, partners: state.partners, now, log: options.log })
    : undefined;
  const dayTimer = keyWatch ? setInterval(keyWatch, 24 * 60 * 60 * 1000) : undefined;
  dayTimer?.unref();
  return {
    deps,
    circuits: deliveries.circuits,
    async stop() {
      if (dayTimer) clearInterval(dayTimer);
      await Promise.all(loops.map((l) => l.stop()));
      await transfers.stop();
      await hasher.close();
      await client?.close();
      await store.close();
    },
  };
}
