import { beforeAll, describe, expect, it } from 'vitest';
import { openMessage } from '../../src/envelope/open.js';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { storedReceiptLosses, verifyReceipt } from '../../src/envelope/receipt.js';
import { sealMessage, sealReceipt } from '../../src/envelope/seal.js';
import type { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { FakeClock, registryOf, signRaw, type TestNode, testNode } from '../helpers/nodes.js';

const clock = new FakeClock();
let huzhou: TestNode;
let suzhou: TestNode;
let shanghai: TestNode;
let atHuzhou: PartnerRegistry;
let atSuzhou: PartnerRegistry;

beforeAll(async () => {
  [huzhou, suzhou, shanghai] = await Promise.all([
    testNode('330500'),
    testNode('320500', 'EdDSA'),
    testNode('310000'),
  ]);
  atHuzhou = await registryOf('330500', [suzhou, shanghai]);
  atSuzhou = await registryOf('320500', [huzhou]);
});

const ctx = (self: string, signer: TestNode) => ({
  self,
  signer: signer.signer,
  policy: DEFAULT_POLICY,
  now: clock.now,
});

async function exchange() {
  const sent = await sealMessage(
    {
      to: '320500',
      type: 'assistance-request',
      domain: 'food-safety',
      contract: 'food-safety@1.0.0',
      body: { 案由: '销售不符合食品安全标准的食品' },
    },
    ctx('330500', huzhou),
  );
  const received = await openMessage(sent.token, {
    self: '320500',
    keys: atSuzhou,
    policy: DEFAULT_POLICY,
    now: clock.now,
  });
  const receipt = await sealReceipt(
    { to: received.claims.iss, messageId: received.claims.jti, sha256: received.sha256, status: 'accepted' },
    ctx('320500', suzhou),
  );
  return { sent, receipt };
}

const verifyCtx = (expectedIssuer = '320500') => ({
  self: '330500',
  keys: atHuzhou,
  policy: DEFAULT_POLICY,
  now: clock.now,
  expectedIssuer,
});

describe('receipts', () => {
  it('carry the SHA-256 of the exact bytes received and verify against what was sent', async () => {
    const { sent, receipt } = await exchange();
    const opened = await verifyReceipt(
      receipt.token,
      { token: sent.token, claims: sent.claims },
      verifyCtx(),
    );
    expect(opened.claims).toMatchObject({
      iss: '320500',
      aud: '330500',
      messageId: sent.claims.jti,
      sha256: sent.sha256,
      status: 'accepted',
    });
  });

  it('do not match another message', async () => {
    const first = await exchange();
    const second = await exchange();
    await expect(
      verifyReceipt(
        second.receipt.token,
        { token: first.sent.token, claims: first.sent.claims },
        verifyCtx(),
      ),
    ).rejects.toMatchObject({ code: 'receipt_mismatch' });
  });

  it('do not match other bytes under the same message id', async () => {
    const { sent, receipt } = await exchange();
    const resigned = await sealMessage(
      {
        to: '320500',
        type: 'assistance-request',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        body: {},
        jti: sent.claims.jti,
      },
      ctx('330500', huzhou),
    );
    await expect(
      verifyReceipt(receipt.token, { token: resigned.token, claims: resigned.claims }, verifyCtx()),
    ).rejects.toMatchObject({
      code: 'receipt_mismatch',
      params: { reason: { zh: expect.stringContaining('SHA-256'), en: expect.stringContaining('SHA-256') } },
    });
  });

  it('say rejected with a bounded reason code, and nothing else in it', async () => {
    const { sent } = await exchange();
    const draft = {
      to: '330500',
      messageId: sent.claims.jti,
      sha256: sent.sha256,
      status: 'rejected',
    } as const;
    const rejected = await sealReceipt({ ...draft, reason: 'dialect_unsupported' }, ctx('320500', suzhou));
    const opened = await verifyReceipt(
      rejected.token,
      { token: sent.token, claims: sent.claims },
      verifyCtx(),
    );
    expect(opened.claims).toMatchObject({ status: 'rejected', reason: 'dialect_unsupported' });
    for (const reason of ['', 'Dialect', 'has space', 'a'.repeat(65), '拒收', 'x\n', '<b>x</b>']) {
      const payload = JSON.stringify({
        iss: '320500',
        aud: '330500',
        jti: `r-${crypto.randomUUID()}`,
        iat: clock.seconds,
        exp: clock.seconds + 600,
        ...draft,
        reason,
      });
      const token = await signRaw(
        JSON.stringify({ alg: 'EdDSA', kid: suzhou.kid, typ: 'yrdx-receipt+jwt' }),
        payload,
        suzhou.signer,
      );
      await expect(
        verifyReceipt(token, { token: sent.token, claims: sent.claims }, verifyCtx()),
        reason,
      ).rejects.toMatchObject({ code: 'jws_claim_invalid', params: { claim: 'reason' } });
    }
  });

  it('name per local system what could not be carried, bounded, and refuse a hostile list before it is stored', async () => {
    const { sent } = await exchange();
    const draft = {
      to: '330500',
      messageId: sent.claims.jti,
      sha256: sent.sha256,
      status: 'accepted',
    } as const;
    const losses = { 'hz-case': ['/parties/1', '/pollutants/0/code'] };
    const lossy = await sealReceipt(
      { ...draft, losses, lossesOmitted: { 'hz-case': 7 } },
      ctx('320500', suzhou),
    );
    const opened = await verifyReceipt(lossy.token, { token: sent.token, claims: sent.claims }, verifyCtx());
    expect(opened.claims).toMatchObject({ status: 'accepted', losses, lossesOmitted: { 'hz-case': 7 } });
    expect(storedReceiptLosses(lossy.token)).toEqual({ losses, lossesOmitted: { 'hz-case': 7 } });
    // Older receipts, without the claim, stay valid and show no losses.
    const plain = await sealReceipt(draft, ctx('320500', suzhou));
    await verifyReceipt(plain.token, { token: sent.token, claims: sent.claims }, verifyCtx());
    expect(storedReceiptLosses(plain.token)).toEqual({});

    const hostile = async (claims: Record<string, unknown>) => {
      const payload = JSON.stringify({
        iss: '320500',
        aud: '330500',
        jti: `r-${crypto.randomUUID()}`,
        iat: clock.seconds,
        exp: clock.seconds + 600,
        ...draft,
        ...claims,
      });
      const header = JSON.stringify({ alg: 'EdDSA', kid: suzhou.kid, typ: 'yrdx-receipt+jwt' });
      return verifyReceipt(
        await signRaw(header, payload, suzhou.signer),
        { token: sent.token, claims: sent.claims },
        verifyCtx(),
      );
    };
    const many = Array.from({ length: 100_000 }, (_, i) => `/parties/${i}`);
    await expect(hostile({ losses: { 'hz-case': many } })).rejects.toMatchObject({
      code: expect.stringMatching(/^jws_/),
    });
    await expect(hostile({ losses: { 'hz-case': many.slice(0, 101) } })).rejects.toMatchObject({
      code: 'jws_claim_invalid',
      params: { claim: 'losses' },
    });
    const systems = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`ls-${i}`, ['/a']]));
    for (const wrong of [
      [],
      ['/parties/1'],
      'parties',
      null,
      { 'hz-case': '/parties/1' },
      { 'hz-case': [1] },
      { 'hz-case': ['parties/1'] },
      { 'hz-case': [`/${'a'.repeat(300)}`] },
      { 'bad id': ['/a'] },
      systems,
    ])
      await expect(hostile({ losses: wrong }), JSON.stringify(wrong).slice(0, 60)).rejects.toMatchObject({
        code: 'jws_claim_invalid',
        params: { claim: 'losses' },
      });
    for (const wrong of [{ 'hz-case': 0 }, { 'hz-case': -1 }, { 'hz-case': 1.5 }, { 'hz-case': '3' }, [3]])
      await expect(hostile({ lossesOmitted: wrong }), JSON.stringify(wrong)).rejects.toMatchObject({
        code: 'jws_claim_invalid',
        params: { claim: 'lossesOmitted' },
      });
  });

  it('must come from the recipient', async () => {
    const { sent } = await exchange();
    const forged = await sealReceipt(
      { to: '330500', messageId: sent.claims.jti, sha256: sent.sha256, status: 'accepted' },
      ctx('310000', shanghai),
    );
    await expect(
      verifyReceipt(forged.token, { token: sent.token, claims: sent.claims }, verifyCtx()),
    ).rejects.toMatchObject({
      code: 'jws_issuer_mismatch',
    });
    await expect(
      verifyReceipt(forged.token, { token: sent.token, claims: sent.claims }, verifyCtx('310000')),
    ).rejects.toMatchObject({ code: 'receipt_mismatch' });
  });
});
