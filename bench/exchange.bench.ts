import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { sha256Hex } from '../src/envelope/digest.js';
import { createKeyring, NodeKeyring } from '../src/keys/keyring.js';
import { freePort } from '../test/helpers/free-port.js';
import type { Benchmark, BenchResult } from './runner.js';

/**
 * The end-to-end exchange: Huzhou (330500, 浙江 dialect) and Suzhou (320500, 江苏 dialect) run as two
 * real yrdx nodes, each a child process (`node dist/src/runtime/node.js`, so `npm run build` first)
 * with its own SQLite file in a fresh temp directory. Huzhou's case system (this process) posts a
 * ~2 KB food-safety notification in the zj dialect to Huzhou's /v1/messages; Huzhou translates,
 * seals, stores and delivers it to Suzhou's /v1/inbox; Suzhou verifies, translates to js, stores and
 * pushes it to its case system, a small HTTP server in this process that notes the arrival time of
 * every X-Yrdx-Message-Id. A message's latency runs from the POST to that arrival.
 *
 * Throughput is closed-loop: CONCURRENCY messages are in the system at any time (a sender posts the
 * next one when its previous one has arrived). Latency is also measured open-loop at half the
 * measured throughput. The baseline is a bare relay measured in the same run: the same HTTP hops
 * (local → gateway A → gateway B → local system) by two minimal node:http processes that answer and
 * forward the same bytes at once with undici's request (the client yrdx uses on Node), without sealing, translation or
 * persistence.
 *
 * `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` passes Node flags to the two yrdx processes
 * only (e.g. to profile them; the profiles are written when they stop).
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = join(ROOT, 'dist', 'src', 'runtime', 'node.js');
const DOCUMENT = JSON.parse(readFileSync(join(ROOT, 'bench', 'documents', 'food-safety.zj.json'), 'utf8'));
export const DOCUMENT_BYTES = Buffer.byteLength(JSON.stringify(DOCUMENT));
const HUZHOU = '330500';
const SUZHOU = '320500';
/** Messages in the system at once in the closed-loop runs. */
export const CONCURRENCY = 32;
/** Fast retries; as many concurrent partner calls as messages in flight (the worker claims ≤ 32 a round). */
const DELIVERY = {
  maxAttempts: 100,
  baseDelayMs: 10,
  maxDelayMs: 200,
  timeoutMs: 5000,
  perPartnerConcurrency: 32,
  circuitFailures: 1000,
  circuitOpenMs: 1000,
  leaseMs: 15_000,
};
/** A message that has not arrived after this long fails the benchmark rather than hang it. */
const ARRIVAL_TIMEOUT_MS = 30_000;
const TARGET_RATE = 1000;
const TARGET_P99_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- child processes -----------------------------------------------------------------------------

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

