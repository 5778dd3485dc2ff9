import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbprint } from '../../src/keys/jwk.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import {
  type FederationMember,
  memberConfig,
  newApiKey,
  writeMemberKeys,
} from '../../src/runtime/node/federation-config.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { type HostileServer, SECRET_MARKER, startHostileServer } from '../helpers/hostile-server.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * At start a node fetches the JWKS of every partner registered by URL through the same bounded client
 * as every other outbound call (as `npm start` boots): no redirect followed, no answer read past the
 * limit, and a fault that names no port and quotes nothing of the answer.
 */
let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});

async function member(id: string, name: string, province: FederationMember['province'], dir: string) {
  const dataDir = join(dir, id);
  const { jwks } = await writeMemberKeys(id, 'ES256', dataDir);
  return {
    id,
    name,
    province,
    algorithm: 'ES256',
    url: 'http://127.0.0.1:1',
    dataDir,
    jwks,
    apiKey: newApiKey(),
    local: { mode: 'pull' },
  } satisfies FederationMember;
}

describe('the JWKS refresh at boot', () => {
  it('goes through the bounded client: the JWKS is taken, a redirect, 50 MB or a page are refused', async () => {
    const dir = tempDir('yrdx-boot-refresh-');
    const huzhou = await member('330500', '湖州市', 'zj', dir);
    const partners = [
      await member('320500', '苏州市', 'js', dir),
      await member('310000', '上海市', 'sh', dir),
      await member('330100', '杭州市', 'zj', dir),
      await member('340100', '合肥市', 'ah', dir),
    ];
    // Every partner publishes on the same JWKS server; only its path differs. Shanghai's URL
    // redirects to its own (pinned) keys, so that following the redirect would import them.
    server.setJwks(partners[0]!.jwks);
    server.setJwks(partners[1]!.jwks, 'shanghai');
    const paths: Record<string, string> = {
      '320500': '/jwks',
      '310000': '/redirect/shanghai',
      '330100': '/huge',
      '340100': '/html',
    };
    const config = await memberConfig(huzhou, [huzhou, ...partners]);
    for (const p of config.partners as { id: string; keys: unknown }[]) {
      const pin = await thumbprint(
        partners.find((m) => m.id === p.id)!.jwks.keys[0] as unknown as Record<string, unknown>,
      );
      p.keys = { jwksUrl: `${server.url}${paths[p.id]}`, pins: [pin] };
    }
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify(config));
    const logged: Record<string, unknown>[] = [];
    const state = await bootNode(file, {
      env: {},
      now: Date.now,
      log: (msg, fields) => logged.push({ msg, ...fields }),
    });
    expect(state.partners.get('320500')!.keys.size).toBe(1);
    for (const id of ['310000', '330100', '340100']) expect(state.partners.get(id)!.keys.size, id).toBe(0);
    expect(server.requests.filter((p) => p.startsWith('/jwks'))).toEqual(['/jwks']);
    expect(server.hugeSent()).toBeLessThan(8 * 1024 * 1024);
    const faults = logged.filter((l) => l.msg === 'partner keys could not be refreshed');
    expect(faults).toHaveLength(3);
    const text = JSON.stringify(faults);
    expect(text).not.toContain(String(server.port));
    expect(text).not.toContain(SECRET_MARKER);
  });

  it('bounds the refresh itself, whatever fetch it is given: no redirect, 64 KiB, its own timeout', async () => {
    const dir = tempDir('yrdx-refresh-plain-');
    const partners = [
      await member('320500', '苏州市', 'js', dir),
      await member('310000', '上海市', 'sh', dir),
      await member('330100', '杭州市', 'zj', dir),
    ];
    server.setJwks(partners[0]!.jwks, 'suzhou');
    const paths = ['/redirect/suzhou', '/huge', '/slow'];
    const configs = await Promise.all(
      partners.map(async (p, i) => ({
        id: p.id,
        name: p.name,
        baseUrl: 'http://127.0.0.1:1',
        status: 'active' as const,
        subscribes: [],
        maySend: { domains: [], types: [] },
        keys: {
          jwksUrl: `${server.url}${paths[i]}`,
          // Suzhou's keys for the redirect: following it would import them.
          pins: [{ thumbprint: await thumbprint(partners[0]!.jwks.keys[0] as never) }],
        },
      })),
    );
    // One partner per pin: the others pin a key of their own.
    for (const [i, c] of configs.entries())
      if (i > 0) c.keys.pins = [{ thumbprint: await thumbprint(partners[i]!.jwks.keys[0] as never) }];
    const registry = await PartnerRegistry.create(configs, {
      file: 'test',
      ownId: '330500',
      ownThumbprints: [],
    });
    const before = server.hugeSent();
    const started = Date.now();
    // Node's own fetch: it follows redirects and reads any length unless told otherwise.
    const faults = await registry.refresh(fetch, 500);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(faults.map((f) => f.params.partner)).toEqual(['320500', '310000', '330100']);
    for (const p of partners) expect(registry.get(p.id)!.keys.size, p.id).toBe(0);
    expect(server.hugeSent() - before).toBeLessThan(8 * 1024 * 1024);
    expect(JSON.stringify(faults.map((f) => f.detail('en')))).not.toContain(String(server.port));
  });
});
