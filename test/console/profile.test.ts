import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { adminCredentials } from '../admin/helpers.js';
import { type TestNode, testNode } from '../helpers/nodes.js';

/**
 * What each side accepts is visible (issue 19): the console's partners page shows this node's profile
 * (signs, digests, at rest, accepted algorithms) and the profile declared for each partner; a partner's
 * published page shows the profile it publishes beside the one declared here, and warns when they differ.
 * The partners' published documents come from real HTTP servers on 127.0.0.1.
 */
const servers: ServerType[] = [];
let app: ReturnType<typeof buildApp>;
let cookie: string;

/** A partner's /.well-known documents, publishing `profile`. */
async function publishing(node: TestNode, profile: string): Promise<string> {
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (r) => {
          const path = new URL(r.url).pathname;
          if (path === '/.well-known/jwks.json') return Response.json({ keys: [node.publicJwk] });
          return Response.json({
            id: node.id,
            name: node.id,
            domains: [],
            contracts: [],
            cryptoProfile: { name: profile },
            algorithms: ['ES256', 'EdDSA', 'SM2'],
          });
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info) => resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

beforeAll(async () => {
  const creds = await adminCredentials(Date.now());
  const gm = await testNode('320500', 'SM2');
  const intl = await testNode('310000', 'ES256');
  const undeclared = await testNode('340100', 'ES256');
  const partner = (n: TestNode, baseUrl: string, profile?: string) => ({
    id: n.id,
    name: n.id,
    baseUrl,
    keys: { jwks: { keys: [n.publicJwk] } },
    maySend: { domains: ['*'], types: ['*'] },
    ...(profile === undefined ? {} : { cryptoProfile: profile }),
  });
  const config = validateNodeConfig(
    {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'http://127.0.0.1:1',
      allowInsecureHttp: true,
      cryptoProfile: 'gm',
      keys: { source: 'file' },
      partners: [
        partner(gm, await publishing(gm, 'gm'), 'gm'),
        // Declared international, but it publishes gm: the published page warns.
        partner(intl, await publishing(intl, 'gm'), 'international'),
        partner(undeclared, await publishing(undeclared, 'international')),
      ],
    },
    { file: 'test' },
  );
  const keyring = await NodeKeyring.load(await createKeyring('330500', 'SM2', Date.now()), '330500', {
    retainRetiredSeconds: 3600,
    profile: 'gm',
  });
  const partners = await PartnerRegistry.create(config.partners, {
    file: 'test',
    ownId: '330500',
    ownThumbprints: [],
  });
  app = buildApp({ config: { ...config, admin: creds.admin }, keyring: () => keyring, partners });
  const res = await app.request('http://127.0.0.1:1/console/sign-in', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://127.0.0.1:1',
      host: '127.0.0.1:1',
    },
    body: new URLSearchParams({ token: creds.tokens.operator }).toString(),
  });
  expect(res.status).toBe(303);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const page = async (path: string) => {
  const res = await app.request(`http://127.0.0.1:1${path}`, { headers: { cookie, host: '127.0.0.1:1' } });
  expect(res.status, path).toBe(200);
  return (await res.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
};

describe('the console shows the cryptography profiles', () => {
  it('of this node and of each partner, in Chinese and in English', async () => {
    const zh = await page('/console/partners');
    expect(zh).toContain('本节点密码配置 国密（gm）: 签名 SM2 · 摘要 SM3 · 静态加密 SM4-GCM');
    expect(zh).toContain('接受的签名算法 ES256, EdDSA, SM2');
    expect(zh).toMatch(/320500.*国密（gm）.*310000.*国际（international）.*340100.*未声明/s);
    const en = await page('/console/partners?lang=en');
    expect(en).toContain(
      'This node’s cryptography profile national (gm): signs SM2 · digests SM3 · at rest SM4-GCM',
    );
    expect(en).toContain('not declared (whatever its pinned keys sign)');
  });

  it('published by a partner beside the one declared here, with a warning when they differ', async () => {
    const agreed = await page('/console/partners/320500/published');
    expect(agreed).toContain('发布的密码配置 gm');
    expect(agreed).toContain('本节点为其声明的密码配置 国密（gm）');
    expect(agreed).not.toContain('请更新本节点配置中该伙伴的 cryptoProfile');
    const differs = await page('/console/partners/310000/published?lang=en');
    expect(differs).toContain('Published cryptography profile gm');
    expect(differs).toContain('Profile declared for it here international');
    expect(differs).toContain('publishes another cryptography profile than the one declared for it here');
    // International published, none declared: nothing to warn about.
    expect(await page('/console/partners/340100/published')).not.toContain('请更新本节点配置');
  });
});
