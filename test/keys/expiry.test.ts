import { describe, expect, it } from 'vitest';
import type { LogFn } from '../../src/http/env.js';
import { createKeyring, NodeKeyring, parseKeyringDocument, rotateKeyring } from '../../src/keys/keyring.js';
import { collectNodeState } from '../../src/metrics/collectors.js';
import { createMetrics } from '../../src/metrics/yrdx.js';
import { KEY_EXPIRY_WARNING_SECONDS, keyExpiries } from '../../src/trust/expiry.js';
import { watchKeyExpiry } from '../../src/trust/expiry-watch.js';
import { FakeClock, partnerConfig, registryOf, testNode } from '../helpers/nodes.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus.js';

const DAY = 86_400;

describe('key expiry', () => {
  it('reports pinned partner keys and this node’s retired keys, alerting 60 days ahead for keys in use', async () => {
    const clock = new FakeClock();
    const suzhou = await testNode('320500');
    const shanghai = await testNode('310000');
    const nanjing = await testNode('320100');
    const partners = await registryOf('330500', [
      partnerConfig(suzhou, {
        keys: {
          jwks: { keys: [suzhou.publicJwk] },
          pins: [{ thumbprint: suzhou.thumbprint, notAfter: clock.seconds + 59 * DAY }],
        },
      }),
      partnerConfig(shanghai, {
        keys: {
          jwks: { keys: [shanghai.publicJwk] },
          pins: [{ thumbprint: shanghai.thumbprint, notAfter: clock.seconds + 61 * DAY }],
        },
      }),
      partnerConfig(nanjing),
    ]);
    // Keys without a planned end (a keyring written before yrdx set one): only the retired key is listed.
    const doc = await createKeyring('330500', 'ES256', clock.ms - 30 * DAY * 1000, null);
    const rotated = await rotateKeyring(doc, '330500', clock.ms, {
      alg: 'ES256',
      minNextAgeSeconds: 0,
      retainRetiredSeconds: 7 * DAY,
    });
    const keyring = await NodeKeyring.load(rotated.document, '330500', { retainRetiredSeconds: 7 * DAY });
    const retired = keyring.keys.find((k) => k.state === 'retired')!;

    const list = keyExpiries(keyring, partners, clock.ms);
    expect(list).toEqual(
      expect.arrayContaining([
        {
          owner: '320500',
          kid: suzhou.kid,
          state: 'pinned',
          expiresAt: clock.seconds + 59 * DAY,
          inUse: true,
          expiring: true,
        },
        {
          owner: '310000',
          kid: shanghai.kid,
          state: 'pinned',
          expiresAt: clock.seconds + 61 * DAY,
          inUse: true,
          expiring: false,
        },
        {
          owner: 'self',
          kid: retired.kid,
          state: 'retired',
          expiresAt: retired.publishedUntil,
          inUse: false,
          expiring: false,
        },
      ]),
    );
    expect(list).toHaveLength(3);
    expect(KEY_EXPIRY_WARNING_SECONDS).toBe(60 * DAY);

    const lines: [string, string, Record<string, unknown> | undefined][] = [];
    const log: LogFn = (level, msg, fields) => lines.push([level, msg, fields]);
    const again = watchKeyExpiry({ keyring: () => keyring, partners, now: clock.now, log });
    expect(lines).toEqual([
      [
        'warn',
        'key expires soon',
        expect.objectContaining({ alert: 'key-expiry', owner: '320500', kid: suzhou.kid, daysLeft: 59 }),
      ],
    ]);
    clock.advance(62 * DAY);
    again();
    expect(lines.slice(1).map(([level, msg, f]) => [level, msg, f?.owner])).toEqual([
      ['error', 'key expired', '320500'],
      ['error', 'key expired', '310000'],
    ]);

    const metrics = createMetrics();
    collectNodeState(metrics, { keyring: () => keyring, partners, now: clock.now });
    const families = parsePrometheusText(await metrics.registry.render());
    expect(sampleValue(families, 'yrdx_key_expiry_seconds', { owner: '320500', kid: suzhou.kid })).toBe(
      -3 * DAY,
    );
    expect(sampleValue(families, 'yrdx_key_expiring', { owner: '310000', kid: shanghai.kid })).toBe(1);
    expect(sampleValue(families, 'yrdx_key_expiring', { owner: 'self' })).toBeUndefined();
  });

  it('alerts 60 days before this node’s active or next key reaches its notAfter, and errs once it has', async () => {
    const clock = new FakeClock();
    const partners = await registryOf('330500', []);
    // Made 671 days ago with a 730-day lifetime: both keys end in 59 days. Rotating now with a
    // 61-day lifetime activates the old next key and makes a next key that ends in 61 days.
    const doc = await createKeyring('330500', 'ES256', clock.ms - 671 * DAY * 1000, 730);
    expect(doc.keys.map((k) => k.notAfter)).toEqual([
      new Date(clock.ms + 59 * DAY * 1000).toISOString(),
      new Date(clock.ms + 59 * DAY * 1000).toISOString(),
    ]);
    const rotated = await rotateKeyring(doc, '330500', clock.ms, {
      alg: 'ES256',
      minNextAgeSeconds: 0,
      retainRetiredSeconds: 7 * DAY,
      lifetimeDays: 61,
    });
    const keyring = await NodeKeyring.load(rotated.document, '330500', { retainRetiredSeconds: 7 * DAY });
    const kid = (state: string) => keyring.keys.find((k) => k.state === state)!.kid;
    expect(keyring.keys.find((k) => k.state === 'next')?.notAfter).toBe(
      new Date(clock.ms + 61 * DAY * 1000).toISOString(),
    );

    expect(keyExpiries(keyring, partners, clock.ms)).toEqual(
      expect.arrayContaining([
        {
          owner: 'self',
          kid: kid('active'),
          state: 'active',
          expiresAt: clock.seconds + 59 * DAY,
          inUse: true,
          expiring: true,
        },
        {
          owner: 'self',
          kid: kid('next'),
          state: 'next',
          expiresAt: clock.seconds + 61 * DAY,
          inUse: true,
          expiring: false,
        },
        expect.objectContaining({ owner: 'self', kid: kid('retired'), state: 'retired', inUse: false }),
      ]),
    );

    const lines: [string, string, Record<string, unknown> | undefined][] = [];
    const log: LogFn = (level, msg, fields) => lines.push([level, msg, fields]);
    const again = watchKeyExpiry({ keyring: () => keyring, partners, now: clock.now, log });
    expect(lines).toEqual([
      [
        'warn',
        'key expires soon',
        expect.objectContaining({ alert: 'key-expiry', owner: 'self', kid: kid('active'), daysLeft: 59 }),
      ],
    ]);
    const metrics = createMetrics();
    collectNodeState(metrics, { keyring: () => keyring, partners, now: clock.now });
    let families = parsePrometheusText(await metrics.registry.render());
    expect(sampleValue(families, 'yrdx_key_expiring', { owner: 'self', kid: kid('active') })).toBe(1);
    expect(sampleValue(families, 'yrdx_key_expiring', { owner: 'self', kid: kid('next') })).toBe(0);
    expect(
      sampleValue(families, 'yrdx_key_expiring', { owner: 'self', kid: kid('retired') }),
    ).toBeUndefined();
    expect(
      sampleValue(families, 'yrdx_key_expiry_seconds', {
        owner: 'self',
        kid: kid('active'),
        state: 'active',
      }),
    ).toBe(59 * DAY);

    clock.advance(60 * DAY);
    again();
    expect(lines.slice(1).map(([level, msg, f]) => [level, msg, f?.kid, f?.daysLeft])).toEqual([
      ['error', 'key expired', kid('active'), -1],
      ['warn', 'key expires soon', kid('next'), 1],
    ]);
    families = parsePrometheusText(await metrics.registry.render());
    expect(sampleValue(families, 'yrdx_key_expiring', { owner: 'self', kid: kid('next') })).toBe(1);
    expect(
      sampleValue(families, 'yrdx_key_expiry_seconds', {
        owner: 'self',
        kid: kid('active'),
        state: 'active',
      }),
    ).toBe(-DAY);
  });

  it('reads notAfter from a keyring document, or exp from a single private JWK, and refuses one that is not a time', async () => {
    const clock = new FakeClock();
    const doc = await createKeyring('330500', 'ES256', clock.ms, null);
    expect(doc.keys.every((k) => k.notAfter === undefined)).toBe(true);
    const { privateJwk, kid } = doc.keys[0]!;
    const single = parseKeyringDocument(
      JSON.stringify({ ...privateJwk, kid, exp: clock.seconds + DAY }),
      clock.ms,
    );
    expect(single.keys[0]?.notAfter).toBe(new Date((clock.seconds + DAY) * 1000).toISOString());
    const keyring = await NodeKeyring.load(single, '330500', { retainRetiredSeconds: DAY });
    expect(keyring.keys[0]?.notAfter).toBe(single.keys[0]?.notAfter);
    await expect(
      NodeKeyring.load({ version: 1, keys: [{ ...doc.keys[0]!, notAfter: 'soon' }] }, '330500', {
        retainRetiredSeconds: DAY,
      }),
    ).rejects.toMatchObject({ code: 'keys_invalid' });
  });
});
