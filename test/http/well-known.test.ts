import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { toProblem, YrdxError } from '../../src/errors/errors.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { VERSION } from '../../src/platform/version.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { FakeClock } from '../helpers/nodes.js';

const clock = new FakeClock();
let app: ReturnType<typeof buildApp>;
let keyring: NodeKeyring;

beforeAll(async () => {
  const config = validateNodeConfig(
    {
      id: '330500',
      name: '湖州市',
      province: 'zj',
      publicUrl: 'https://yrdx.huzhou.example/',
      keys: { source: 'file' },
      partners: [],
    },
    { file: 'node.json' },
  );
  keyring = await NodeKeyring.load(await createKeyring('330500', 'ES256', clock.now()), '330500', {
    retainRetiredSeconds: 3600,
  });
  const partners = await PartnerRegistry.create([], {
    file: 'node.json',
    ownId: '330500',
    ownThumbprints: [],
  });
  app = buildApp({
    config,
    keyring: () => keyring,
    partners,
    now: clock.now,
    contracts: () => [{ domain: 'food-safety', version: '1.0.0' }],
  });
});

describe('well-known endpoints', () => {
  it('publish the JWKS with cache headers and an ETag', async () => {
    const res = await app.request('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/jwk-set+json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    const body = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(body.keys.map((k) => k.kid)).toEqual(keyring.keys.map((k) => k.kid));
    for (const key of body.keys) expect(key).not.toHaveProperty('d');
    const etag = res.headers.get('etag')!;
    const again = await app.request('/.well-known/jwks.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('describe the node', async () => {
    const res = await app.request('/.well-known/yrdx-node');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: '330500',
      name: '湖州市',
      province: 'zj',
      software: { name: 'yrdx', version: VERSION },
      // The domains and types of the contracts it carries.
      domains: ['food-safety'],
      contracts: ['food-safety@1.0.0'],
      cryptoProfile: { name: 'international', digest: 'SHA-256', atRest: 'AES-256-GCM' },
      algorithms: ['ES256', 'EdDSA', 'SM2'],
      keys: [
        { kid: keyring.keys[0]?.kid, state: 'active', thumbprint: keyring.keys[0]?.thumbprint },
        { kid: keyring.keys[1]?.kid, state: 'next' },
      ],
      endpoints: {
        inbox: 'https://yrdx.huzhou.example/v1/inbox',
        jwks: 'https://yrdx.huzhou.example/.well-known/jwks.json',
      },
    });
  });

  it('answer unknown paths with problem+json, in Chinese unless English is preferred', async () => {
    const zh = await app.request('/v1/nothing', { headers: { 'x-request-id': 'req-1' } });
    expect(zh.status).toBe(404);
    expect(zh.headers.get('content-type')).toContain('application/problem+json');
    expect(zh.headers.get('x-request-id')).toBe('req-1');
    expect(await zh.json()).toEqual({
      type: 'urn:yrdx:problem:not_found',
      title: 'Not found',
      status: 404,
      detail: '请求的地址不存在。',
      code: 'not_found',
      instance: '/v1/nothing',
    });
    const en = await app.request('/v1/nothing', {
      headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' },
    });
    expect(((await en.json()) as { detail: string }).detail).toBe('The requested resource does not exist.');
  });
});

describe('problem details', () => {
  it('reveal nothing of unknown errors', () => {
    const problem = toProblem(new Error('database password is hunter2'));
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(problem).toMatchObject({ code: 'internal_error', status: 500 });
  });

  it('never name the key that was looked for', () => {
    const problem = toProblem(new YrdxError('jws_unknown_key'));
    expect(problem.detail).toBe('签名密钥不在发送方已登记的密钥之中。');
  });

  it('have a Chinese and an English text for every code', async () => {
    const { problemCatalogue } = await import('../../src/errors/errors.js');
    for (const [code, spec] of Object.entries(problemCatalogue)) {
      expect(spec.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(spec.en, code).toMatch(/^[\x20-\x7e’−—–…]+$/);
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
    }
  });

  it('version matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});

describe('docs/errors.md and docs/errors.zh-CN.md', () => {
  it('list every problem code as the catalogue has it', async () => {
    const { errorDocs } = await import('../../src/errors/problems/docs.js');
    expect(Object.keys(errorDocs)).toEqual(['docs/errors.md', 'docs/errors.zh-CN.md']);
    for (const [path, render] of Object.entries(errorDocs)) {
      expect(readFileSync(path, 'utf8'), `${path}: run npx tsx scripts/write-error-docs.ts`).toBe(render());
    }
  });
});
