import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YrdxError } from '../../src/errors/errors.js';
import { importVerificationKey, thumbprint } from '../../src/keys/jwk.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { partnerConfig, type TestNode, testNode } from '../helpers/nodes.js';

// Keys from outside (configuration files, the admin API and console, a partner's JWKS URL) that
// Web Crypto cannot import are refused with a problem naming the key, never thrown as a raw
// DataError (finding 9 of issue 14).

let suzhou: TestNode;
let shanghai: TestNode;
const server = setupServer();

const flip = (s: string) => `${s.slice(0, -2)}${s.at(-2) === 'A' ? 'B' : 'A'}${s.at(-1)}`;

/** Public keys Web Crypto refuses although every member is present. */
const broken = (jwk: Record<string, unknown>): Record<string, Record<string, unknown>> => ({
  'an EC point off the curve': { ...jwk, kid: 'off-curve', y: flip(String(jwk.y)) },
  'an EC coordinate of the wrong length': { ...jwk, kid: 'short-x', x: String(jwk.x).slice(0, 20) },
  'an Ed25519 key of the wrong length': { kty: 'OKP', crv: 'Ed25519', kid: 'short-okp', x: 'AAAA' },
});

beforeAll(async () => {
  [suzhou, shanghai] = await Promise.all([testNode('320500'), testNode('310000')]);
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(() => server.close());

const options = { file: 'node.json', ownId: '330500', ownThumbprints: [] };

describe('keys Web Crypto cannot import', () => {
  it('are refused by importVerificationKey with key_import_refused naming the kid', async () => {
    for (const jwk of Object.values(broken(suzhou.publicJwk))) {
      const error = await importVerificationKey(jwk as never, '320500').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(YrdxError);
      expect((error as YrdxError).code).toBe('key_import_refused');
      expect((error as YrdxError).status).toBeLessThan(500);
      expect((error as YrdxError).detail('en')).toContain(String(jwk.kid));
    }
  });

  it('are reported with their pointer when a configuration file holds one', async () => {
    for (const jwk of Object.values(broken(suzhou.publicJwk))) {
      const config = partnerConfig(suzhou, { keys: { jwks: { keys: [jwk] }, pins: [] } });
      const error = await PartnerRegistry.create([config], options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(YrdxError);
      expect((error as YrdxError).code).toBe('config_invalid');
      expect((error as YrdxError).errors).toEqual([
        expect.objectContaining({
          file: 'node.json',
          pointer: '/partners/0/keys/jwks/keys/0',
          detail: expect.objectContaining({ en: expect.stringContaining(String(jwk.kid)) }),
        }),
      ]);
    }
  });

  it('are refused at run time (admin API, console) and change nothing', async () => {
    const registry = await PartnerRegistry.create([partnerConfig(suzhou)], options);
    for (const jwk of Object.values(broken(suzhou.publicJwk))) {
      const error = await registry
        .upsert(partnerConfig(suzhou, { keys: { jwks: { keys: [jwk] }, pins: [] } }))
        .catch((e: unknown) => e);
      expect((error as YrdxError).code).toBe('request_invalid');
      expect((error as YrdxError).errors[0]).toMatchObject({ pointer: '/keys/jwks/keys/0' });
      expect(registry.resolve('320500', suzhou.kid).status).toBe('ok');
    }
  });

  it('are left out of a JWKS fetched from a partner, with a fault, keeping the others', async () => {
    const bad = broken(shanghai.publicJwk)['an EC point off the curve']!;
    server.use(
      http.get('https://yrdx.shanghai.example/jwks', () =>
        HttpResponse.json({ keys: [bad, shanghai.publicJwk] }),
      ),
    );
    const registry = await PartnerRegistry.create(
      [
        partnerConfig(shanghai, {
          keys: {
            jwksUrl: 'https://yrdx.shanghai.example/jwks',
            pins: [{ thumbprint: await thumbprint(bad) }, { thumbprint: shanghai.thumbprint }],
          },
        }),
      ],
      options,
    );
    const faults = await registry.refresh(fetch);
    expect(faults.map((f) => f.code)).toEqual(['partner_keys_unavailable']);
    expect(faults[0]!.errors[0]).toMatchObject({
      detail: expect.objectContaining({ en: expect.stringContaining('off-curve') }),
    });
    expect(registry.resolve('310000', shanghai.kid).status).toBe('ok');
  });
});
