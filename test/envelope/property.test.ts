import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openMessage } from '../../src/envelope/open.js';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { sealMessage } from '../../src/envelope/seal.js';
import type { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { FakeClock, registryOf, type TestNode, testNode } from '../helpers/nodes.js';

const clock = new FakeClock();
let huzhou: TestNode;
let huzhouEd: TestNode;
let huzhouSm2: TestNode;
let suzhouRegistry: PartnerRegistry;

beforeAll(async () => {
  huzhou = await testNode('330500', 'ES256');
  huzhouEd = await testNode('330500', 'EdDSA', '330500-ed');
  huzhouSm2 = await testNode('330500', 'SM2', '330500-sm2');
  suzhouRegistry = await registryOf('320500', [
    {
      ...(await import('../helpers/nodes.js')).partnerConfig(huzhou),
      keys: { jwks: { keys: [huzhou.publicJwk, huzhouEd.publicJwk, huzhouSm2.publicJwk] }, pins: [] },
    },
  ]);
});

/**
 * Text mixing ASCII, CJK (incl. supplementary-plane characters), control characters, punctuation and
 * emoji — everything but NUL and lone surrogates, which no store keeps (see the refusal below).
 */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'湖州苏州上海合肥市场监督管理局案件协查食品安全号〔〕（）：；“”、。'.split('')),
    fc.constantFrom('𠀀', '𪚥', '😀', '\u0001', '\u001f', '\u2028', '"', '\\'),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 20,
});
/** NUL, or a surrogate on its own. */
const unsafe = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
}));
const body = fc.dictionary(text, jsonValue.value, { maxKeys: 6 });

const sealCtx = (node: TestNode) => ({
  self: '330500',
  signer: node.signer,
  policy: DEFAULT_POLICY,
  now: clock.now,
});
const openCtx = () => ({ self: '320500', keys: suzhouRegistry, policy: DEFAULT_POLICY, now: clock.now });
/** What a body is after any JSON round trip (-0 becomes 0). */
const normal = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('open(seal(x)) = x', () => {
  for (const alg of ['ES256', 'EdDSA', 'SM2'] as const) {
    it(`for arbitrary JSON bodies with Chinese text (${alg})`, async () => {
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const node = { ES256: huzhou, EdDSA: huzhouEd, SM2: huzhouSm2 }[alg];
          const sealed = await sealMessage(
            {
              to: '320500',
              type: 'consultation',
              domain: 'ip-protection',
              contract: 'ip-protection@1.0.0',
              body: b,
            },
            sealCtx(node),
          );
          const opened = await openMessage(sealed.token, openCtx());
          expect(opened.claims.body).toEqual(normal(b));
          expect(opened.claims).toEqual(normal(sealed.claims));
          expect(opened.sha256).toBe(sealed.sha256);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('a signed body with NUL or a lone surrogate', () => {
  it('is refused as text_invalid, in a member name or a value, at any depth', async () => {
    await fc.assert(
      fc.asyncProperty(body, text, unsafe, text, fc.boolean(), async (b, before, bad, after, asName) => {
        const spoiled = `${before}${bad}${after}`;
        const nested = asName ? { list: [{ [spoiled]: 1 }] } : { list: [{ note: spoiled }] };
        const sealed = await sealMessage(
          {
            to: '320500',
            type: 'consultation',
            domain: 'ip-protection',
            contract: 'ip-protection@1.0.0',
            body: { ...b, nested },
          },
          sealCtx(huzhou),
        );
        await expect(openMessage(sealed.token, openCtx())).rejects.toMatchObject({ code: 'text_invalid' });
      }),
      { numRuns: 100 },
    );
  });
});

describe('any single-byte change of a sealed message fails to open', () => {
  it('at every position, to any other byte', async () => {
    const sealed = await sealMessage(
      {
        to: '320500',
        type: 'assistance-request',
        domain: 'food-safety',
        contract: 'food-safety@1.0.0',
        body: { 案件编号: '湖市监案〔2026〕12号', 金额: '12000.00' },
      },
      sealCtx(huzhou),
    );
    const token = sealed.token;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (at, byte) => {
          fc.pre(token.charCodeAt(at) !== byte);
          const changed = token.slice(0, at) + String.fromCharCode(byte) + token.slice(at + 1);
          await expect(openMessage(changed, openCtx())).rejects.toMatchObject({ name: 'YrdxError' });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('including every base64url character at the last position of each part', async () => {
    const sealed = await sealMessage(
      {
        to: '320500',
        type: 'notification',
        domain: 'pollution',
        contract: 'pollution@1.0.0',
        body: { x: 1 },
      },
      sealCtx(huzhouEd),
    );
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const ends = [sealed.token.indexOf('.') - 1, sealed.token.lastIndexOf('.') - 1, sealed.token.length - 1];
    for (const at of ends) {
      for (const ch of alphabet) {
        if (sealed.token[at] === ch) continue;
        const changed = sealed.token.slice(0, at) + ch + sealed.token.slice(at + 1);
        await expect(openMessage(changed, openCtx())).rejects.toMatchObject({ name: 'YrdxError' });
      }
    }
  });
});
