// The two yrdx nodes of the exchange benchmarks, Huzhou and Suzhou, as child processes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../src/envelope/digest.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { freePort } from '../../test/helpers/free-port.js';
import { post } from './load.js';
import { type Child, ENTRY, ROOT, sleep, startChild } from './processes.js';
import type { Recorder } from './recorder.js';

const DOCUMENT = JSON.parse(readFileSync(join(ROOT, 'bench', 'documents', 'food-safety.zj.json'), 'utf8'));
export const DOCUMENT_BYTES = Buffer.byteLength(JSON.stringify(DOCUMENT));
const HUZHOU = '330500';
const SUZHOU = '320500';
/** What Huzhou's case system posts to /v1/messages (and to the relay's first hop). */
export const SUBMISSION = JSON.stringify({
  to: SUZHOU,
  domain: 'food-safety',
  type: 'notification',
  body: DOCUMENT,
});
/** Fast retries; as many concurrent partner calls as messages in flight (the worker claims ≤ 32 a round). */
export const DELIVERY = {
  maxAttempts: 100,
  baseDelayMs: 10,
  maxDelayMs: 200,
  timeoutMs: 5000,
  perPartnerConcurrency: 32,
  circuitFailures: 1000,
  circuitOpenMs: 1000,
  leaseMs: 15_000,
};

/** A node starts in a few seconds on an idle machine; a shared one under load may take far longer. */
const START_TIMEOUT_MS = 120_000;

export interface YrdxNode {
  readonly id: string;
  readonly url: string;
  readonly dbPath: string;
  /** The process id while running. */
  readonly pid: number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Pair {
  readonly huzhou: YrdxNode;
  readonly suzhou: YrdxNode;
  /** The API key of Huzhou's case system. */
  readonly apiKey: string;
  /** Posts the benchmark document to Huzhou as its case system; resolves to the message id. */
  submit(): Promise<string>;
  /** Another Huzhou process (same configuration, keys and environment) on `port`, not started. */
  huzhouInstance(port: number): YrdxNode;
  /** Like `submit`, to the given Huzhou process. */
  submitVia(node: YrdxNode): Promise<string>;
  stop(): Promise<void>;
}

/** Writes both nodes' configuration, keys and API key under `dir` (every node the other's pinned partner). */
export async function preparePair(
  dir: string,
  recorder: Recorder,
  options: { readonly huzhouEnv?: Readonly<Record<string, string>> } = {},
): Promise<Pair> {
  const specs = [
    { id: HUZHOU, name: '湖州市', province: 'zj', algorithm: 'ES256' },
    { id: SUZHOU, name: '苏州市', province: 'js', algorithm: 'EdDSA' },
  ] as const;
  const prepared = [];
  for (const spec of specs) {
    const port = await freePort();
    const dataDir = join(dir, spec.id);
    mkdirSync(join(dataDir, 'keys'), { recursive: true });
    const doc = await createKeyring(spec.id, spec.algorithm, Date.now());
    writeFileSync(join(dataDir, 'keys', 'keyring.json'), JSON.stringify(doc), { mode: 0o600 });
    const keyring = await NodeKeyring.load(doc, spec.id, { retainRetiredSeconds: 3600 });
    const apiKey = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url');
    prepared.push({
      spec,
      port,
      url: `http://127.0.0.1:${port}`,
      dataDir,
      apiKey,
      jwks: keyring.jwks(Math.floor(Date.now() / 1000)),
    });
  }
  const nodes: YrdxNode[] = [];
  for (const p of prepared) {
    const everything = { domains: ['food-safety'], types: ['notification'] };
    const config = {
      id: p.spec.id,
      name: p.spec.name,
      province: p.spec.province,
      publicUrl: p.url,
      dataDir: p.dataDir,
      keys: { source: 'file', algorithm: p.spec.algorithm },
      delivery: DELIVERY,
      localSystems: [
        {
          id: `${p.spec.id}-case`,
          name: `${p.spec.name}案件系统`,
          dialect: p.spec.province,
          apiKeys: [`sha256:${await sha256Hex(p.apiKey)}`],
          maySend: everything,
          receives: everything,
          delivery: { mode: 'push', url: recorder.url },
        },
      ],
      partners: prepared
        .filter((o) => o !== p)
        .map((o) => ({
          id: o.spec.id,
          name: o.spec.name,
          baseUrl: o.url,
          keys: { jwks: o.jwks },
          subscribes: ['food-safety'],
          maySend: everything,
        })),
    };
    const configFile = join(p.dataDir, 'node.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const env = p.spec.id === HUZHOU ? (options.huzhouEnv ?? {}) : {};
    nodes.push(yrdxNode(p.spec.id, p.port, p.url, configFile, join(p.dataDir, 'yrdx.sqlite'), env));
  }
  const [huzhou, suzhou] = nodes as [YrdxNode, YrdxNode];
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${prepared[0]!.apiKey}` };
  const huzhouConfig = join(prepared[0]!.dataDir, 'node.json');
  return {
    huzhou,
    suzhou,
    apiKey: prepared[0]!.apiKey,
    submit: () => post(`${huzhou.url}/v1/messages`, headers, SUBMISSION),
    huzhouInstance: (port) =>
      yrdxNode(
        HUZHOU,
        port,
        `http://127.0.0.1:${port}`,
        huzhouConfig,
        huzhou.dbPath,
        options.huzhouEnv ?? {},
      ),
    submitVia: (node) => post(`${node.url}/v1/messages`, headers, SUBMISSION),
    stop: async () => {
      await Promise.all([huzhou.stop(), suzhou.stop()]);
    },
  };
}

function yrdxNode(
  id: string,
  port: number,
  url: string,
  configFile: string,
  dbPath: string,
  env: Readonly<Record<string, string>> = {},
): YrdxNode {
  let child: Child | undefined;
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
  return {
    id,
    url,
    dbPath,
    get pid() {
      return child?.process.pid;
    },
    async start() {
      const started = startChild([...nodeArgs, ENTRY], {
        ...env,
        YRDX_CONFIG: configFile,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
      child = started;
      const until = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (started.process.exitCode !== null)
          throw new Error(`bench: node ${id} exited before listening:\n${started.output()}`);
        try {
          const res = await fetch(`${url}/.well-known/jwks.json`, { signal: AbortSignal.timeout(1000) });
          await res.body?.cancel();
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > until) {
          await started.stop(0);
          throw new Error(
            `bench: node ${id} did not listen on ${url} within ${START_TIMEOUT_MS / 1000} s:\n${started.output()}`,
          );
        }
        await sleep(50);
      }
    },
    async stop() {
      await child?.stop();
      child = undefined;
    },
  };
}