function startChild(args: readonly string[], env: Record<string, string>): Child {
  // A node keeps SQLite unless its benchmark passes a DATABASE_URL.
  const { DATABASE_URL: _, ...inherited } = process.env;
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return {
    process: proc,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

// --- the recording local system ------------------------------------------------------------------

/** Suzhou's case system (and the relay's last hop): notes when each message id arrives. */
export interface Recorder {
  readonly url: string;
  /** Resolves to the arrival time (performance.now()) of `id`, at once if it has arrived already. */
  arrival(id: string): Promise<number>;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = performance.now();
      const id = req.headers['x-yrdx-message-id'];
      res.writeHead(200).end();
      if (typeof id !== 'string') return;
      const waiter = waiting.get(id);
      if (waiter === undefined) arrived.set(id, at);
      else {
        waiting.delete(id);
        waiter(at);
      }
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench: the recorder has no port');
  return {
    url: `http://127.0.0.1:${address.port}/case-system`,
    arrival(id) {
      const at = arrived.get(id);
      if (at !== undefined) {
        arrived.delete(id);
        return Promise.resolve(at);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`bench: message ${id} did not arrive within ${ARRIVAL_TIMEOUT_MS} ms`));
        }, ARRIVAL_TIMEOUT_MS);
        waiting.set(id, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// --- the two yrdx nodes --------------------------------------------------------------------------

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
  const request = JSON.stringify({ to: SUZHOU, domain: 'food-safety', type: 'notification', body: DOCUMENT });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${prepared[0]!.apiKey}` };
  const huzhouConfig = join(prepared[0]!.dataDir, 'node.json');
  return {
    huzhou,
    suzhou,
    submit: () => post(`${huzhou.url}/v1/messages`, headers, request),
    huzhouInstance: (port) =>
      yrdxNode(
        HUZHOU,
        port,
        `http://127.0.0.1:${port}`,
        huzhouConfig,
        huzhou.dbPath,
        options.huzhouEnv ?? {},
      ),
    submitVia: (node) => post(`${node.url}/v1/messages`, headers, request),
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
      const until = Date.now() + 30_000;
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
          throw new Error(`bench: node ${id} did not listen on ${url} within 30 s:\n${started.output()}`);
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

/**
 * POSTs `body` and resolves to the `id` of the 202 answer. A request that fails on the network is
 * sent once more (a kept-alive connection may be closed by the server just as it is reused).
 */
async function post(url: string, headers: Record<string, string>, body: string): Promise<string> {
  // undici's request, as the nodes use: the load generator shares the machine's two cores with the
  // processes it measures, and fetch would spend several times the CPU per call.
  const send = () =>
    request(url, { method: 'POST', headers, body, dispatcher: CLIENT, signal: AbortSignal.timeout(10_000) });
  const res = await send().catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ECONNRESET') return send();
    throw error;
  });
  const text = await res.body.text();
  if (res.statusCode !== 202)
    throw new Error(`bench: POST ${url} answered ${res.statusCode}: ${text.slice(0, 2000)}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** The connection pool of this process's submissions (to a node or to the first relay hop). */
const CLIENT = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

// --- the bare relay ------------------------------------------------------------------------------

/**
 * One relay hop as a child process: answers at once (A: 202 with an id, like /v1/messages; B: 200,
 * like /v1/inbox) and forwards the same bytes to NEXT with undici's request (as the nodes do), the id
 * in X-Yrdx-Message-Id.
 *
 * With SIGN=1 it also does the signature work no signing gateway can skip, with node:crypto as the
 * yrdx nodes do and the same algorithms: A signs each body (ES256) before it forwards it and checks
 * B's signed receipt in the answer (EdDSA); B checks A's signature and signs a receipt over the
 * body's SHA-256 before it answers. Nothing else: no JSON, no validation, no translation, no store.
 */
const RELAY_SOURCE = `
const http = require('node:http');
const crypto = require('node:crypto');
const { Agent, request } = require('undici');
const agent = new Agent({ connections: 64, keepAliveTimeout: 10000 });
const next = process.env.NEXT;
const first = process.env.ROLE === 'a';
const signing = process.env.SIGN === '1';
const own = signing ? crypto.createPrivateKey(process.env.OWN_KEY) : undefined;
const peer = signing ? crypto.createPublicKey(process.env.PEER_KEY) : undefined;
const ES256 = (key) => ({ key, dsaEncoding: 'ieee-p1363' });
let seq = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const id = first ? process.pid + '-' + ++seq : req.headers['x-yrdx-message-id'];
    const headers = { 'content-type': req.headers['content-type'] ?? 'application/octet-stream', 'x-yrdx-message-id': id };
    if (first) {
      if (signing) headers['x-signature'] = crypto.sign('sha256', body, ES256(own)).toString('base64');
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    } else if (signing) {
      const signature = Buffer.from(String(req.headers['x-signature']), 'base64');
      if (!crypto.verify('sha256', body, ES256(peer), signature)) return res.writeHead(400).end();
      const receipt = Buffer.from(id + ' ' + crypto.createHash('sha256').update(body).digest('hex'));
      res.writeHead(200).end(receipt.toString() + ' ' + crypto.sign(null, receipt, own).toString('base64'));
    } else res.writeHead(200).end();
    request(next, { method: 'POST', headers, body, dispatcher: agent, signal: AbortSignal.timeout(5000) })
      .then((r) => r.body.text())
      .then((answer) => {
        if (!first || !signing) return;
        const at = answer.lastIndexOf(' ');
        const receipt = Buffer.from(answer.slice(0, at));
        if (!crypto.verify(null, receipt, peer, Buffer.from(answer.slice(at + 1), 'base64')))
          throw new Error('the receipt does not verify');
      })
      .catch((e) => process.stderr.write('relay: ' + e.message + '\\n'));
  });
});
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

interface Relay {
  readonly a: { url: string; child: Child };
  readonly b: { url: string; child: Child };
  /** Submits the benchmark document to hop A, as Huzhou's case system does to Huzhou. */
  submit(): Promise<string>;
  stop(): Promise<void>;
}

