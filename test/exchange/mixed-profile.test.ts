import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestMatches, sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { verifyReceipt } from '../../src/envelope/receipt.js';
import { sealMessage, sealReceipt } from '../../src/envelope/seal.js';
import { isYrdxError } from '../../src/errors/errors.js';
import { createKeyring } from '../../src/keys/keyring.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import { cli } from '../helpers/cli.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { policy, registryOf, testNode } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A mixed federation during migration (issue 19): Huzhou on the national profile (SM2, SM3) and
 * Suzhou on the international one (ES256, SHA-256), real nodes on 127.0.0.1 with real SQLite files,
 * each declaring the other's profile. Messages go both ways; each side signs with its own algorithm,
 * accepts the other's, and every receipt carries its recipient's digest and verifies at the sender.
 * Then what is refused: a partner declared gm with an ES256 key, a message from a gm partner signed
 * ES256, and a gm node whose active key is ES256.
 */
let huzhou: LiveNode;
let suzhou: LiveNode;
const SM3 = /^sm3:[0-9a-f]{64}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const part = (token: string, i: 0 | 1) =>
  JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const example = (dialect: string, type: string) =>
  JSON.parse(
    readFileSync(`contracts/food-safety/2.1.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;
const configOf = (node: LiveNode) => join(node.state.config.dataDir, 'node.json');
const readConfig = (node: LiveNode) =>
  JSON.parse(readFileSync(configOf(node), 'utf8')) as Record<string, unknown> & {
    partners: Record<string, unknown>[];
  };

beforeAll(async () => {
  [huzhou, suzhou] = (await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj', algorithm: 'SM2', cryptoProfile: 'gm' },
      { id: '320500', name: '苏州市', province: 'js', cryptoProfile: 'international' },
    ],
    tempDir('yrdx-mixed-'),
  )) as [LiveNode, LiveNode];
}, patient(60_000));

afterAll(async () => {
  await Promise.all([huzhou?.stop(), suzhou?.stop()]);
});

/** Sends from `from` to `to`, waits for `delivered`, and returns what the sender and the recipient kept. */
async function exchange(from: LiveNode, to: LiveNode, type: string, body: unknown, inReplyTo?: string) {
  const res = await from.submit({
    to: to.id,
    domain: 'food-safety',
    type,
    body,
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const sent = await eventually(
    async () => {
      const o = await from.exchange.deps.store.getOutbound(id);
      return o?.deliveries.every((d) => d.status === 'delivered') ? o : undefined;
    },
    20_000,
    `${type} delivered to ${to.id}`,
  );
  const kept = (await to.exchange.deps.store.getInbound(from.id, id))!;
  return { id, sent, receipt: sent.deliveries[0]!.receipt!, kept };
}

describe('a gm node and an international node', () => {
  it('publish their profile and the algorithms they accept in /.well-known/yrdx-node', async () => {
    const doc = async (n: LiveNode) =>
      (await (await fetch(`${n.url}/.well-known/yrdx-node`)).json()) as Record<string, unknown>;
    const hz = await doc(huzhou);
    const sz = await doc(suzhou);
    expect(hz.cryptoProfile).toEqual({ name: 'gm', signs: 'SM2', digest: 'SM3', atRest: 'SM4-GCM' });
    expect(sz.cryptoProfile).toEqual({
      name: 'international',
      signs: 'ES256',
      digest: 'SHA-256',
      atRest: 'AES-256-GCM',
    });
    // Each accepts the other's algorithm.
    expect(hz.algorithms).toEqual(expect.arrayContaining(['SM2', 'ES256']));
    expect(sz.algorithms).toEqual(expect.arrayContaining(['SM2', 'ES256']));
    // And each has declared the other's profile.
    expect(suzhou.state.partners.get('330500')!.cryptoProfile).toBe('gm');
    expect(huzhou.state.partners.get('320500')!.cryptoProfile).toBe('international');
  });

  it(
    'exchange both ways: each signs with its own algorithm, receipts carry the recipient’s digest and verify at the sender',
    async () => {
      // gm → international: an SM2 message, kept by its sender as SM3; an ES256 receipt vouching SHA-256.
      const request = await exchange(
        huzhou,
        suzhou,
        'assistance-request',
        example('zj', 'assistance-request'),
      );
      expect(part(request.sent.token, 0).alg).toBe('SM2');
      expect(request.sent.sha256).toBe(sm3Digest(request.sent.token));
      expect(part(request.receipt.token, 0).alg).toBe('ES256');
      const hzReceipt = part(request.receipt.token, 1);
      expect(hzReceipt.sha256).toBe(await sha256Hex(request.sent.token));
      expect(hzReceipt).not.toHaveProperty('sm3');
      expect(request.kept.sha256).toMatch(SHA256);
      expect(request.kept.sha256).toBe(hzReceipt.sha256);
      expect(await digestMatches(request.receipt.sha256, request.receipt.token)).toBe(true);
      expect(request.sent.events).toContainEqual(
        expect.objectContaining({ event: 'receipt-verified', recipient: '320500' }),
      );
      await verifyReceipt(
        request.receipt.token,
        { token: request.sent.token, claims: { jti: request.id, aud: ['320500'], iss: '330500' } },
        {
          self: '330500',
          keys: huzhou.state.partners,
          policy: huzhou.state.config.envelope,
          now: Date.now,
          expectedIssuer: '320500',
        },
      );

      // international → gm: an ES256 reply, kept by its sender as SHA-256; an SM2 receipt vouching SM3.
      const reply = await exchange(
        suzhou,
        huzhou,
        'assistance-reply',
        example('js', 'assistance-reply'),
        request.id,
      );
      expect(part(reply.sent.token, 0).alg).toBe('ES256');
      expect(reply.sent.sha256).toBe(await sha256Hex(reply.sent.token));
      expect(part(reply.receipt.token, 0).alg).toBe('SM2');
      const szReceipt = part(reply.receipt.token, 1);
      expect(szReceipt.sm3).toBe(sm3Digest(reply.sent.token).slice(4));
      expect(szReceipt).not.toHaveProperty('sha256');
      expect(reply.kept.sha256).toMatch(SM3);
      expect(reply.kept.sha256).toBe(sm3Digest(reply.sent.token));
      expect(reply.sent.events).toContainEqual(
        expect.objectContaining({ event: 'receipt-verified', recipient: '330500' }),
      );
      await verifyReceipt(
        reply.receipt.token,
        { token: reply.sent.token, claims: { jti: reply.id, aud: ['330500'], iss: '320500' } },
        {
          self: '320500',
          keys: suzhou.state.partners,
          policy: suzhou.state.config.envelope,
          now: Date.now,
          expectedIssuer: '330500',
        },
      );
      // The reply closed Huzhou's thread, and reached its case system.
      await eventually(
        () => huzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === reply.id),
        15_000,
        'the reply at Huzhou’s case system',
      );
    },
    patient(60_000),
  );
});

describe('a receipt verified by a gm sender', () => {
  it('is checked by the digest its recipient named, whatever the sender keeps', async () => {
    const gm = await testNode('330500', 'SM2');
    const intl = await testNode('320500', 'ES256');
    const atGm = await registryOf('330500', [intl]);
    const sealed = await sealMessage(
      { to: '320500', type: 'notification', domain: 'food-safety', contract: 'food-safety@2.1.0', body: {} },
      { self: '330500', signer: gm.signer, policy, now: Date.now, sha256: sm3Digest },
    );
    const receiptOf = async (digest: string) =>
      (
        await sealReceipt(
          { to: '330500', messageId: sealed.claims.jti, sha256: digest, status: 'accepted' },
          { self: '320500', signer: intl.signer, policy, now: Date.now },
        )
      ).token;
    const ctx = {
      self: '330500',
      keys: atGm,
      policy,
      now: Date.now,
      expectedIssuer: '320500',
      sha256: sm3Digest,
    };
    const opened = await verifyReceipt(await receiptOf(await sha256Hex(sealed.token)), sealed, ctx);
    expect(opened.claims.sha256).toBe(await sha256Hex(sealed.token));
    // The SM3 of the same bytes also vouches; the digest of other bytes, by either algorithm, does not.
    await verifyReceipt(await receiptOf(sealed.sha256), sealed, ctx);
    for (const other of [await sha256Hex(`${sealed.token}.`), sm3Digest(`${sealed.token}.`)])
      await expect(verifyReceipt(await receiptOf(other), sealed, ctx)).rejects.toMatchObject({
        code: 'receipt_mismatch',
      });
  });
});

describe('what the national profile refuses', () => {
  it('a message from a partner declared gm that is signed ES256', async () => {
    // Suzhou declared Huzhou gm and pinned its SM2 keys; a forger with an ES256 key names Huzhou's kid,
    // then its own.
    const forger = await testNode('330500', 'ES256');
    const hzKid = huzhou.state.keyring.signer.kid;
    for (const kid of [hzKid, forger.kid]) {
      const sealed = await sealMessage(
        {
          to: '320500',
          type: 'assistance-request',
          domain: 'food-safety',
          contract: 'food-safety@2.1.0',
          body: {},
        },
        {
          self: '330500',
          signer: { ...forger.signer, kid },
          policy: suzhou.state.config.envelope,
          now: Date.now,
        },
      );
      const res = await fetch(`${suzhou.url}/v1/inbox`, {
        method: 'POST',
        headers: { 'content-type': 'application/jose' },
        body: sealed.token,
      });
      const problem = (await res.json()) as { code: string };
      expect(res.status, JSON.stringify(problem)).toBeGreaterThanOrEqual(400);
      expect(problem.code).toBe(kid === hzKid ? 'jws_alg_key_mismatch' : 'jws_unknown_key');
      expect(await suzhou.exchange.deps.store.getInbound('330500', sealed.claims.jti)).toBeUndefined();
    }
  });

  it('a partner declared gm whose pinned key is ES256, at configuration load and in yrdx config check', async () => {
    // Huzhou's configuration, now declaring Suzhou (whose pinned key is ES256) gm.
    const config = readConfig(huzhou);
    const dir = tempDir('yrdx-gm-partner-');
    config.dataDir = dir;
    config.partners = config.partners.map((p) => (p.id === '320500' ? { ...p, cryptoProfile: 'gm' } : p));
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify(config));
    const failure = await bootNode(file, { env: {}, now: Date.now }).catch((e: unknown) => e);
    expect(isYrdxError(failure) && failure.code).toBe('config_invalid');
    const faults = JSON.stringify(isYrdxError(failure) ? failure.errors : []);
    expect(faults).toContain('/partners/0/keys/jwks/keys/0');
    expect(faults).toContain('accepts only SM2 keys; this one is a ES256 key');
    const check = await cli(['config', 'check', '--config', file]);
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain('只接受 SM2 密钥，这把是 ES256 密钥');
  });

  it('a gm node whose active key is ES256 does not start (gmSigner), nor one configured to sign ES256', async () => {
    const config = readConfig(huzhou);
    const dir = tempDir('yrdx-gm-signer-');
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(
      join(dir, 'keys', 'keyring.json'),
      JSON.stringify(await createKeyring('330500', 'ES256', Date.now())),
      { mode: 0o600 },
    );
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify({ ...config, dataDir: dir, keys: { source: 'file' } }));
    const failure = await bootNode(file, { env: {}, now: Date.now }).catch((e: unknown) => e);
    expect(isYrdxError(failure) && failure.code).toBe('keys_invalid');
    expect(isYrdxError(failure) && failure.detail('en')).toContain(
      'under the national profile (cryptoProfile: "gm") the signing key must be SM2',
    );
    expect(isYrdxError(failure) && failure.detail('zh')).toContain(
      '国密配置（cryptoProfile: "gm"）下签名密钥须为 SM2',
    );

    writeFileSync(
      file,
      JSON.stringify({ ...config, dataDir: dir, keys: { source: 'file', algorithm: 'ES256' } }),
    );
    const refused = await bootNode(file, { env: {}, now: Date.now }).catch((e: unknown) => e);
    expect(isYrdxError(refused) && refused.code).toBe('config_invalid');
    expect(JSON.stringify(isYrdxError(refused) ? refused.errors : [])).toContain(
      'signs with SM2 only, not ES256',
    );
  });
});

describe('yrdx config check', () => {
  it('shows the node’s profile and each partner’s declared profile, in both languages', async () => {
    const zh = await cli(['config', 'check', '--config', configOf(huzhou)]);
    expect(zh.status, zh.stderr).toBe(0);
    expect(zh.stdout).toContain('密码配置：国密（gm）：签名 SM2，摘要 SM3，静态加密 SM4-GCM');
    expect(zh.stdout).toContain('接受伙伴节点的签名算法：ES256、EdDSA、SM2');
    expect(zh.stdout).toContain('声明为国际伙伴（international）');
    const sz = await cli(['config', 'check', '--config', configOf(suzhou)], { env: { YRDX_LANG: 'en' } });
    expect(sz.stdout).toContain(
      'Cryptography profile: international: signs ES256, digests SHA-256, at rest AES-256-GCM',
    );
    expect(sz.stdout).toContain(
      'declared a national-profile partner (gm): only its SM2 signatures are accepted',
    );
    const json = await cli(['config', 'check', '--config', configOf(suzhou), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      cryptoProfile: { name: 'international', signs: 'ES256', digest: 'SHA-256', atRest: 'AES-256-GCM' },
      partners: [{ id: '330500', cryptoProfile: 'gm' }],
    });
  });
});
