import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Context, Hono } from 'hono';
import createConfigValidators from '../../../build/worker/config-schema.cjs';
import bundle from '../../../build/worker/contracts.cjs';
import { buildApp } from '../../app.js';
import { storeAuditSink } from '../../audit/sink.js';
import type { NodeConfig } from '../../config/types.js';
import { useConfigSchemaValidators } from '../../config/validate.js';
import { authoringText } from '../../contracts/fault-text.js';
import { loadContracts } from '../../contracts/load-all.js';
import type { ContractRegistry } from '../../contracts/registry.js';
import { standaloneProvider } from '../../contracts/validators-standalone.js';
import { boundedFetch, DEFAULT_EGRESS_TIMEOUT_MS } from '../../egress/bounded-fetch.js';
import { egressPolicy } from '../../egress/policy.js';
import { boundedStreamFetch } from '../../egress/stream-fetch.js';
import { sm3Digest } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import { deliveryWorker, type Worker } from '../../exchange/delivery/worker.js';
import type { ExchangeDeps } from '../../exchange/deps.js';
import { type FilesWorker, filesWorker } from '../../exchange/files/fetch-worker.js';
import { localSystemFaults } from '../../exchange/local/dialect-check.js';
import { localPushWorker } from '../../exchange/local/push-worker.js';
import { retentionWorker } from '../../exchange/retention/retention.js';
import type { AppEnv, LogFn } from '../../http/env.js';
import { dataKeyAlgorithm, hasProfileDataKey } from '../../keys/data-keys.js';
import { NodeKeyring } from '../../keys/keyring.js';
import { textKeySource } from '../../keys/source.js';
import { keyReason } from '../../keys/text.js';
import { collectNodeState } from '../../metrics/collectors.js';
import { createMetrics } from '../../metrics/yrdx.js';
import { atRestStore } from '../../store/at-rest/store.js';
import { d1Store } from '../../store/d1/store.js';
import type { Store } from '../../store/port.js';
import { PartnerRegistry } from '../../trust/partner-registry.js';
import { inScope } from '../../vocabulary/messages.js';
import { createR2BlobStore } from './blob-r2.js';
import { workerConfig } from './config.js';
import type { WorkerEnv } from './env.js';
import { workerLogger } from './logger.js';

// A Worker cannot generate code: the configuration schema is checked by validators generated at
// build time, installed before anything validates (so ajv never compiles here).
useConfigSchemaValidators(createConfigValidators(fullFormats));

/** Everything one isolate of the Worker keeps between requests and cron runs. */
export interface WorkerState {
  readonly config: NodeConfig;
  readonly store: Store;
  readonly keyring: NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly contracts: ContractRegistry;
  readonly deps: ExchangeDeps;
  readonly app: Hono<AppEnv>;
  readonly log: LogFn;
  /** FILES_BUDGET_MS: the longest one invocation spends on case-file transfers, when set. */
  readonly filesBudgetMs?: number;
  /**
   * Delivery to partners, push to local systems, payload retention, and (with the FILES binding)
   * the transfers of case files from partners: what the cron drives.
   */
  readonly workers: {
    readonly delivery: Worker;
    readonly localPush: Worker;
    readonly retention: Worker;
    readonly files?: FilesWorker;
  };
  /**
   * The work that requests of this isolate queued since the last call (a submission to deliver, a
   * received message to push), each named once; the fetch handler runs it after answering.
   */
  takeNotified(): Work[];
}

export type Work = 'delivery' | 'local-push' | 'files';

/**
 * Boots the node of this isolate: configuration, keys from the secret binding, partners, the
 * contracts bundled with their standalone validators, the D1 store (migrated if wrangler has not
 * applied the migrations yet), the app and the workers.
 */
