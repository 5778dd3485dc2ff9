import { describe, expect, it } from 'vitest';
import { openMessage } from '../../src/envelope/open.js';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { sealMessage } from '../../src/envelope/seal.js';
import { createKeyring, NodeKeyring, parseKeyringDocument, rotateKeyring } from '../../src/keys/keyring.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';
import { FakeClock } from '../helpers/nodes.js';

const RETAIN = DEFAULT_POLICY.maxLifetimeSeconds + DEFAULT_POLICY.clockSkewSeconds;
const options = { alg: 'ES256' as const, minNextAgeSeconds: 86400, retainRetiredSeconds: RETAIN };

describe('node keyring', () => {
  it('starts with an active and a next key, both published', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'EdDSA', clock.now());
    const keyring = await NodeKeyring.load(doc, '330500', { retainRetiredSeconds: RETAIN });
    expect(keyring.keys.map((k) => k.state)).toEqual(['active', 'next']);
    expect(keyring.keys[0]?.kid).toMatch(/^330500-20261128-[A-Za-z0-9_-]{8}$/);
    expect(keyring.signer.kid).toBe(keyring.keys[0]?.kid);
    expect((keyring.signer.key as CryptoKey).extractable).toBe(false);
    const jwks = keyring.jwks(clock.seconds);
    expect(jwks.keys).toHaveLength(2);
    for (const k of jwks.keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    }
  });

  it('rotates next → active → retired, and keeps retired keys until their messages expire', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'ES256', clock.now());
    const before = await NodeKeyring.load(doc, '330500', { retainRetiredSeconds: RETAIN });

    await expect(rotateKeyring(doc, '330500', clock.now(), options)).rejects.toMatchObject({
      code: 'key_rotation_refused',
    });
    clock.advance(86400);
    const first = await rotateKeyring(doc, '330500', clock.now(), options);
    expect(first.activated).toBe(before.keys[1]?.kid);
    expect(first.retired).toBe(before.keys[0]?.kid);
    const after = await NodeKeyring.load(first.document, '330500', { retainRetiredSeconds: RETAIN });
    expect(after.signer.kid).toBe(first.activated);
    expect(after.keys.map((k) => [k.kid, k.state])).toEqual([
      [first.retired, 'retired'],
      [first.activated, 'active'],
      [first.created, 'next'],
    ]);

    // A partner that pinned all published keys verifies a message signed before the rotation …
    const registry = await PartnerRegistry.create(
      [
        {
          id: '330500',
          name: '湖州市',
          baseUrl: 'https://h.example',
          status: 'active',
          subscribes: [],
          keys: { jwks: after.jwks(clock.seconds), pins: [] },
          maySend: { domains: DOMAINS, types: MESSAGE_TYPES },
        },
      ],
      { file: 'test', ownId: '320500', ownThumbprints: [] },
    );
    const oldClock = new FakeClock(clock.ms - 3600_000);
    const sealedBefore = await sealMessage(
      { to: '320500', type: 'notification', domain: 'pollution', contract: 'pollution@1.0.0', body: {} },
      { self: '330500', signer: before.signer, policy: DEFAULT_POLICY, now: oldClock.now },
    );
    await expect(
      openMessage(sealedBefore.token, {
        self: '320500',
        keys: registry,
        policy: DEFAULT_POLICY,
        now: clock.now,
      }),
    ).resolves.toBeDefined();

    // … the retired key is published until every message it signed has expired, then dropped.
    expect(after.jwks(clock.seconds + RETAIN).keys.map((k) => k.kid)).toContain(first.retired);
    expect(after.jwks(clock.seconds + RETAIN + 1).keys.map((k) => k.kid)).not.toContain(first.retired);
    clock.advance(RETAIN + 86400);
    const second = await rotateKeyring(first.document, '330500', clock.now(), options);
    expect(second.dropped).toEqual([first.retired]);
  });

  it('rotates early only when forced', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'ES256', clock.now());
    await expect(
      rotateKeyring(doc, '330500', clock.now(), { ...options, force: true }),
    ).resolves.toBeDefined();
  });

  it('refuses malformed keyrings without quoting key material', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'ES256', clock.now());
    const twoActive = {
      version: 1 as const,
      keys: doc.keys.map((k) => ({ ...k, state: 'active' as const })),
    };
    const error = await NodeKeyring.load(twoActive, '330500', { retainRetiredSeconds: RETAIN }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'keys_invalid' });
    const d = (doc.keys[0]!.privateJwk as { d: string }).d;
    expect(String((error as Error).message)).not.toContain(d);

    const publicOnly = {
      version: 1 as const,
      keys: [{ ...doc.keys[0]!, privateJwk: { ...doc.keys[0]!.privateJwk, d: undefined } }],
    };
    await expect(
      NodeKeyring.load(publicOnly, '330500', { retainRetiredSeconds: RETAIN }),
    ).rejects.toMatchObject({ code: 'keys_invalid' });
    expect(() => parseKeyringDocument('not json', clock.now())).toThrow(/keys_invalid/);
    expect(() => parseKeyringDocument('{"keys":[]}', clock.now())).toThrow(/keys_invalid/);
  });

  it('accepts a single private JWK (e.g. from an environment variable) as the active key', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'ES256', clock.now());
    const single = parseKeyringDocument(
      JSON.stringify({ ...doc.keys[0]!.privateJwk, kid: 'hz-1' }),
      clock.now(),
    );
    const keyring = await NodeKeyring.load(single, '330500', { retainRetiredSeconds: RETAIN });
    expect(keyring.signer.kid).toBe('hz-1');
  });
});
