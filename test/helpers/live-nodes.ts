import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { CryptoProfile } from '../../src/config/types.js';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import type { LogFn } from '../../src/http/env.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode, type NodeState } from '../../src/runtime/node/boot.js';
import { type RunningExchange, startExchange } from '../../src/runtime/node/exchange.js';
import {
  type FederationMember,
  localSystemId,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../../src/runtime/node/federation-config.js';
import { patient } from './patience.js';

/** A message a local system received by push: the body in its dialect, the yrdx headers, traceparent and link. */
export interface Pushed {
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface LiveNode {
  readonly id: string;
  readonly url: string;
  readonly apiKey: string;
  readonly localSystem: string;
  readonly state: NodeState;
  readonly exchange: RunningExchange;
  /** How the other members of a federation see this node (URL, published keys). */
  readonly member: FederationMember;
  /** Messages pushed to this node's local system, in arrival order. */
  readonly pushed: Pushed[];
  /** Answer for the local system's next pushes (default 200). */
  localStatus: number;
  submit(body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export interface NodeSpec {
  readonly id: string;
  readonly name: string;
  readonly province: 'sh' | 'js' | 'zj' | 'ah';
  readonly mode?: 'push' | 'pull';
  readonly algorithm?: SigningAlgorithm;
  /** `gm`: the national profile (its keys are SM2 unless `algorithm` says otherwise). */
  readonly cryptoProfile?: CryptoProfile;
  /** Where the node's log lines go (default: nowhere). */
  readonly log?: LogFn;
  /** Delivery settings over the tests' fast defaults, e.g. a small `maxAttempts`. */
  readonly delivery?: Readonly<Record<string, number>>;
  /** How the node calls partners and local systems (default: the pooled HTTP client). */
  readonly fetch?: typeof fetch;
  /** The local system's `contractMajors` (default: none, the newest of every domain). */
  readonly contractMajors?: Readonly<Record<string, number>>;
  /** The organs the local system serves (`public-security` …): it then gets only messages addressed to them. */
  readonly organs?: readonly string[];
  /** Edits the written configuration (e.g. small `attachments` limits, a second local system). */
  readonly configure?: (config: Record<string, unknown>) => void;
  /** The node's clock (default `Date.now`). */
  readonly now?: () => number;
}

function listen(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

const algorithmOf = (spec: NodeSpec): SigningAlgorithm =>
  spec.algorithm ?? (spec.cryptoProfile === 'gm' ? 'SM2' : 'ES256');

const close = (server: ServerType) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * Real yrdx nodes on 127.0.0.1, each with a real SQLite file, its own keys generated now, every other
 * node as a pinned partner, and one local system that receives by push (a small HTTP server that
 * records what it gets) or by pull.
 */
export async function startNodes(
  specs: readonly NodeSpec[],
  dir: string,
  options: {
    /** Members started elsewhere (e.g. a node on Workers) that these nodes trust as partners. */
    readonly external?: readonly FederationMember[];
  } = {},
): Promise<LiveNode[]> {
  const prepared = [];
  for (const spec of specs) {
    let handler: (r: Request) => Response | Promise<Response> = () =>
      new Response('starting', { status: 503 });
    const gateway = await listen((r) => handler(r));
    const pushed: Pushed[] = [];
    const holder = { status: 200 };
    const local = await listen(async (r) => {
      if (holder.status === 200) {
        pushed.push({
          headers: Object.fromEntries(
            [...r.headers].filter(([k]) => k.startsWith('x-yrdx-') || k === 'traceparent' || k === 'link'),
          ),
          body: (await r.json()) as Record<string, unknown>,
        });
      }
      return new Response(null, { status: holder.status });
    });
    const dataDir = join(dir, spec.id);
    const { jwks } = await writeMemberKeys(spec.id, algorithmOf(spec), dataDir);
    const apiKey = newApiKey();
    prepared.push({
      spec,
      gateway,
      local,
      pushed,
      holder,
      dataDir,
      jwks,
      apiKey,
      setHandler: (h: typeof handler) => {
        handler = h;
      },
    });
  }
  const members: FederationMember[] = prepared.map((p) => ({
    id: p.spec.id,
    name: p.spec.name,
    province: p.spec.province,
    algorithm: algorithmOf(p.spec),
    ...(p.spec.cryptoProfile === undefined ? {} : { cryptoProfile: p.spec.cryptoProfile }),
    url: p.gateway.url,
    dataDir: p.dataDir,
    jwks: p.jwks,
    apiKey: p.apiKey,
    local: p.spec.mode === 'pull' ? { mode: 'pull' } : { mode: 'push', url: `${p.local.url}/yrdx` },
    delivery: {
      baseDelayMs: 20,
      maxDelayMs: 200,
      timeoutMs: 2000,
      circuitFailures: 1000,
      leaseMs: 5000,
      ...p.spec.delivery,
    },
  }));
  const nodes: LiveNode[] = [];
  for (const p of prepared) {
    const localSystem = localSystemId(p.spec);
    const member = members.find((m) => m.id === p.spec.id)!;
    const config = await memberConfig(member, [...members, ...(options.external ?? [])]);
    for (const l of (config as { localSystems: Record<string, unknown>[] }).localSystems) {
      if (p.spec.contractMajors !== undefined) l.contractMajors = p.spec.contractMajors;
      if (p.spec.organs !== undefined) l.organs = p.spec.organs;
    }
    if (p.spec.cryptoProfile !== undefined) config.cryptoProfile = p.spec.cryptoProfile;
    p.spec.configure?.(config as Record<string, unknown>);
    const file = join(p.dataDir, 'node.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    const now = p.spec.now ?? Date.now;
    const state = await bootNode(file, { env: {}, now });
    const log = p.spec.log;
    const exchange = await startExchange(state, {
      idleMs: 20,
      ...(p.spec.now ? { now } : {}),
      ...(log ? { log } : {}),
      ...(p.spec.fetch ? { fetch: p.spec.fetch } : {}),
    });
    const app = nodeApp(state, exchange, log);
    p.setHandler((r) => app.fetch(r));
    const node: LiveNode = {
      id: p.spec.id,
      url: p.gateway.url,
      apiKey: p.apiKey,
      localSystem,
      state,
      exchange,
      member,
      pushed: p.pushed,
      get localStatus() {
        return p.holder.status;
      },
      set localStatus(v: number) {
        p.holder.status = v;
      },
      submit: (body, headers = {}) =>
        fetch(`${p.gateway.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${p.apiKey}`, ...headers },
          body: JSON.stringify(body),
        }),
      async stop() {
        await exchange.stop();
        await close(p.gateway.server);
        await close(p.local.server);
      },
    };
    nodes.push(node);
  }
  return nodes;
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs` (× the suite's patience). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + patient(timeoutMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