export async function bootWorker(env: WorkerEnv, bundledConfig: unknown): Promise<WorkerState> {
  const log = workerLogger({
    ...(typeof env.LOG_LEVEL === 'string' ? { level: env.LOG_LEVEL } : {}),
    payloads: env.LOG_PAYLOADS === '1',
  });
  const config = workerConfig(bundledConfig, env);
  const now = Date.now;
  const keys = config.keys;
  const name = keys.source === 'secret' ? keys.binding : keys.source === 'env' ? keys.variable : 'YRDX_KEYS';
  const secret = env[name];
  const source = textKeySource(
    keyReason('sourceSecret', { name }),
    typeof secret === 'string' ? secret : undefined,
    now,
  );
  const doc = await source.load();
  if (doc === undefined)
    throw new YrdxError('keys_unavailable', { params: { reason: keyReason('empty', { source: name }) } });
  // The signing keys first (a wrong key is the more basic fault), then the data key.
  const keyring = await NodeKeyring.load(doc, config.id, {
    retainRetiredSeconds: config.envelope.maxLifetimeSeconds + config.envelope.clockSkewSeconds,
    profile: config.cryptoProfile,
  });
  // Payloads are encrypted at rest in D1 with the secret's data key (the secret is read-only here).
  const dataKeyAlg = dataKeyAlgorithm(config.cryptoProfile);
  if (!hasProfileDataKey(doc, dataKeyAlg))
    throw new YrdxError('data_key_missing', { params: { source: source.description, alg: dataKeyAlg } });
  // The one client of every outbound call (deliveries, local pushes, JWKS): no redirect followed,
  // answers read up to a size, one timeout per call, and the configuration's address policy.
  const policy = egressPolicy(config);
  const fetcher = boundedFetch((input, init) => fetch(input, init), {
    policy,
    timeoutMs: Math.max(DEFAULT_EGRESS_TIMEOUT_MS, config.delivery.timeoutMs),
  });
  // Case files from partners: streamed into R2 as they come (bounded, with a stall timeout instead
  // of one for the whole call), under the same address policy.
  const stream = boundedStreamFetch((input, init) => fetch(input, init), { policy });
  // Case-file bytes in R2: chunk objects and a manifest per file (./blob-r2.ts). No binding, no files.
  const filesBudget = wholeVar(env, 'FILES_BUDGET_MS', 100, 900_000);
  const blobs =
    env.FILES === undefined
      ? undefined
      : createR2BlobStore(env.FILES, {
          chunkBytes: wholeVar(env, 'FILES_CHUNK_BYTES', MIN_CHUNK_BYTES, MAX_CHUNK_BYTES),
        });
  const partners = await PartnerRegistry.create(config.partners, {
    file: 'config/worker.json + YRDX_CONFIG',
    ownId: config.id,
    ownThumbprints: keyring.keys.map((k) => k.thumbprint),
  });
  for (const fault of await partners.refresh(fetcher)) {
    log('warn', 'partner keys could not be refreshed', { code: fault.code, detail: fault.detail('en') });
  }
  const loaded = loadContracts(bundle.core, bundle.contracts, standaloneProvider(bundle.validators), {
    // Checked when the bundle was built (and by `yrdx contracts test`); not again in every isolate.
    check: false,
    // Translation code generated when the bundle was built: a Worker cannot generate code.
    runs: (contract) => bundle.runs[contract.id],
  });
  if (loaded.faults.size > 0) {
    const errors = [...loaded.faults].flatMap(([base, list]) =>
      list.map((f) => ({ file: `${base}/${f.file}`, pointer: f.pointer, detail: authoringText(f.detail) })),
    );
    throw new YrdxError('contract_invalid', { params: { contract: 'bundle', count: errors.length }, errors });
  }
  const contracts = loaded.registry;
  const localFaults = localSystemFaults(config, contracts);
  if (localFaults.length > 0)
    throw new YrdxError('config_invalid', {
      params: { file: 'YRDX_CONFIG', count: localFaults.length },
      errors: localFaults,
    });
  // The audit log is chained with the profile's digest (SM3 under the national profile); payloads
  // are sealed at rest under the keyring's data key.
  const store = atRestStore(
    d1Store(env.DB, config.cryptoProfile === 'gm' ? { digest: sm3Digest } : {}),
    () => keyring.dataKeys,
  );
  await store.migrate();
  const metrics = createMetrics();
  // The client's address as Cloudflare's edge saw it (rate limits before authentication).
  const remoteAddress = (c: Context) => c.req.header('cf-connecting-ip') ?? undefined;
  const notified = new Set<Work>();
  const deps: ExchangeDeps = {
    config,
    store,
    keyring: () => keyring,
    partners,
    contracts,
    now,
    fetch: fetcher,
    stream,
    ...(blobs === undefined ? {} : { blobs }),
    log,
    metrics,
    notify: (work) => notified.add(work),
    remoteAddress,
    // The national profile keeps SM3 digests (computed in JavaScript: Workers have no SM3).
    ...(config.cryptoProfile === 'gm' ? { digest: sm3Digest } : {}),
  };
  collectNodeState(metrics, { store, keyring: () => keyring, partners, now });
  const worker = `worker-${crypto.randomUUID().slice(0, 8)}`;
  const delivery = deliveryWorker(deps, { worker });
  // One per isolate, so that a transfer resumed by this isolate keeps its digest state (no re-read).
  const files = blobs === undefined ? undefined : filesWorker({ ...deps, blobs, stream }, { worker });
  if (files !== undefined)
    metrics.registry.onCollect(() => metrics.fileTransfersInFlight.set({ direction: 'in' }, files.inFlight));
  if (blobs === undefined)
    log('info', 'no R2 binding FILES: case files (attachments) are refused', {
      code: 'attachments_unavailable',
    });
  const app = buildApp({
    config,
    keyring: () => keyring,
    partners,
    contracts: () => contracts.accepted().filter((c) => inScope(config.domains, c.domain)),
    now,
    log,
    exchange: deps,
    audit: storeAuditSink(store),
    // No contract lifecycle (uploads answer 501) and no admin state store: partner changes made
    // through the admin API last as long as the isolate; keep the partners in YRDX_CONFIG.
    admin: {
      circuitOpen: (partner, at) => delivery.circuits.isOpen(partner, at),
      remoteAddress,
    },
  });
  return {
    config,
    store,
    keyring,
    partners,
    contracts,
    deps,
    app,
    log,
    ...(filesBudget === undefined ? {} : { filesBudgetMs: filesBudget }),
    workers: {
      delivery,
      localPush: localPushWorker(deps, { worker }),
      retention: retentionWorker(deps),
      ...(files === undefined ? {} : { files }),
    },
    takeNotified() {
      const work = [...notified];
      notified.clear();
      return work;
    },
  };
}

/** The bounds of FILES_CHUNK_BYTES (default 8 MiB, blob-r2.ts). */
export const MIN_CHUNK_BYTES = 64 * 1024;
export const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

/** A var holding a whole number within bounds, or undefined when unset; anything else stops the boot. */
function wholeVar(env: WorkerEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || (typeof text === 'string' && text.trim() === '')) return undefined;
  const value = Number(text);
  if (typeof text === 'string' && /^\s*\d+\s*$/.test(text) && value >= min && value <= max) return value;
  const shown = String(text).slice(0, 40);
  throw new YrdxError('config_invalid', {
    params: { count: 1, file: name },
    errors: [
      {
        file: name,
        pointer: '',
        detail: {
          zh: `应为 ${min} 到 ${max} 之间的整数；“${shown}”不是`,
          en: `expected a whole number from ${min} to ${max}; "${shown}" is not one`,
        },
      },
    ],
  });
}
