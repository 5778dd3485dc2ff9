import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import type { CryptoProfile } from '../../src/config/types.js';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { sha256Hex } from '../../src/envelope/digest.js';
import { createKeyring, type KeyringDocument, NodeKeyring } from '../../src/keys/keyring.js';
import {
  type FederationMember,
  localSystemId,
  memberConfig,
  newApiKey,
} from '../../src/runtime/node/federation-config.js';
import { freePort } from '../helpers/free-port.js';

/**
 * A yrdx node on Workers for tests: the *bundled* Worker (dist-worker/worker.js, built by
 * `npm run build:worker`) in Miniflare — workerd, which refuses code generation as Workers do — with
 * a local D1 database, its keys in the YRDX_KEYS secret and its configuration in YRDX_CONFIG,
 * listening on 127.0.0.1 so that Node nodes reach it over HTTP.
 */
export interface WorkerNode {
  readonly id: string;
  readonly url: string;
  readonly apiKey: string;
  /** The bearer token of the admin API (its hash is in the YRDX_ADMIN_CREDENTIALS secret). */
  readonly adminToken: string;
  readonly localSystem: string;
  readonly member: FederationMember;
  readonly keyring: NodeKeyring;
  /** Lines the Worker logged (JSON objects), in order. */
  readonly logs: Record<string, unknown>[];
  start(all: readonly FederationMember[]): Promise<void>;
  /** Runs the cron handler once, as the `* * * * *` trigger would. */
  cron(): Promise<void>;
  submit(body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export const WORKER_BUNDLE = 'dist-worker/worker.js';

/** Prepares the member (port, keys) first, so that Node nodes can trust it before it starts. */
export async function workerNode(spec: {
  readonly id: string;
  readonly name: string;
  readonly province: 'sh' | 'js' | 'zj' | 'ah';
  readonly algorithm?: SigningAlgorithm;
  /** `gm`: the national profile (SM2 keys in the secret unless `algorithm` says otherwise, SM3 digests). */
  readonly cryptoProfile?: CryptoProfile;
  /** What the YRDX_KEYS secret holds, from the keyring generated for the node (default: that keyring). */
  readonly keysSecret?: (doc: KeyringDocument) => string;
  /** Binds a Cloudflare Queue as YRDX_WORK, with this Worker as its consumer. */
  readonly queue?: boolean;
  /**
   * Binds an R2 bucket as FILES (case files), with FILES_CHUNK_BYTES and FILES_BUDGET_MS when given.
   * Without it the node keeps no case files.
   */
  readonly files?: { readonly chunkBytes?: number; readonly budgetMs?: number };
}): Promise<WorkerNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const algorithm = spec.algorithm ?? (spec.cryptoProfile === 'gm' ? 'SM2' : 'ES256');
  const doc = await createKeyring(spec.id, algorithm, Date.now());
  const keyring = await NodeKeyring.load(doc, spec.id, { retainRetiredSeconds: 3600 });
  const apiKey = newApiKey();
  const adminToken = newApiKey();
  const member: FederationMember = {
    id: spec.id,
    name: spec.name,
    province: spec.province,
    algorithm,
    ...(spec.cryptoProfile === undefined ? {} : { cryptoProfile: spec.cryptoProfile }),
    url,
    dataDir: 'unused-on-workers',
    jwks: keyring.jwks(Math.floor(Date.now() / 1000)),
    apiKey,
    local: { mode: 'pull' },
    delivery: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 2000, circuitFailures: 1000, leaseMs: 5000 },
  };
  const logs: Record<string, unknown>[] = [];
  let mf: Miniflare | undefined;
  const self: WorkerNode = {
    id: spec.id,
    url,
    apiKey,
    adminToken,
    localSystem: localSystemId(spec),
    member,
    keyring,
    logs,
    async start(all) {
      const config = await memberConfig(member, all);
      const { dataDir: _unused, ...rest } = config;
      mf = new Miniflare({
        modules: true,
        scriptPath: WORKER_BUNDLE,
        compatibilityDate: '2026-05-01',
        host: '127.0.0.1',
        port,
        d1Databases: { DB: `yrdx-${spec.id}` },
        ...(spec.files === undefined ? {} : { r2Buckets: { FILES: `yrdx-files-${spec.id}` } }),
        ...(spec.queue
          ? {
              queueProducers: { YRDX_WORK: `yrdx-work-${spec.id}` },
              queueConsumers: { [`yrdx-work-${spec.id}`]: { maxBatchTimeout: 0 } },
            }
          : {}),
        bindings: {
          YRDX_KEYS: spec.keysSecret === undefined ? JSON.stringify(doc) : spec.keysSecret(doc),
          YRDX_CONFIG: JSON.stringify({
            ...rest,
            keys: { source: 'secret', binding: 'YRDX_KEYS', algorithm },
          }),
          YRDX_ADMIN_CREDENTIALS: JSON.stringify([
            { id: 'edge-admin', role: 'admin', tokenHash: `sha256:${await sha256Hex(adminToken)}` },
          ]),
          LOG_LEVEL: 'debug',
          ...(spec.files?.chunkBytes === undefined
            ? {}
            : { FILES_CHUNK_BYTES: String(spec.files.chunkBytes) }),
          ...(spec.files?.budgetMs === undefined ? {} : { FILES_BUDGET_MS: String(spec.files.budgetMs) }),
        },
        handleRuntimeStdio(stdout, stderr) {
          let buffer = '';
          stdout.on('data', (chunk: Buffer) => {
            buffer += chunk.toString('utf8');
            let newline = buffer.indexOf('\n');
            while (newline >= 0) {
              const line = buffer.slice(0, newline).trim();
              buffer = buffer.slice(newline + 1);
              if (line.startsWith('{')) {
                try {
                  logs.push(JSON.parse(line) as Record<string, unknown>);
                } catch {
                  // Not one of the Worker's lines.
                }
              }
              newline = buffer.indexOf('\n');
            }
          });
          stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        },
      });
      await mf.ready;
    },
    async cron() {
      if (mf === undefined) throw new Error('the Worker is not started');
      // Fetcher's `scheduled` (typed by the Workers type package, which yrdx does not depend on).
      const worker = (await mf.getWorker()) as unknown as {
        scheduled(options: { cron: string }): Promise<{ outcome: string }>;
      };
      const result = await worker.scheduled({ cron: '* * * * *' });
      if (result.outcome !== 'ok') throw new Error(`the cron run ended with ${result.outcome}`);
    },
    submit: (body, headers = {}) =>
      fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
        body: JSON.stringify(body),
      }),
    async stop() {
      await mf?.dispose();
    },
  };
  return self;
}

/** Fails with a clear message when the bundle was not built (the test scripts build it first). */
export function requireBundle(): string {
  try {
    return readFileSync(WORKER_BUNDLE, 'utf8');
  } catch {
    throw new Error(`${WORKER_BUNDLE} is missing: run "npm run build:worker" first`);
  }
}