/** The two hops of a relay in front of `recorder`, signing as described above when `signing`. */
async function startRelay(recorder: Recorder, signing: boolean): Promise<Relay> {
  const pem = (key: KeyObject) =>
    key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const keys = (own: KeyObject, peer: KeyObject): Record<string, string> =>
    signing ? { SIGN: '1', OWN_KEY: String(pem(own)), PEER_KEY: String(pem(peer)) } : {};
  const b = await startHop('b', recorder.url, keys(ed.privateKey, ec.publicKey));
  const a = await startHop('a', `${b.url}/v1/inbox`, keys(ec.privateKey, ed.publicKey));
  const request = JSON.stringify({ to: SUZHOU, domain: 'food-safety', type: 'notification', body: DOCUMENT });
  return {
    a,
    b,
    submit: () => post(`${a.url}/v1/messages`, { 'content-type': 'application/json' }, request),
    stop: async () => {
      await Promise.all([a.child.stop(), b.child.stop()]);
    },
  };
}

async function startHop(
  role: 'a' | 'b',
  next: string,
  env: Record<string, string>,
): Promise<{ url: string; child: Child }> {
  const child = startChild(['-e', RELAY_SOURCE], { ...env, ROLE: role, NEXT: next });
  const until = Date.now() + 10_000;
  for (;;) {
    const port = /port (\d+)/.exec(child.output())?.[1];
    if (port !== undefined) return { url: `http://127.0.0.1:${port}`, child };
    if (child.process.exitCode !== null || Date.now() > until)
      throw new Error(`bench: relay ${role} did not start:\n${child.output()}`);
    await sleep(20);
  }
}

// --- measuring -----------------------------------------------------------------------------------

export interface Run {
  readonly messages: number;
  readonly elapsedMs: number;
  /** Per message, POST → arrival at the local system, in ms. */
  readonly latencies: number[];
}

export const rate = (runs: readonly Run[]) =>
  (runs.reduce((s, r) => s + r.messages, 0) / runs.reduce((s, r) => s + r.elapsedMs, 0)) * 1000;

/** The q-quantile (nearest rank) of the latencies of all `runs`. */
function quantile(runs: readonly Run[], q: number): number {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return all[Math.min(all.length - 1, Math.max(0, Math.ceil(q * all.length) - 1))] ?? Number.NaN;
}

/** CPU time (user + system, ms) process `pid` has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/** Starts counting the CPU time of the processes `pids` and of this one; `stop()` gives each one's ms. */
export function cpuMeter(pids: readonly (number | undefined)[]): { stop(): number[] } {
  const before = pids.map(cpuMs);
  const self = process.cpuUsage();
  return {
    stop() {
      const used = process.cpuUsage(self);
      return [...pids.map((pid, i) => cpuMs(pid) - before[i]!), (used.user + used.system) / 1000];
    },
  };
}

/** "Huzhou 2.1 + Suzhou 1.9 ms (+ 0.8 ms in this process)": CPU ms per message of each process. */
export function perMessage(names: readonly string[], totals: readonly number[], messages: number): string {
  const each = totals.map((t) => (Number.isNaN(t) ? 'n/a' : (t / messages).toFixed(2)));
  return `${names.map((n, i) => `${n} ${each[i]}`).join(' + ')} ms (+ ${each[names.length]} ms in this process)`;
}

const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
export const latency = (runs: readonly Run[]) =>
  `p50 ${ms(quantile(runs, 0.5))} / p99 ${ms(quantile(runs, 0.99))} ms`;

/** `count` messages, `concurrency` in the system at once: each sender posts its next on arrival. */
export async function closedLoop(
  submit: () => Promise<string>,
  recorder: Recorder,
  count: number,
  concurrency: number,
): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t0 = performance.now();
        const at = await recorder.arrival(await submit());
        latencies.push(at - t0);
      }
    }),
  );
  return { messages: count, elapsedMs: performance.now() - started, latencies };
}

/** `count` messages posted at `perSecond` (in batches every 5 ms) whatever the answers; latency only. */
async function openLoop(
  submit: () => Promise<string>,
  recorder: Recorder,
  perSecond: number,
  count: number,
): Promise<Run & { readonly offered: number }> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let failure: unknown;
  let sent = 0;
  const one = async () => {
    const t0 = performance.now();
    try {
      latencies.push((await recorder.arrival(await submit())) - t0);
    } catch (error) {
      failure ??= error;
    }
  };
  const started = performance.now();
  let lastSend = started;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
      for (; sent < due; sent++) pending.push(one());
      lastSend = performance.now();
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  const elapsedMs = performance.now() - started;
  return { messages: count, elapsedMs, latencies, offered: (count - 1) / ((lastSend - started) / 1000) };
}

