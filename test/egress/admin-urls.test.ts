import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbprint } from '../../src/keys/jwk.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode, type NodeState } from '../../src/runtime/node/boot.js';
import { type RunningExchange, startExchange } from '../../src/runtime/node/exchange.js';
import {
  type FederationMember,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../../src/runtime/node/federation-config.js';
import { adminCredentials, MemoryAudit } from '../admin/helpers.js';
import {
  closedPort,
  type HostileServer,
  SECRET_MARKER,
  startHostileServer,
} from '../helpers/hostile-server.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Partner URLs set at run time through the admin API (and the console, which registers through the
 * same code): they must reach public addresses only, unless the configuration allows private
 * networks; whatever happens, the answer names no port the administrator did not type and quotes
 * nothing the far end said.
 */
interface Huzhou {
  readonly state: NodeState;
  readonly exchange: RunningExchange;
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

let suzhou: FederationMember;
let suzhouThumbprint: string;
let jwksServer: HostileServer;
const started: Huzhou[] = [];

async function startHuzhou(extra: Record<string, unknown>): Promise<Huzhou> {
  const dir = tempDir('yrdx-admin-urls-');
  const huzhou: FederationMember = {
    id: '330500',
    name: '湖州市',
    province: 'zj',
    algorithm: 'ES256',
    url: 'http://127.0.0.1:1',
    dataDir: join(dir, '330500'),
    jwks: (await writeMemberKeys('330500', 'ES256', join(dir, '330500'))).jwks,
    apiKey: newApiKey(),
    local: { mode: 'pull' },
  };
  const file = join(dir, 'node.json');
  writeFileSync(file, JSON.stringify({ ...(await memberConfig(huzhou, [huzhou, suzhou])), ...extra }));
  const state = await bootNode(file, { env: {}, now: Date.now });
  const exchange = await startExchange(state, { idleMs: 20 });
  const creds = await adminCredentials(Date.now());
  const app = nodeApp({ ...state, config: { ...state.config, admin: creds.admin } }, exchange, undefined, {
    audit: new MemoryAudit(),
  });
  const node: Huzhou = {
    state,
    exchange,
    call: async (method, path, body) =>
      app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${creds.tokens.admin}`,
          'accept-language': 'en',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
  started.push(node);
  return node;
}

const partner = (keys: Record<string, unknown>, baseUrl = 'https://yrdx.suzhou.example') => ({
  name: '苏州市',
  baseUrl,
  keys,
  maySend: { domains: ['food-safety'], types: ['assistance-request'] },
});

let strict: Huzhou;
let open: Huzhou;

beforeAll(async () => {
  const dir = tempDir('yrdx-admin-urls-suzhou-');
  suzhou = {
    id: '320500',
    name: '苏州市',
    province: 'js',
    algorithm: 'ES256',
    url: 'http://127.0.0.1:2',
    dataDir: join(dir, '320500'),
    jwks: (await writeMemberKeys('320500', 'ES256', join(dir, '320500'))).jwks,
    apiKey: newApiKey(),
    local: { mode: 'pull' },
  };
  suzhouThumbprint = await thumbprint(suzhou.jwks.keys[0] as unknown as Record<string, unknown>);
  jwksServer = await startHostileServer();
  jwksServer.setJwks(suzhou.jwks);
  strict = await startHuzhou({});
  open = await startHuzhou({ outbound: { allowPrivateNetworks: true } });
}, patient(30_000));

afterAll(async () => {
  for (const n of started) await n.exchange.stop();
  await jwksServer.close();
});

describe('partner URLs set through the admin API', () => {
  it('refuses a JWKS URL or base URL on loopback, private, link-local or unspecified addresses', async () => {
    const port = await closedPort();
    const before = strict.state.partners.get('320500')!;
    const refused = [
      `https://127.0.0.1:${port}/jwks`,
      `https://localhost:${port}/jwks`,
      `https://2130706433:${port}/jwks`,
      `https://[::1]:${port}/jwks`,
      `https://[::ffff:127.0.0.1]:${port}/jwks`,
      `https://10.20.30.40:${port}/jwks`,
      `https://192.168.1.10:${port}/jwks`,
      `https://169.254.169.254:${port}/latest/meta-data`,
      `https://100.64.0.1:${port}/jwks`,
      `https://[fd00::1]:${port}/jwks`,
      `https://0.0.0.0:${port}/jwks`,
    ];
    for (const url of refused) {
      for (const body of [
        partner({ jwksUrl: url, pins: [suzhouThumbprint] }),
        partner({ jwks: suzhou.jwks }, url.replace(/\/[^/]*$/, '')),
      ]) {
        const res = await strict.call('PUT', '/admin/v1/partners/320500', body);
        const text = await res.text();
        expect(res.status, url).toBe(422);
        expect(JSON.parse(text).code, url).toBe('outbound_address_refused');
        expect(text, url).not.toContain(String(port));
      }
    }
    // Nothing changed: the partner keeps its configured keys and URL.
    expect(strict.state.partners.get('320500')).toBe(before);
    expect(before.baseUrl).toBe('http://127.0.0.1:2');
  });

  it('takes public names and addresses (their keys are fetched when the partner answers)', async () => {
    const res = await strict.call('PUT', '/admin/v1/partners/320500', partner({ jwks: suzhou.jwks }));
    expect(res.status).toBe(200);
  });

  it('with private networks allowed, names no port and quotes no answer when the fetch fails', async () => {
    const port = await closedPort();
    for (const url of [`http://127.0.0.1:${port}/jwks`, `${jwksServer.url}/html`]) {
      const res = await open.call(
        'PUT',
        '/admin/v1/partners/320500',
        partner({ jwksUrl: url, pins: [suzhouThumbprint] }),
      );
      expect(res.status, url).toBe(200);
      const { warnings } = (await res.json()) as { warnings: string[] };
      expect(warnings, url).toHaveLength(1);
      const warning = warnings.join(' ');
      expect(warning).not.toContain(String(port));
      expect(warning).not.toContain(String(jwksServer.port));
      expect(warning).not.toContain(SECRET_MARKER);
      expect(warning).not.toContain('<html');
    }
  });

  it('with private networks allowed, does not follow a redirect nor read 50 MB', async () => {
    for (const path of ['/redirect', '/huge']) {
      const started = Date.now();
      const res = await open.call(
        'PUT',
        '/admin/v1/partners/320500',
        partner({ jwksUrl: `${jwksServer.url}${path}`, pins: [suzhouThumbprint] }),
      );
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { warnings: string[] }).warnings, path).toHaveLength(1);
      expect(open.state.partners.get('320500')!.keys.size, path).toBe(0);
      expect(Date.now() - started, path).toBeLessThan(4000);
    }
    expect(jwksServer.requests.filter((p) => p.startsWith('/jwks'))).toEqual([]);
    expect(jwksServer.hugeSent()).toBeLessThan(8 * 1024 * 1024);

    // The same URL answering the JWKS itself: the keys are taken.
    const ok = await open.call(
      'PUT',
      '/admin/v1/partners/320500',
      partner({ jwksUrl: `${jwksServer.url}/jwks`, pins: [suzhouThumbprint] }),
    );
    expect(((await ok.json()) as { warnings: string[] }).warnings).toEqual([]);
    expect(open.state.partners.get('320500')!.keys.size).toBe(1);
  });
});
