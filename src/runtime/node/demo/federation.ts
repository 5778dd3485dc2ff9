import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { CryptoProfile } from '../../../config/types.js';
import type { SigningAlgorithm } from '../../../envelope/algorithms.js';
import { sha256Hex } from '../../../envelope/digest.js';
import type { Province } from '../../../vocabulary/messages.js';
import { nodeApp } from '../app.js';
import { bootNode, type NodeState } from '../boot.js';
import { type RunningExchange, startExchange } from '../exchange.js';
import {
  type FederationMember,
  localSystemId,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../federation-config.js';
import { nodeHttpClient } from '../http-client.js';
import { writeFileAtomic } from '../key-sources.js';

export interface CitySpec {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly province: Province;
  readonly algorithm: SigningAlgorithm;
  /** The city's cryptography profile (default international); `gm` signs with SM2 and keeps SM3 digests. */
  readonly cryptoProfile?: CryptoProfile;
  /** How the city's local system receives: the gateway pushes to it, or it polls its inbox. */
  readonly mode: 'push' | 'pull';
  /** The city's node also reaches its public-security organ and procuratorate (a second local system). */
  readonly police?: boolean;
}

/** The sample federation of config/federation: four cities, one per province; Hefei's system pulls. */
export const CITIES: readonly CitySpec[] = [
  { id: '330500', name: '湖州市', short: '湖州', province: 'zj', algorithm: 'ES256', mode: 'push' },
  {
    id: '320500',
    name: '苏州市',
    short: '苏州',
    province: 'js',
    algorithm: 'EdDSA',
    mode: 'push',
    police: true,
  },
  { id: '310000', name: '上海市', short: '上海', province: 'sh', algorithm: 'ES256', mode: 'push' },
  { id: '340100', name: '合肥市', short: '合肥', province: 'ah', algorithm: 'ES256', mode: 'pull' },
];

/** The cities of the sample federation, every one on the national profile (SM2, SM3) when `gm`. */
export function citiesOf(profile: CryptoProfile = 'international'): readonly CitySpec[] {
  return profile === 'gm'
    ? CITIES.map((c) => ({ ...c, algorithm: 'SM2' as const, cryptoProfile: 'gm' as const }))
    : CITIES;
}

/** A message as a city's local system got it: the body in its dialect and the x-yrdx-* headers. */
export interface Arrival {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
  readonly mode: 'push' | 'pull';
}

export interface City {
  readonly spec: CitySpec;
  readonly url: string;
  readonly apiKey: string;
  readonly localSystem: string;
  /** Where the gateway pushes (push mode only). */
  readonly localUrl?: string;
  readonly state: NodeState;
  readonly exchange: RunningExchange;
  readonly arrivals: Arrival[];
  /** A call to the city's gateway as its local system (with its API key), or as its organs' system. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string>; asOrgan?: boolean },
  ): Promise<Response>;
}

export interface Federation {
  readonly cities: readonly City[];
  stop(): Promise<void>;
}

type Handler = (request: Request) => Response | Promise<Response>;

function listen(handler: Handler): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

const close = (server: ServerType) => new Promise<void>((resolve) => server.close(() => resolve()));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small local system that records every push it receives and answers 200. */
async function recordingSystem(arrivals: Arrival[]) {
  return listen(async (request) => {
    arrivals.push({
      headers: Object.fromEntries([...request.headers].filter(([k]) => k.startsWith('x-yrdx-'))),
      body: (await request.json()) as Record<string, unknown>,
      mode: 'push',
    });
    return new Response(null, { status: 200 });
  });
}

/** A pull-mode local system: polls `GET /v1/inbox/messages` after its cursor and acknowledges. */
function pollInbox(city: City, everyMs: number): { stop(): Promise<void> } {
  let running = true;
  let cursor: string | undefined;
  const done = (async () => {
    while (running) {
      try {
        const query = cursor === undefined ? '' : `?after=${encodeURIComponent(cursor)}`;
        const response = await city.api(`/v1/inbox/messages${query}`);
        const page = (await response.json()) as {
          items: { headers: Record<string, string>; body: Record<string, unknown> }[];
          cursor: string | null;
        };
        if (page.items.length > 0 && page.cursor !== null) {
          for (const item of page.items)
            city.arrivals.push({ headers: item.headers, body: item.body, mode: 'pull' });
          const ack = await city.api('/v1/inbox/messages/ack', {
            method: 'POST',
            body: { cursor: page.cursor },
          });
          if (ack.ok) cursor = page.cursor;
        }
      } catch {
        // The gateway is starting or stopping; try again on the next round.
      }
      if (running) await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

/** A city between getting its ports and keys and being booted. */
interface Prepared {
  readonly spec: CitySpec;
  readonly gateway: { server: ServerType; url: string };
  readonly local?: { server: ServerType; url: string };
  readonly arrivals: Arrival[];
  readonly dataDir: string;
  readonly jwks: FederationMember['jwks'];
  readonly apiKey: string;
  /** The API key of the organs' system, for a city that reaches them. */
  readonly organKey: string;
  bind(handler: Handler): void;
}

/**
 * Starts the four cities on 127.0.0.1 (random free ports), each a real node booted from its own
 * configuration file in `dir`, with keys and an API key generated now, the other three pinned as
 * partners with their JWKS inline, a real SQLite store, and one local system.
 */
export async function startFederation(dir: string, specs: readonly CitySpec[] = CITIES): Promise<Federation> {
  const prepared: Prepared[] = [];
  for (const spec of specs) {
    let handler: Handler = () => new Response('starting', { status: 503 });
    const gateway = await listen((r) => handler(r));
    const arrivals: Arrival[] = [];
    const local = spec.mode === 'push' ? await recordingSystem(arrivals) : undefined;
    const dataDir = join(dir, spec.id);
    const { jwks } = await writeMemberKeys(spec.id, spec.algorithm, dataDir);
    prepared.push({
      spec,
      gateway,
      ...(local === undefined ? {} : { local }),
      arrivals,
      dataDir,
      jwks,
      apiKey: newApiKey(),
      organKey: newApiKey(),
      bind: (h) => {
        handler = h;
      },
    });
  }
  const members = new Map<string, FederationMember>(
    prepared.map((p) => [
      p.spec.id,
      {
        id: p.spec.id,
        name: p.spec.name,
        province: p.spec.province,
        algorithm: p.spec.algorithm,
        ...(p.spec.cryptoProfile === undefined ? {} : { cryptoProfile: p.spec.cryptoProfile }),
        url: p.gateway.url,
        dataDir: p.dataDir,
        jwks: p.jwks,
        apiKey: p.apiKey,
        local: p.local === undefined ? { mode: 'pull' } : { mode: 'push', url: `${p.local.url}/yrdx` },
        delivery: { baseDelayMs: 50, maxDelayMs: 1000, timeoutMs: 5000, leaseMs: 10_000 },
      },
    ]),
  );
  const cities: City[] = [];
  const pollers: { stop(): Promise<void> }[] = [];
  // The local systems call their gateways (this process's own servers) through the bounded client too.
  const client = nodeHttpClient({ connections: 8 });
  for (const p of prepared) {
    const localSystem = localSystemId(p.spec);
    const config = await memberConfig(members.get(p.spec.id)!, [...members.values()]);
    if (p.spec.police && p.local !== undefined) {
      // The public-security organ and the procuratorate, reached through the city's node: they get
      // only what is addressed to them (a suspected crime handed over) and answer with their decision.
      (config.localSystems as unknown[]).push({
        id: `${localSystem}-organs`,
        name: `${p.spec.name}公安局、人民检察院`,
        dialect: p.spec.province,
        organs: ['public-security', 'procuratorate'],
        apiKeys: [`sha256:${await sha256Hex(p.organKey)}`],
        maySend: { domains: ['*'], types: ['*'] },
        receives: { domains: ['*'], types: ['*'] },
        delivery: { mode: 'push', url: `${p.local.url}/yrdx` },
      });
    }
    const file = join(p.dataDir, 'node.json');
    writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, 0o600);
    const state = await bootNode(file, { env: {}, now: Date.now });
    const exchange = await startExchange(state, { idleMs: 20 });
    const app = nodeApp(state, exchange);
    p.bind((r) => app.fetch(r));
    const city: City = {
      spec: p.spec,
      url: p.gateway.url,
      apiKey: p.apiKey,
      localSystem,
      ...(p.local === undefined ? {} : { localUrl: `${p.local.url}/yrdx` }),
      state,
      exchange,
      arrivals: p.arrivals,
      api: (path, init = {}) =>
        client.fetch(`${p.gateway.url}${path}`, {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${init.asOrgan ? p.organKey : p.apiKey}`,
            ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...init.headers,
          },
          ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        }),
    };
    if (p.spec.mode === 'pull') pollers.push(pollInbox(city, 50));
    cities.push(city);
  }
  return {
    cities,
    async stop() {
      await Promise.all(pollers.map((poller) => poller.stop()));
      await Promise.all(cities.map((c) => c.exchange.stop()));
      await client.close();
      await Promise.all(
        prepared.flatMap((p) => [close(p.gateway.server), ...(p.local ? [close(p.local.server)] : [])]),
      );
    },
  };
}