// --- filling a store -----------------------------------------------------------------------------

/**
 * Copies the rows of `table` that match `where` (the template message's) once for each `n.i` from
 * `from` to `to`, with SQL alone; `overrides` gives the columns that differ per copy, as SQL over
 * `n.i` and the template row `t`. Other columns are copied as they are; an AUTOINCREMENT `seq` gets
 * new values.
 */
function cloneRows(
  db: Database.Database,
  table: string,
  where: string,
  template: string,
  overrides: Readonly<Record<string, string>>,
  from: number,
  to: number,
): void {
  const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter(
    (c) => c !== 'seq',
  );
  const select = columns.map((c) => overrides[c] ?? `t.${c}`).join(', ');
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to)
     INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${select} FROM n, (SELECT * FROM ${table} WHERE ${where}) t`,
  ).run({ from, to, template });
}

/**
 * Stores `count` more delivered messages in both (stopped) nodes, as if they had been exchanged
 * before: in Huzhou's outbox (message, delivered delivery with its receipt, history) and in Suzhou's
 * inbox (message with receipt, delivered push), each a copy of the last real message with its own id.
 * Direct SQL in the schema of src/store/sqlite/migrations.ts, checked by its foreign keys.
 */
function fillStores(pair: Pair, count: number, progress: (text: string) => void): void {
  const chunk = 10_000;
  const id = `printf('00BENCH%019d', n.i)`;
  const age = `(${count + 1} - n.i) * 10`;
  const open = (path: string) => {
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    return db;
  };
  const outbox = open(pair.huzhou.dbPath);
  const inbox = open(pair.suzhou.dbPath);
  try {
    const template = outbox
      .prepare(
        `SELECT m.message_id FROM outbound_messages m JOIN deliveries d ON d.message_id = m.message_id
         WHERE d.status = 'delivered' ORDER BY m.created_at DESC LIMIT 1`,
      )
      .pluck()
      .get() as string | undefined;
    if (template === undefined) throw new Error('bench: no delivered message in Huzhou’s store to copy');
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      const copy = (db: Database.Database, table: string, where: string, overrides: Record<string, string>) =>
        cloneRows(db, table, where, template, overrides, from, to);
      const older = (column: string) => ({ [column]: `t.${column} - ${age}` });
      outbox.transaction(() => {
        copy(outbox, 'outbound_messages', 'message_id = @template', {
          message_id: id,
          thread: id,
          ...older('created_at'),
        });
        copy(outbox, 'deliveries', 'message_id = @template', {
          delivery_id: `printf('bench-%d', n.i)`,
          message_id: id,
          ...older('updated_at'),
        });
        copy(outbox, 'history_events', 'message_id = @template', { message_id: id, ...older('at') });
      })();
      inbox.transaction(() => {
        copy(inbox, 'inbound_messages', 'jti = @template', { jti: id, thread: id, ...older('received_at') });
        copy(inbox, 'local_deliveries', 'jti = @template', {
          local_delivery_id: `printf('bench-%d', n.i)`,
          jti: id,
          ...older('created_at'),
          ...older('updated_at'),
        });
      })();
      progress(`storing ${to.toLocaleString('en')}/${count.toLocaleString('en')} messages`);
    }
  } finally {
    outbox.close();
    inbox.close();
  }
}

const megabytes = (path: string) =>
  (
    ['', '-wal'].reduce((s, ext) => s + (existsSync(path + ext) ? statSync(path + ext).size : 0), 0) /
    2 ** 20
  ).toFixed(0);

// --- the benchmarks ------------------------------------------------------------------------------

export function checkBuilt(): void {
  if (!existsSync(ENTRY)) throw new Error(`bench: ${ENTRY} is missing: run \`npm run build\` first`);
}

export async function warmUp(
  submit: () => Promise<string>,
  recorder: Recorder,
  quick: boolean,
): Promise<void> {
  await closedLoop(submit, recorder, quick ? 100 : 500, CONCURRENCY);
}

