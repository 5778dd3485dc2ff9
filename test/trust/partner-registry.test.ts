import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YrdxError } from '../../src/errors/errors.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { partnerConfig, type TestNode, testNode } from '../helpers/nodes.js';

let suzhou: TestNode;
let suzhouNext: TestNode;
let shanghai: TestNode;
let stranger: TestNode;
const server = setupServer();

beforeAll(async () => {
  [suzhou, suzhouNext, shanghai, stranger] = await Promise.all([
    testNode('320500'),
    testNode('320500', 'EdDSA', '320500-k2'),
    testNode('310000'),
    testNode('320100'),
  ]);
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => server.close());

const create = (
  configs: Parameters<typeof PartnerRegistry.create>[0],
  extra: { ownThumbprints?: string[] } = {},
) =>
  PartnerRegistry.create(configs, {
    file: 'node.json',
    ownId: '330500',
    ownThumbprints: extra.ownThumbprints ?? [],
  });

async function faults(promise: Promise<unknown>): Promise<{ pointer: string; detail: string }[]> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(YrdxError);
  expect((error as YrdxError).code).toBe('config_invalid');
  return (error as YrdxError).errors.map((e) => ({ ...e, detail: e.detail.en }));
}

describe('partner registry', () => {
  it('resolves a kid only among the keys of the partner named by iss', async () => {
    const registry = await create([partnerConfig(suzhou), partnerConfig(shanghai)]);
    expect(registry.resolve('320500', suzhou.kid)).toMatchObject({ status: 'ok', key: { owner: '320500' } });
    expect(registry.resolve('320500', shanghai.kid)).toEqual({ status: 'unknown-key' });
    expect(registry.resolve('310000', suzhou.kid)).toEqual({ status: 'unknown-key' });
    expect(registry.resolve('320100', suzhou.kid)).toEqual({ status: 'unknown-issuer' });
  });

  it('refuses a key registered for two partners', async () => {
    const copied = partnerConfig(shanghai, {
      keys: { jwks: { keys: [{ ...suzhou.publicJwk, kid: 'other-kid' }] }, pins: [] },
    });
    const found = await faults(create([partnerConfig(suzhou), copied]));
    expect(found).toEqual([
      expect.objectContaining({
        pointer: '/partners/1/keys/jwks/keys/0',
        detail: expect.stringContaining('belongs to 320500'),
      }),
    ]);
  });

  it('refuses a partner key that is this node’s own key', async () => {
    const found = await faults(create([partnerConfig(suzhou)], { ownThumbprints: [suzhou.thumbprint] }));
    expect(found[0]?.detail).toContain('belongs to 330500');
  });

  it('refuses private key material, duplicate kids and keys without kid', async () => {
    const priv = partnerConfig(suzhou, {
      keys: { jwks: { keys: [{ ...suzhou.privateJwk, kid: 'x' }] }, pins: [] },
    });
    expect((await faults(create([priv])))[0]?.detail).toContain('private key material');
    const dup = partnerConfig(suzhou, {
      keys: { jwks: { keys: [suzhou.publicJwk, { ...suzhouNext.publicJwk, kid: suzhou.kid }] }, pins: [] },
    });
    expect((await faults(create([dup])))[0]?.detail).toContain('repeats');
    const noKid = partnerConfig(suzhou, {
      keys: { jwks: { keys: [{ ...suzhou.publicJwk, kid: undefined }] }, pins: [] },
    });
    expect((await faults(create([noKid])))[0]?.pointer).toBe('/partners/0/keys/jwks/keys/0/kid');
    const hmac = partnerConfig(suzhou, {
      keys: { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h' }] }, pins: [] },
    });
    expect((await faults(create([hmac])))[0]?.detail).toContain('only EC P-256, EC SM2, OKP Ed25519 and RSA');
  });

  it('refuses the same thumbprint pinned for two partners', async () => {
    const pins = [{ thumbprint: suzhou.thumbprint }];
    const a = partnerConfig(suzhou, { keys: { jwksUrl: 'https://a.example/jwks', pins } });
    const b = partnerConfig(shanghai, { keys: { jwksUrl: 'https://b.example/jwks', pins } });
    expect((await faults(create([a, b])))[0]).toMatchObject({ pointer: '/partners/1/keys/pins/0' });
  });

  it('names an unreadable partner JWKS file', async () => {
    const registry = PartnerRegistry.create(
      [partnerConfig(suzhou, { keys: { jwksFile: '/nonexistent/jwks.json', pins: [] } })],
      {
        file: 'node.json',
        ownId: '330500',
        ownThumbprints: [],
        readFile: () => {
          throw new Error('ENOENT');
        },
      },
    );
    expect((await faults(registry))[0]).toMatchObject({
      pointer: '/partners/0/keys/jwksFile',
      detail: expect.stringContaining('cannot be read'),
    });
  });

  it('keeps only pinned keys from a JWKS URL', async () => {
    server.use(
      http.get('https://yrdx.suzhou.example/.well-known/jwks.json', () =>
        HttpResponse.json({ keys: [suzhou.publicJwk, suzhouNext.publicJwk, stranger.publicJwk] }),
      ),
    );
    const registry = await create([
      partnerConfig(suzhou, {
        keys: {
          jwksUrl: 'https://yrdx.suzhou.example/.well-known/jwks.json',
          pins: [{ thumbprint: suzhou.thumbprint }, { thumbprint: suzhouNext.thumbprint }],
        },
      }),
    ]);
    expect(registry.resolve('320500', suzhou.kid)).toEqual({ status: 'unknown-key' });
    expect(await registry.refresh(fetch)).toEqual([]);
    expect(registry.resolve('320500', suzhou.kid).status).toBe('ok');
    expect(registry.resolve('320500', suzhouNext.kid).status).toBe('ok');
    expect(registry.resolve('320500', stranger.kid)).toEqual({ status: 'unknown-key' });
  });

  it('reports, and survives, a JWKS URL that fails or has no pinned key', async () => {
    server.use(
      http.get('https://down.example/jwks', () => new HttpResponse('busy', { status: 503 })),
      http.get('https://swapped.example/jwks', () => HttpResponse.json({ keys: [stranger.publicJwk] })),
    );
    const registry = await create([
      partnerConfig(suzhou, {
        keys: { jwksUrl: 'https://down.example/jwks', pins: [{ thumbprint: suzhou.thumbprint }] },
      }),
      partnerConfig(shanghai, {
        keys: { jwksUrl: 'https://swapped.example/jwks', pins: [{ thumbprint: shanghai.thumbprint }] },
      }),
    ]);
    const problems = await registry.refresh(fetch);
    expect(problems.map((p) => [p.code, p.params.partner])).toEqual([
      ['partner_keys_unavailable', '320500'],
      ['partner_keys_unavailable', '310000'],
    ]);
    expect(registry.resolve('310000', stranger.kid)).toEqual({ status: 'unknown-key' });
  });

  it('authorises senders by domain and message type, and not when suspended', async () => {
    const registry = await create([
      partnerConfig(suzhou, {
        maySend: { domains: ['food-safety'], types: ['assistance-request', 'notification'] },
      }),
      partnerConfig(shanghai, { status: 'suspended' }),
    ]);
    expect(registry.maySend('320500', 'food-safety', 'assistance-request')).toBe(true);
    expect(registry.maySend('320500', 'pollution', 'assistance-request')).toBe(false);
    expect(registry.maySend('320500', 'food-safety', 'case-transfer')).toBe(false);
    expect(registry.maySend('310000', 'food-safety', 'notification')).toBe(false);
    expect(registry.resolve('310000', shanghai.kid)).toEqual({ status: 'suspended' });
  });
});
