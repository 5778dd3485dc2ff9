import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thumbprint } from '../../src/keys/jwk.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { adminCredentials, MemoryAudit } from './helpers.js';

let nodes: LiveNode[] = [];
let app: ReturnType<typeof nodeApp>;
let token = '';

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    tempDir('yrdx-admin-keys-'),
  );
  const huzhou = nodes[0]!;
  const creds = await adminCredentials(Date.now());
  token = creds.tokens.admin;
  app = nodeApp(
    { ...huzhou.state, config: { ...huzhou.state.config, admin: creds.admin } },
    huzhou.exchange,
    undefined,
    {
      audit: new MemoryAudit(),
    },
  );
}, patient(30_000));
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

const call = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'accept-language': 'en',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('rotating this node’s keys through the admin API', () => {
  it('makes the new next key this node’s in the partner registry, so no partner can claim it', async () => {
    const huzhou = nodes[0]!;
    const rotated = await call('POST', '/admin/v1/keys/rotate?force=true');
    expect(rotated.status).toBe(200);
    const result = (await rotated.json()) as {
      created: string;
      keys: { kid: string; state: string; thumbprint: string; notAfter?: string }[];
    };
    const next = result.keys.find((k) => k.kid === result.created)!;
    expect(next.state).toBe('next');
    expect(Date.parse(next.notAfter ?? '')).toBeGreaterThan(Date.now() + 700 * 86_400_000);
    expect(huzhou.state.partners.ownerOf(next.thumbprint)).toBe('330500');

    // The new next key is published at once…
    const jwks = (await (await app.request('/.well-known/jwks.json')).json()) as {
      keys: Record<string, unknown>[];
    };
    const published = jwks.keys.find((k) => k.kid === result.created)!;
    expect(await thumbprint(published)).toBe(next.thumbprint);

    // …and a partner registered with it, inline or pinned, is refused.
    const partner = {
      id: '310000',
      name: '上海市',
      baseUrl: 'https://yrdx.shanghai.example',
      maySend: { domains: ['food-safety'], types: ['assistance-request'] },
    };
    for (const keys of [
      { jwks: { keys: [published] } },
      { jwksUrl: 'https://yrdx.shanghai.example/jwks', pins: [next.thumbprint] },
    ]) {
      const refused = await call('POST', '/admin/v1/partners', { ...partner, keys });
      expect(refused.status).toBe(422);
      const problem = (await refused.json()) as { code: string; errors: { detail: string }[] };
      expect(problem.code).toBe('request_invalid');
      expect(problem.errors.map((e) => e.detail).join(' ')).toContain('already belongs to 330500');
    }
    expect(huzhou.state.partners.get('310000')).toBeUndefined();

    // Keys of this node from before the rotation stay its own too.
    for (const k of result.keys) expect(huzhou.state.partners.ownerOf(k.thumbprint)).toBe('330500');
  });

  it('reports the thumbprints a partner already holds instead of claiming them', async () => {
    const huzhou = nodes[0]!;
    const suzhouKey = [...huzhou.state.partners.get('320500')!.keys.values()][0]!;
    const tp = await thumbprint(suzhouKey.jwk as unknown as Record<string, unknown>);
    expect(huzhou.state.partners.claimOwnKeys([tp])).toEqual([tp]);
    expect(huzhou.state.partners.ownerOf(tp)).toBe('320500');
  });
});