const endToEnd: Benchmark = {
  name: 'exchange end-to-end (2 nodes, SQLite)',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const total = quick ? 500 : 2000;
    const rounds = quick ? 2 : 4;
    const perRound = total / rounds;
    const openSeconds = quick ? 2 : 6;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-'));
    const recorder = await startRecorder();
    const stops: (() => Promise<void>)[] = [];
    try {
      const load = loadavg()[0]!;
      progress('starting the nodes and the relay');
      const pair = await preparePair(dir, recorder);
      stops.push(() => pair.stop());
      const bare = await startRelay(recorder, false);
      stops.push(() => bare.stop());
      const signing = await startRelay(recorder, true);
      stops.push(() => signing.stop());
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);

      progress('warming up');
      await warmUp(pair.submit, recorder, quick);
      await warmUp(bare.submit, recorder, quick);
      await warmUp(signing.submit, recorder, quick);

      // Closed loop, interleaved rounds: the order alternates so that machine noise hits both alike.
      const sides = {
        yrdx: { submit: pair.submit, pids: [pair.huzhou.pid, pair.suzhou.pid] },
        relay: { submit: bare.submit, pids: [bare.a.child.process.pid, bare.b.child.process.pid] },
        signing: { submit: signing.submit, pids: [signing.a.child.process.pid, signing.b.child.process.pid] },
      };
      type Side = keyof typeof sides;
      const runsOf: Record<Side, Run[]> = { yrdx: [], relay: [], signing: [] };
      const ratios: number[] = [];
      const cpu: Record<Side, number[]> = { yrdx: [0, 0, 0], relay: [0, 0, 0], signing: [0, 0, 0] };
      for (let round = 1; round <= rounds; round++) {
        const order: Side[] = round % 2 === 0 ? ['yrdx', 'signing', 'relay'] : ['relay', 'signing', 'yrdx'];
        const runs: Partial<Record<Side, Run>> = {};
        for (const side of order) {
          const meter = cpuMeter(sides[side].pids);
          runs[side] = await closedLoop(sides[side].submit, recorder, perRound, CONCURRENCY);
          for (const [i, used] of meter.stop().entries()) cpu[side][i]! += used;
          runsOf[side].push(runs[side]);
        }
        ratios.push(runs.relay!.elapsedMs / runs.yrdx!.elapsedMs);
        progress(`round ${round}/${rounds}: yrdx ${rate([runs.yrdx!]).toFixed(0)} msg/s`);
      }
      const { yrdx: yrdxRuns, relay: relayRuns, signing: signingRuns } = runsOf;
      ratios.sort((a, b) => a - b);
      const mid = ratios.length >> 1;
      const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
      const yrdxRate = rate(yrdxRuns);

      // Open loop at half the measured throughput, both sides at the same rate.
      const half = yrdxRate / 2;
      const count = Math.max(50, Math.round(half * openSeconds));
      progress(`yrdx at ${half.toFixed(0)} msg/s`);
      const yrdxOpen = await openLoop(pair.submit, recorder, half, count);
      progress(`relay at ${half.toFixed(0)} msg/s`);
      const relayOpen = await openLoop(bare.submit, recorder, half, count);

      const p99 = quantile([yrdxOpen], 0.99);
      const rateMet = yrdxRate >= TARGET_RATE;
      const p99Met = p99 < TARGET_P99_MS;
      return {
        name: this.name,
        figures: [
          { label: `yrdx messages/s, ${CONCURRENCY} in flight`, opsPerSecond: yrdxRate },
          { label: `bare relay messages/s, ${CONCURRENCY} in flight`, opsPerSecond: rate(relayRuns) },
          { label: `signing relay messages/s, ${CONCURRENCY} in flight`, opsPerSecond: rate(signingRuns) },
        ],
        ratio: median,
        ratioRange: [ratios[0]!, ratios[ratios.length - 1]!],
        notes: [
          `2 yrdx child processes (node dist/src/runtime/node.js, LOG_LEVEL=warn), SQLite in ${tmpdir()}; ` +
            `food-safety notification, ${DOCUMENT_BYTES}-byte zj document → js; ${total} messages in ` +
            `${rounds} interleaved rounds after ${quick ? 100 : 500} warm-up; perPartnerConcurrency ` +
            `${DELIVERY.perPartnerConcurrency}; the relay: 2 node:http processes forwarding with undici request; ` +
            `the signing relay: the same with only the four signature operations per message (ES256 sign + verify, ` +
            `EdDSA receipt sign + verify, node:crypto), the ceiling of any gateway that signs messages and receipts; ` +
            `load average ${load.toFixed(1)} when started`,
          `CPU per message at ${CONCURRENCY} in flight: yrdx ${perMessage(['Huzhou', 'Suzhou'], cpu.yrdx, total)}; ` +
            `relay ${perMessage(['A', 'B'], cpu.relay, total)}; signing relay ${perMessage(['A', 'B'], cpu.signing, total)}`,
          `latency at ${CONCURRENCY} in flight: yrdx ${latency(yrdxRuns)}, relay ${latency(relayRuns)}, ` +
            `signing relay ${latency(signingRuns)}`,
          `latency at half the yrdx rate (${yrdxOpen.offered.toFixed(0)} msg/s offered, ${count} messages): ` +
            `yrdx ${latency([yrdxOpen])}, relay ${latency([relayOpen])}`,
          `target ≥ ${TARGET_RATE} msg/s end to end: ${rateMet ? 'met' : 'NOT met'} (${yrdxRate.toFixed(0)}); ` +
            `target p99 < ${TARGET_P99_MS} ms at half rate: ${p99Met ? 'met' : 'NOT met'} (${ms(p99)} ms)`,
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const filledStore: Benchmark = {
  name: 'exchange with 10⁵ messages stored',
  async run({ quick, progress }): Promise<BenchResult> {
    checkBuilt();
    const total = quick ? 500 : 2000;
    const stored = quick ? 10_000 : 100_000;
    const openSeconds = quick ? 2 : 4;
    const dir = mkdtempSync(join(tmpdir(), 'yrdx-bench-'));
    const recorder = await startRecorder();
    const pair = await preparePair(dir, recorder);
    try {
      const load = loadavg()[0]!;
      progress('starting the nodes');
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);
      progress('warming up, empty stores');
      await warmUp(pair.submit, recorder, quick);
      progress('measuring, empty stores');
      let meter = cpuMeter([pair.huzhou.pid, pair.suzhou.pid]);
      const empty = await closedLoop(pair.submit, recorder, total, CONCURRENCY);
      const emptyCpu = meter.stop();
      const half = rate([empty]) / 2;
      const count = Math.max(50, Math.round(half * openSeconds));
      const emptyOpen = await openLoop(pair.submit, recorder, half, count);

      await pair.stop();
      const fillStarted = performance.now();
      fillStores(pair, stored, progress);
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      const sizes = `Huzhou ${megabytes(pair.huzhou.dbPath)} MB, Suzhou ${megabytes(pair.suzhou.dbPath)} MB`;

      progress('starting the nodes on the filled stores');
      await Promise.all([pair.huzhou.start(), pair.suzhou.start()]);
      progress('warming up, filled stores');
      await warmUp(pair.submit, recorder, quick);
      progress('measuring, filled stores');
      meter = cpuMeter([pair.huzhou.pid, pair.suzhou.pid]);
      const filled = await closedLoop(pair.submit, recorder, total, CONCURRENCY);
      const filledCpu = meter.stop();
      const filledOpen = await openLoop(pair.submit, recorder, half, count);

      const n = stored.toLocaleString('en');
      return {
        name: this.name,
        figures: [
          { label: 'yrdx messages/s, empty stores', opsPerSecond: rate([empty]) },
          { label: `yrdx messages/s, ${n} stored`, opsPerSecond: rate([filled]) },
        ],
        ratio: rate([filled]) / rate([empty]),
        notes: [
          `${n} delivered messages${quick ? ' (--quick: 10⁴, not 10⁵)' : ''} stored in both nodes ` +
            `(Huzhou's outbox, Suzhou's inbox, by SQL, ${fillSeconds.toFixed(0)} s; ${sizes}), then the ` +
            `nodes restarted; ${total} messages, ${CONCURRENCY} in flight, same nodes, document and settings; ` +
            `load average ${load.toFixed(1)} when started`,
          `latency at ${CONCURRENCY} in flight: empty ${latency([empty])}, filled ${latency([filled])}`,
          `CPU per message at ${CONCURRENCY} in flight: empty ${perMessage(['Huzhou', 'Suzhou'], emptyCpu, total)}; ` +
            `filled ${perMessage(['Huzhou', 'Suzhou'], filledCpu, total)}`,
          `latency at ${emptyOpen.offered.toFixed(0)} msg/s (half the empty rate), ${count} messages: ` +
            `empty ${latency([emptyOpen])}, filled ${latency([filledOpen])}`,
        ].join('\n  '),
      };
    } finally {
      progress('stopping');
      await pair.stop().catch(() => undefined);
      await recorder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const exchangeBenchmarks: Benchmark[] = [endToEnd, filledStore];
