import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import {
  type FederationMember,
  localSystemId,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../../src/runtime/node/federation-config.js';
import { freePort } from './free-port.js';
import { patient } from './patience.js';

/** The repository root: child processes run `dist/src/runtime/node.js` from here. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'dist', 'src', 'runtime', 'node.js');

// --- the recording local system ------------------------------------------------------------------

/**
 * A local system that receives pushes: a plain HTTP server in the test process that records every
 * `x-yrdx-message-id` it is given, in arrival order, and counts raw repeats (a second push of an id).
 */
export interface Recorder {
  readonly url: string;
  /** Every push received, in arrival order (raw, repeats included). */
  readonly arrivals: string[];
  /** How many times each message id was pushed. */
  readonly counts: Map<string, number>;
  /** Pushes of an id seen before. */
  readonly repeats: number;
  /** Ids pushed more than once, with their count. */
  repeated(): [string, number][];
  /** Forgets everything recorded so far. */
  reset(): void;
  /** Answer for the next pushes (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const arrivals: string[] = [];
  const counts = new Map<string, number>();
  let repeats = 0;
  const holder = { status: 200 };
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = req.headers['x-yrdx-message-id'];
      if (holder.status >= 200 && holder.status < 300 && typeof id === 'string') {
        arrivals.push(id);
        const n = (counts.get(id) ?? 0) + 1;
        counts.set(id, n);
        if (n > 1) repeats++;
      }
      res.writeHead(holder.status).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('recorder has no port');
  return {
    url: `http://127.0.0.1:${address.port}/yrdx`,
    arrivals,
    counts,
    get repeats() {
      return repeats;
    },
    repeated: () => [...counts].filter(([, n]) => n > 1),
    reset() {
      arrivals.length = 0;
      counts.clear();
      repeats = 0;
    },
    get status() {
      return holder.status;
    },
    set status(v: number) {
      holder.status = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- nodes as child processes --------------------------------------------------------------------

export interface DeliverySettings {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  readonly perPartnerConcurrency?: number;
  readonly circuitFailures?: number;
  readonly circuitOpenMs?: number;
  readonly leaseMs?: number;
}

export interface ProcessNodeSpec {
  readonly id: string;
  readonly name: string;
  readonly province: 'sh' | 'js' | 'zj' | 'ah';
  readonly algorithm?: 'ES256' | 'EdDSA';
  /** The URL its local system receives pushes at. */
  readonly pushUrl: string;
  readonly delivery?: DeliverySettings;
  /** Partner ids whose baseUrl is replaced, e.g. by a closed port (partner unreachable). */
  readonly partnerUrls?: Readonly<Record<string, string>>;
  /**
   * Environment of the process beyond the test's own (whose DATABASE_URL is never passed on, so a
   * node keeps SQLite unless given one here).
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Fast settings for tests: quick retries, short leases, a circuit that opens briefly. */
export const FAST_DELIVERY: DeliverySettings = {
  maxAttempts: 100,
  baseDelayMs: 50,
  maxDelayMs: 1000,
  timeoutMs: 1500,
  leaseMs: 3000,
  perPartnerConcurrency: 8,
  circuitFailures: 5,
  circuitOpenMs: 1000,
};

export interface NodeProcess {
  readonly id: string;
  readonly port: number;
  readonly url: string;
  readonly apiKey: string;
  readonly localSystem: string;
  readonly configFile: string;
  readonly dataDir: string;
  /** `<dataDir>/yrdx.sqlite`. */
  readonly dbPath: string;
  readonly running: boolean;
  /** How many times the process was started. */
  readonly starts: number;
  /** The process id while running (the store's worker id is `<hostname>-<pid>`). */
  readonly pid: number | undefined;
  /**
   * Another process of the same node — same configuration, keys and data directory — on `port`,
   * with `env` added (e.g. the DATABASE_URL that instances share).
   */
  instance(port: number, env?: Readonly<Record<string, string>>): NodeProcess;
  /** The tail of the process's stdout and stderr, for diagnostics. */
  output(): string;
  /** Spawns `node dist/src/runtime/node.js` and resolves once it answers on its port. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown code runs. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then SIGKILL after `graceMs`. Resolves to how the process ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  submit(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** GET /v1/messages/:id as the local system. */
  status(id: string): Promise<Response>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every child still running (for afterAll, and on exit of the test process). */
export async function killAllNodes(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            children.delete(child);
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
}

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes the configuration, data directories and keys of several yrdx nodes (every node a pinned
 * partner of every other, JWKS inline) under `dir`, each on a free port chosen now; nothing runs
 * until `start()`. Same shape as test/helpers/live-nodes.ts, but each node is a real process.
 */
export async function prepareNodes(
  specs: readonly ProcessNodeSpec[],
  dir: string,
  options: { readonly ports?: Readonly<Record<string, number>> } = {},
): Promise<NodeProcess[]> {
  const prepared: {
    spec: ProcessNodeSpec;
    port: number;
    url: string;
    dataDir: string;
    algorithm: SigningAlgorithm;
    apiKey: string;
    jwks: FederationMember['jwks'];
  }[] = [];
  for (const spec of specs) {
    const port = options.ports?.[spec.id] ?? (await freePort());
    const dataDir = join(dir, `${spec.id}-${port}`);
    const algorithm = spec.algorithm ?? 'ES256';
    const { jwks } = await writeMemberKeys(spec.id, algorithm, dataDir);
    const apiKey = newApiKey();
    prepared.push({
      spec,
      port,
      url: `http://127.0.0.1:${port}`,
      dataDir,
      algorithm,
      apiKey,
      jwks,
    });
  }
  const nodes: NodeProcess[] = [];
  for (const p of prepared) {
    const localSystem = localSystemId(p.spec);
    const member = (q: (typeof prepared)[number]): FederationMember => ({
      id: q.spec.id,
      name: q.spec.name,
      province: q.spec.province,
      algorithm: q.algorithm,
      url: q.url,
      dataDir: q.dataDir,
      jwks: q.jwks,
      apiKey: q.apiKey,
      local: { mode: 'push', url: q.spec.pushUrl },
      delivery: { ...FAST_DELIVERY, ...q.spec.delivery },
      ...(q.spec.partnerUrls === undefined ? {} : { partnerUrls: q.spec.partnerUrls }),
    });
    const config = await memberConfig(member(p), prepared.map(member));
    const configFile = join(p.dataDir, 'node.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    nodes.push(processNode({ ...p, localSystem, configFile }));
  }
  return nodes;
}

function processNode(p: {
  spec: ProcessNodeSpec;
  env?: Readonly<Record<string, string>>;
  port: number;
  url: string;
  dataDir: string;
  apiKey: string;
  localSystem: string;
  configFile: string;
}): NodeProcess {
  let child: ChildProcess | undefined;
  let starts = 0;
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const auth = { authorization: `Bearer ${p.apiKey}` };

  const node: NodeProcess = {
    id: p.spec.id,
    port: p.port,
    url: p.url,
    apiKey: p.apiKey,
    localSystem: p.localSystem,
    configFile: p.configFile,
    dataDir: p.dataDir,
    dbPath: join(p.dataDir, 'yrdx.sqlite'),
    get running() {
      return alive();
    },
    get starts() {
      return starts;
    },
    get pid() {
      return alive() ? child?.pid : undefined;
    },
    instance: (port, env) =>
      processNode({ ...p, port, url: `http://127.0.0.1:${port}`, env: { ...p.env, ...p.spec.env, ...env } }),
    output: () => tail,

    async start() {
      if (alive()) throw new Error(`node ${p.spec.id} is already running`);
      starts++;
      const { DATABASE_URL: _, ...inherited } = process.env;
      const proc = spawn(process.execPath, [ENTRY], {
        cwd: ROOT,
        env: {
          ...inherited,
          ...p.spec.env,
          ...p.env,
          YRDX_CONFIG: p.configFile,
          PORT: String(p.port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      children.add(proc);
      proc.once('exit', () => children.delete(proc));
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      const until = Date.now() + patient(30_000);
      for (;;) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(
            `node ${p.spec.id} exited (${proc.exitCode ?? proc.signalCode}) before listening:\n${tail}`,
          );
        }
        try {
          const res = await fetch(`${p.url}/.well-known/jwks.json`, { signal: AbortSignal.timeout(1000) });
          await res.body?.cancel();
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > until) {
          proc.kill('SIGKILL');
          throw new Error(`node ${p.spec.id} did not listen on ${p.url} within ${patient(30)} s:\n${tail}`);
        }
        await sleep(50);
      }
    },

    async kill() {
      const proc = child;
      if (proc === undefined || !alive()) return;
      proc.kill('SIGKILL');
      await exited(proc);
    },

    async stop(graceMs = 15_000) {
      const proc = child;
      if (proc === undefined) return { code: null, signal: null };
      if (alive()) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited(proc);
        clearTimeout(timer);
      }
      return { code: proc.exitCode, signal: proc.signalCode };
    },

    submit: (body, headers = {}) =>
      fetch(`${p.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(patient(10_000)),
      }),

    status: (id) =>
      fetch(`${p.url}/v1/messages/${encodeURIComponent(id)}`, {
        headers: auth,
        signal: AbortSignal.timeout(patient(10_000)),
      }),
  };
  return node;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs` (× the suite's patience). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
  intervalMs = 100,
): Promise<T> {
  const until = Date.now() + patient(timeoutMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
