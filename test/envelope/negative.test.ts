import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { type OpenContext, openMessage, openReceipt } from '../../src/envelope/open.js';
import { DEFAULT_POLICY } from '../../src/envelope/policy.js';
import { MemoryReplayGuard } from '../../src/envelope/replay.js';
import { sealMessage, sealReceipt } from '../../src/envelope/seal.js';
import {
  installSignatureEngine,
  type SignatureEngine,
  signWith,
  webCryptoSignatures,
} from '../../src/envelope/signature-engine.js';
import type { ErrorCode } from '../../src/errors/errors.js';
import { nodeSignatures } from '../../src/runtime/node/signatures.js';
import type { PartnerRegistry } from '../../src/trust/partner-registry.js';
import {
  FakeClock,
  header,
  messageClaims,
  partnerConfig,
  registryOf,
  signRaw,
  type TestNode,
  testNode,
} from '../helpers/nodes.js';

/**
 * Every rule of opening, each tried by a token built to break it. Huzhou (330500) receives; Suzhou
 * (320500) and Shanghai (310000) are registered partners; Hefei (340100) is a partner suspended by
 * the administrator; Nanjing (320100) is not registered at all.
 */
const HUZHOU = '330500';
let suzhou: TestNode;
let shanghai: TestNode;
let hefei: TestNode;
let nanjing: TestNode;
let huzhou: TestNode;
let registry: PartnerRegistry;
const clock = new FakeClock();

/**
 * The whole table runs once per algorithm of the senders (Suzhou, Hefei, Nanjing and Huzhou): ES256,
 * and SM2 of the national profile (issue 19), where every opening rule applies unchanged. Shanghai
 * signs with EdDSA in both, the partner of another key type.
 */
const SENDER_ALGORITHMS = ['ES256', 'SM2'] as const;

async function setUp(alg: SigningAlgorithm): Promise<void> {
  [suzhou, shanghai, hefei, nanjing, huzhou] = await Promise.all([
    testNode('320500', alg),
    testNode('310000', 'EdDSA'),
    testNode('340100', alg),
    testNode('320100', alg),
    testNode(HUZHOU, alg),
  ]);
  registry = await registryOf(HUZHOU, [suzhou, shanghai, partnerConfig(hefei, { status: 'suspended' })]);
}

function ctx(overrides: Partial<OpenContext> = {}): OpenContext {
  return { self: HUZHOU, keys: registry, policy: DEFAULT_POLICY, now: clock.now, ...overrides };
}

const claims = (extra: Record<string, unknown> = {}) => messageClaims('320500', HUZHOU, clock, extra);
const json = (v: unknown) => JSON.stringify(v);
/** A valid message from Suzhou. */
const valid = () => signRaw(json(header(suzhou)), json(claims()), suzhou.signer);
const replacePart = (token: string, index: number, text: string) => {
  const parts = token.split('.');
  parts[index] = text;
  return parts.join('.');
};

/** Signs the given base64url parts as they are (even when one is not canonical). */
async function signParts(headerPart: string, payloadPart: string, signer: TestNode['signer']) {
  const input = `${headerPart}.${payloadPart}`;
  const sig = await signWith(signer.alg, signer.key, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(sig).toString('base64url')}`;
}

/** Claims whose JSON is 1 mod 3 bytes long, so that the last base64url character has unused bits. */
function claimsWithSpareBits(): string {
  let text = json(claims());
  while (new TextEncoder().encode(text).length % 3 !== 1) text += ' ';
  return text;
}

interface Case {
  readonly name: string;
  readonly code: ErrorCode;
  readonly token: () => Promise<string> | string;
  readonly ctx?: () => Partial<OpenContext>;
}

const cases: Case[] = [
  // size, before any decoding
  {
    name: 'a token over the size limit, even one that is not a JWS',
    code: 'jws_too_large',
    token: () => '!'.repeat(1024 * 1024 + 1),
  },
  {
    name: 'a valid token over a configured smaller limit',
    code: 'jws_too_large',
    token: valid,
    ctx: () => ({ policy: { ...DEFAULT_POLICY, maxTokenBytes: 100 } }),
  },
  // strict compact serialisation
  {
    name: 'two parts',
    code: 'jws_not_compact',
    token: async () => (await valid()).split('.').slice(0, 2).join('.'),
  },
  { name: 'four parts', code: 'jws_not_compact', token: async () => `${await valid()}.AAAA` },
  { name: 'five parts (JWE form)', code: 'jws_not_compact', token: async () => `${await valid()}.AAAA.AAAA` },
  {
    name: 'an empty payload (detached)',
    code: 'jws_not_compact',
    token: async () => replacePart(await valid(), 1, ''),
  },
  {
    name: 'an empty signature',
    code: 'jws_not_compact',
    token: async () => replacePart(await valid(), 2, ''),
  },
  { name: 'padding on the signature', code: 'jws_not_compact', token: async () => `${await valid()}=` },
  {
    name: 'padding on the header',
    code: 'jws_not_compact',
    token: async () => {
      const t = await valid();
      const [h, ...rest] = t.split('.');
      return [`${h}==`, ...rest].join('.');
    },
  },
  { name: 'a trailing newline', code: 'jws_not_compact', token: async () => `${await valid()}\n` },
  { name: 'a leading space', code: 'jws_not_compact', token: async () => ` ${await valid()}` },
  {
    name: 'a line break inside the payload',
    code: 'jws_not_compact',
    token: async () => {
      const t = await valid();
      const i = t.indexOf('.') + 10;
      return `${t.slice(0, i)}\r\n${t.slice(i)}`;
    },
  },
  {
    name: 'a tab inside the signature',
    code: 'jws_not_compact',
    token: async () => {
      const t = await valid();
      return `${t.slice(0, -5)}\t${t.slice(-5)}`;
    },
  },
  {
    name: 'standard base64 characters (+ and /)',
    code: 'jws_not_compact',
    token: async () => {
      const t = await valid();
      return `${t.slice(0, -2)}+/`;
    },
  },
  {
    name: 'a Chinese character',
    code: 'jws_not_compact',
    token: async () => {
      const t = await valid();
      return `${t.slice(0, -1)}签`;
    },
  },
  {
    name: 'the flattened JSON serialisation',
    code: 'jws_not_compact',
    token: async () => {
      const [p, payload, signature] = (await valid()).split('.');
      return json({ protected: p, payload, signature });
    },
  },
  { name: 'not a string at all', code: 'jws_not_compact', token: () => 42 as unknown as string },
  {
    name: 'a signature whose last character differs only in unused bits',
    code: 'jws_base64url_noncanonical',
    token: async () => {
      const t = await valid();
      const last = t.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = alphabet[alphabet.indexOf(last) ^ 1]!; // 86 chars: 4 unused low bits
      return `${t.slice(0, -1)}${twin}`;
    },
  },
  {
    name: 'a part whose length is 1 mod 4',
    code: 'jws_base64url_noncanonical',
    token: async () => `${await valid()}AAA`,
  },
  // protected header
  {
    name: 'a header that is not JSON',
    code: 'jws_header_invalid',
    token: async () => replacePart(await valid(), 0, encodeBase64UrlText('{alg:ES256}')),
  },
  {
    name: 'a header that is a JSON array',
    code: 'jws_header_invalid',
    token: async () => replacePart(await valid(), 0, encodeBase64UrlText('["ES256"]')),
  },
  {
    name: 'a header that is not UTF-8',
    code: 'jws_header_invalid',
    token: async () => replacePart(await valid(), 0, Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')),
  },
  {
    name: 'a header with a duplicate member (alg twice)',
    code: 'jws_header_duplicate_member',
    token: () =>
      signRaw(
        `{"alg":"${suzhou.alg}","kid":"${suzhou.kid}","typ":"yrdx+jwt","alg":"none"}`,
        json(claims()),
        suzhou.signer,
      ),
  },
  {
    name: 'a header with a duplicate member spelled with an escape',
    code: 'jws_header_duplicate_member',
    token: () =>
      signRaw(
        `{"alg":"${suzhou.alg}","kid":"${suzhou.kid}","typ":"yrdx+jwt","\\u0074yp":"yrdx+jwt"}`,
        json(claims()),
        suzhou.signer,
      ),
  },
  {
    name: 'an embedded jwk',
    code: 'jws_header_embedded_key',
    token: () => signRaw(json(header(suzhou, { jwk: suzhou.publicJwk })), json(claims()), suzhou.signer),
  },
  {
    name: 'a jku',
    code: 'jws_header_embedded_key',
    token: () =>
      signRaw(json(header(suzhou, { jku: 'https://attacker.example/jwks' })), json(claims()), suzhou.signer),
  },
  {
    name: 'an x5u',
    code: 'jws_header_embedded_key',
    token: () =>
      signRaw(json(header(suzhou, { x5u: 'https://attacker.example/cert' })), json(claims()), suzhou.signer),
  },
  {
    name: 'an x5c',
    code: 'jws_header_embedded_key',
    token: () => signRaw(json(header(suzhou, { x5c: ['MIIB'] })), json(claims()), suzhou.signer),
  },
  {
    name: 'an unknown crit extension',
    code: 'jws_crit_unsupported',
    token: () => signRaw(json(header(suzhou, { crit: ['exp'], exp: 1 })), json(claims()), suzhou.signer),
  },
  {
    name: 'crit with b64=false',
    code: 'jws_crit_unsupported',
    token: () => signRaw(json(header(suzhou, { crit: ['b64'], b64: false })), json(claims()), suzhou.signer),
  },
  {
    name: 'a header parameter the protocol does not use',
    code: 'jws_header_param_unknown',
    token: () => signRaw(json(header(suzhou, { cty: 'JWT' })), json(claims()), suzhou.signer),
  },
  // typ
  {
    name: 'no typ',
    code: 'jws_typ_mismatch',
    token: () => signRaw(json({ alg: suzhou.alg, kid: suzhou.kid }), json(claims()), suzhou.signer),
  },
  {
    name: 'typ JWT',
    code: 'jws_typ_mismatch',
    token: () => signRaw(json(header(suzhou, { typ: 'JWT' })), json(claims()), suzhou.signer),
  },
  {
    name: 'a receipt opened as a message',
    code: 'jws_typ_mismatch',
    token: () => signRaw(json(header(suzhou, { typ: 'yrdx-receipt+jwt' })), json(claims()), suzhou.signer),
  },
  // kid and algorithm
  {
    name: 'no kid',
    code: 'jws_kid_missing',
    token: () => signRaw(json({ alg: suzhou.alg, typ: 'yrdx+jwt' }), json(claims()), suzhou.signer),
  },
  {
    name: 'alg none with an empty signature',
    code: 'jws_not_compact',
    token: () =>
      `${encodeBase64UrlText(json(header(suzhou, { alg: 'none' })))}.${encodeBase64UrlText(json(claims()))}.`,
  },
  {
    name: 'alg none with a signature',
    code: 'jws_alg_not_allowed',
    token: () =>
      `${encodeBase64UrlText(json(header(suzhou, { alg: 'none' })))}.${encodeBase64UrlText(json(claims()))}.AAAA`,
  },
  {
    name: 'HS256 signed with the partner’s public key as the HMAC secret',
    code: 'jws_alg_not_allowed',
    token: () => {
      const input = `${encodeBase64UrlText(json(header(suzhou, { alg: 'HS256' })))}.${encodeBase64UrlText(json(claims()))}`;
      const secret = JSON.stringify(suzhou.publicJwk);
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    },
  },
  {
    name: 'PS256 when the policy does not allow it',
    code: 'jws_alg_not_allowed',
    token: () => signRaw(json(header(suzhou, { alg: 'PS256' })), json(claims()), suzhou.signer),
  },
  {
    name: 'EdDSA in the header for a key of another type',
    code: 'jws_alg_key_mismatch',
    token: () => signRaw(json(header(suzhou, { alg: 'EdDSA' })), json(claims()), shanghai.signer),
  },
  // payload
  {
    name: 'a payload that is not JSON',
    code: 'jws_payload_invalid',
    token: () => signRaw(json(header(suzhou)), 'iss=320500', suzhou.signer),
  },
  {
    name: 'a payload that is a JSON array',
    code: 'jws_payload_invalid',
    token: () => signRaw(json(header(suzhou)), '[1,2]', suzhou.signer),
  },
  {
    name: 'a payload with a duplicate member (aud twice)',
    code: 'jws_payload_duplicate_member',
    token: () =>
      signRaw(
        json(header(suzhou)),
        json(claims()).replace('"aud":"330500"', '"aud":"330500","aud":"320100"'),
        suzhou.signer,
      ),
  },
  {
    name: 'a body nested deeper than the limit',
    code: 'jws_json_too_deep',
    token: () => {
      let deep: unknown = '底';
      for (let i = 0; i < 40; i++) deep = { d: deep };
      return signRaw(json(header(suzhou)), json(claims({ body: deep })), suzhou.signer);
    },
  },
  // issuer and key resolution
  {
    name: 'an issuer that is not a partner',
    code: 'jws_unknown_issuer',
    token: () => signRaw(json(header(nanjing)), json(messageClaims('320100', HUZHOU, clock)), nanjing.signer),
  },
  {
    name: 'a suspended partner',
    code: 'jws_partner_suspended',
    token: () => signRaw(json(header(hefei)), json(messageClaims('340100', HUZHOU, clock)), hefei.signer),
  },
  {
    name: 'a kid that belongs to another partner (Shanghai’s key, iss Suzhou)',
    code: 'jws_unknown_key',
    token: () => signRaw(json(header(shanghai)), json(claims()), shanghai.signer),
  },
  {
    name: 'Suzhou’s kid on a token signed by an unregistered key',
    code: 'jws_signature_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims()), nanjing.signer),
  },
  {
    name: 'an iss that is not a string',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ iss: 320500 })), suzhou.signer),
  },
  {
    name: 'an issuer other than the one expected',
    code: 'jws_issuer_mismatch',
    token: valid,
    ctx: () => ({ expectedIssuer: '310000' }),
  },
  // signature
  {
    name: 'a signature of the wrong length',
    code: 'jws_signature_invalid',
    token: async () => replacePart(await valid(), 2, 'AAAA'),
  },
  {
    name: 'a payload swapped under a valid signature',
    code: 'jws_signature_invalid',
    token: async () =>
      replacePart(await valid(), 1, encodeBase64UrlText(json(claims({ body: { note: '已篡改' } })))),
  },
  // the signature before the payload: a forged token is refused for its signature, and its payload is
  // never decoded — neither its base64url nor its JSON
  {
    name: 'a forged signature over a payload that is not even base64url-decodable',
    code: 'jws_signature_invalid',
    token: async () =>
      `${encodeBase64UrlText(json(header(suzhou)))}.${'A'.repeat(4 * 150_000 + 1)}.${(await valid()).split('.')[2]}`,
  },
  {
    name: 'a forged signature over a payload that is not JSON',
    code: 'jws_signature_invalid',
    token: async () => replacePart(await valid(), 1, encodeBase64UrlText('{"iss":"320500", not json')),
  },
  {
    name: 'a forged signature over a payload naming an issuer that is not a partner',
    code: 'jws_signature_invalid',
    token: () => signRaw(json(header(suzhou)), json(messageClaims('320100', HUZHOU, clock)), nanjing.signer),
  },
  {
    name: 'a signed payload whose base64url is not canonical (non-zero trailing bits)',
    code: 'jws_base64url_noncanonical',
    token: () => {
      const part = encodeBase64UrlText(claimsWithSpareBits());
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = alphabet[alphabet.indexOf(part.at(-1)!) ^ 1]!;
      return signParts(
        encodeBase64UrlText(json(header(suzhou))),
        `${part.slice(0, -1)}${twin}`,
        suzhou.signer,
      );
    },
  },
  {
    name: 'a large payload under a kid that no partner has is not read to name its issuer',
    code: 'jws_unknown_key',
    token: () =>
      signRaw(
        json(header(nanjing)),
        json(messageClaims('320100', HUZHOU, clock, { body: { pad: '填'.repeat(30_000) } })),
        nanjing.signer,
      ),
  },
  // text no store keeps, in a signed token
  {
    name: 'NUL in a signed body',
    code: 'text_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ body: { note: '协\u0000查' } })), suzhou.signer),
  },
  {
    name: 'a lone surrogate escape in a signed body',
    code: 'text_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims()).replace('请协查', '\\ud800'), suzhou.signer),
  },
  {
    name: 'NUL escaped in a member name of a signed body',
    code: 'text_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ body: { 'a\u0000': 1 } })), suzhou.signer),
  },
  {
    name: 'NUL in the kid',
    code: 'text_invalid',
    token: () => signRaw(json(header(suzhou, { kid: `${suzhou.kid}\u0000` })), json(claims()), suzhou.signer),
  },
  // time, lifetime and audience
  {
    name: 'expired beyond the skew',
    code: 'jws_expired',
    token: () =>
      signRaw(
        json(header(suzhou)),
        json(claims({ iat: clock.seconds - 7200, exp: clock.seconds - 61 })),
        suzhou.signer,
      ),
  },
  {
    name: 'issued in the future beyond the skew',
    code: 'jws_not_yet_valid',
    token: () =>
      signRaw(
        json(header(suzhou)),
        json(claims({ iat: clock.seconds + 61, exp: clock.seconds + 3600 })),
        suzhou.signer,
      ),
  },
  {
    name: 'nbf in the future beyond the skew',
    code: 'jws_not_yet_valid',
    token: () => signRaw(json(header(suzhou)), json(claims({ nbf: clock.seconds + 120 })), suzhou.signer),
  },
  {
    name: 'a lifetime over the maximum',
    code: 'jws_lifetime_exceeded',
    token: () =>
      signRaw(json(header(suzhou)), json(claims({ exp: clock.seconds + 8 * 86400 })), suzhou.signer),
  },
  {
    name: 'no exp',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ exp: undefined })), suzhou.signer),
  },
  {
    name: 'exp before iat',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ exp: clock.seconds - 1 })), suzhou.signer),
  },
  {
    name: 'a fractional iat',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ iat: clock.seconds + 0.5 })), suzhou.signer),
  },
  {
    name: 'an audience without this node',
    code: 'jws_audience_mismatch',
    token: () => signRaw(json(header(suzhou)), json(claims({ aud: ['310000', '340100'] })), suzhou.signer),
  },
  {
    name: 'an empty audience list',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ aud: [] })), suzhou.signer),
  },
  // message claims
  {
    name: 'a message type that is not a name',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ type: 'Gossip!' })), suzhou.signer),
  },
  {
    name: 'a contract of another domain',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ contract: 'pollution@1.0.0' })), suzhou.signer),
  },
  {
    name: 'a body that is not an object',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ body: '案件' })), suzhou.signer),
  },
  {
    name: 'an origin that is not a local system id',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ origin: '案件系统/../x' })), suzhou.signer),
  },
  {
    name: 'an origin that is not a string',
    code: 'jws_claim_invalid',
    token: () => signRaw(json(header(suzhou)), json(claims({ origin: 42 })), suzhou.signer),
  },
  {
    name: 'an attachment without a digest',
    code: 'jws_claim_invalid',
    token: () =>
      signRaw(
        json(header(suzhou)),
        json(claims({ attachments: [{ name: 'a.pdf', mediaType: 'application/pdf', size: 1 }] })),
        suzhou.signer,
      ),
  },
];

describe.each(SENDER_ALGORITHMS)('senders signing with %s', (alg) => {
  beforeAll(() => setUp(alg));

  it('the valid token of this run is signed with it, and opens', async () => {
    const token = await valid();
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg });
    await expect(openMessage(token, ctx())).resolves.toMatchObject({ alg });
  });

  describe('opening refuses every rule-breaking token with its own code', () => {
    // Every rule against both signature engines: Web Crypto (Workers, and Node by default) and Node's
    // native one, which the Node runtime installs.
    describe.each([
      ['Web Crypto', webCryptoSignatures],
      ['Node native', nodeSignatures],
    ] as const)('with %s signatures', (_name, engine) => {
      let previous: SignatureEngine;
      beforeAll(() => {
        previous = installSignatureEngine(engine);
      });
      afterAll(() => {
        installSignatureEngine(previous);
      });
      it.each(cases)('$name → $code', async ({ token, code, ctx: extra }) => {
        const t = await token();
        await expect(openMessage(t, ctx(extra?.()))).rejects.toMatchObject({ code });
      });
    });

    it('covers every opening rule at least once', () => {
      const covered = new Set(cases.map((c) => c.code));
      for (const code of [
        'jws_too_large',
        'jws_not_compact',
        'jws_base64url_noncanonical',
        'jws_header_invalid',
        'jws_header_duplicate_member',
        'jws_header_embedded_key',
        'jws_crit_unsupported',
        'jws_header_param_unknown',
        'jws_typ_mismatch',
        'jws_kid_missing',
        'jws_alg_not_allowed',
        'jws_alg_key_mismatch',
        'jws_payload_invalid',
        'jws_payload_duplicate_member',
        'jws_json_too_deep',
        'jws_unknown_issuer',
        'jws_partner_suspended',
        'jws_unknown_key',
        'jws_signature_invalid',
        'jws_expired',
        'jws_not_yet_valid',
        'jws_lifetime_exceeded',
        'jws_audience_mismatch',
        'jws_claim_invalid',
        'jws_issuer_mismatch',
      ] as const) {
        expect(covered, code).toContain(code);
      }
    });
  });

  describe('rules that need more than one token', () => {
    it('opens the origin claim (the sender’s local system) when it is a local system id', async () => {
      const token = await signRaw(
        json(header(suzhou)),
        json(claims({ origin: 'suzhou-case' })),
        suzhou.signer,
      );
      await expect(openMessage(token, ctx())).resolves.toMatchObject({ claims: { origin: 'suzhou-case' } });
    });

    it('accepts tokens within the clock skew on either side', async () => {
      const late = await signRaw(
        json(header(suzhou)),
        json(claims({ iat: clock.seconds - 3600, exp: clock.seconds - 59 })),
        suzhou.signer,
      );
      const early = await signRaw(
        json(header(suzhou)),
        json(claims({ iat: clock.seconds + 59, exp: clock.seconds + 3600 })),
        suzhou.signer,
      );
      await expect(openMessage(late, ctx())).resolves.toMatchObject({ claims: { iss: '320500' } });
      await expect(openMessage(early, ctx())).resolves.toMatchObject({ claims: { iss: '320500' } });
    });

    it('uses a configurable skew', async () => {
      const late = await signRaw(
        json(header(suzhou)),
        json(claims({ iat: clock.seconds - 3600, exp: clock.seconds - 100 })),
        suzhou.signer,
      );
      await expect(openMessage(late, ctx())).rejects.toMatchObject({ code: 'jws_expired' });
      await expect(
        openMessage(late, ctx({ policy: { ...DEFAULT_POLICY, clockSkewSeconds: 120 } })),
      ).resolves.toBeDefined();
    });

    it('keys replay on (iss, jti), never on the token string', async () => {
      const replay = new MemoryReplayGuard(clock.now);
      const body = claims({ jti: 'REPLAY-1' });
      const first = await signRaw(json(header(suzhou)), json(body), suzhou.signer);
      // ECDSA signatures are randomised: the same claims signed again are different bytes.
      const resigned = await signRaw(json(header(suzhou)), json(body), suzhou.signer);
      expect(resigned).not.toBe(first);
      await expect(openMessage(first, { ...ctx(), replay })).resolves.toMatchObject({ replay: 'first' });
      await expect(openMessage(first, { ...ctx(), replay })).resolves.toMatchObject({ replay: 'duplicate' });
      await expect(openMessage(resigned, { ...ctx(), replay })).rejects.toMatchObject({
        code: 'jws_replayed',
        status: 409,
      });
      const changed = await signRaw(
        json(header(suzhou)),
        json({ ...body, body: { note: '另一内容' } }),
        suzhou.signer,
      );
      await expect(openMessage(changed, { ...ctx(), replay })).rejects.toMatchObject({
        code: 'jws_replayed',
      });
      // the same jti from another issuer is another message
      const fromShanghai = await signRaw(
        json(header(shanghai)),
        json(messageClaims('310000', HUZHOU, clock, { jti: 'REPLAY-1' })),
        shanghai.signer,
      );
      await expect(openMessage(fromShanghai, { ...ctx(), replay })).resolves.toMatchObject({
        replay: 'first',
      });
    });

    it('does not remember tokens that fail verification', async () => {
      const replay = new MemoryReplayGuard(clock.now);
      const forged = await signRaw(json(header(suzhou)), json(claims({ jti: 'FORGED-1' })), nanjing.signer);
      await expect(openMessage(forged, { ...ctx(), replay })).rejects.toMatchObject({
        code: 'jws_signature_invalid',
      });
      expect(replay.size).toBe(0);
    });

    it('refuses a key whose pinned registration has expired', async () => {
      const pinned = await registryOf(HUZHOU, [
        partnerConfig(suzhou, {
          keys: {
            jwks: { keys: [suzhou.publicJwk] },
            pins: [{ thumbprint: suzhou.thumbprint, notAfter: clock.seconds - 120 }],
          },
        }),
      ]);
      await expect(openMessage(await valid(), ctx({ keys: pinned }))).rejects.toMatchObject({
        code: 'jws_key_expired',
      });
    });

    it('accepts PS256 only when configured', async () => {
      const rsa = await testNode('320200', 'PS256');
      const reg = await registryOf(HUZHOU, [rsa]);
      const token = await signRaw(
        json(header(rsa)),
        json(messageClaims('320200', HUZHOU, clock)),
        rsa.signer,
      );
      await expect(openMessage(token, ctx({ keys: reg }))).rejects.toMatchObject({
        code: 'jws_alg_not_allowed',
      });
      const allowPs = { ...DEFAULT_POLICY, algorithms: ['ES256', 'EdDSA', 'PS256'] as const };
      await expect(openMessage(token, ctx({ keys: reg, policy: allowPs }))).resolves.toMatchObject({
        alg: 'PS256',
      });
    });

    it('never opens a message as a receipt', async () => {
      await expect(openReceipt(await valid(), ctx())).rejects.toMatchObject({ code: 'jws_typ_mismatch' });
    });

    it('never opens a receipt as a message', async () => {
      const sealCtx = { self: '320500', signer: suzhou.signer, policy: DEFAULT_POLICY, now: clock.now };
      const receipt = await sealReceipt(
        { to: HUZHOU, messageId: 'M1', sha256: 'a'.repeat(64), status: 'accepted' },
        sealCtx,
      );
      await expect(openMessage(receipt.token, ctx())).rejects.toMatchObject({ code: 'jws_typ_mismatch' });
      await expect(openReceipt(receipt.token, ctx())).resolves.toMatchObject({ claims: { messageId: 'M1' } });
    });

    it('opens what Huzhou seals only at the addressed node', async () => {
      const suzhouRegistry = await registryOf('320500', [huzhou]);
      const sealed = await sealMessage(
        {
          to: '320500',
          type: 'notification',
          domain: 'pollution',
          contract: 'pollution@1.0.0',
          body: { a: 1 },
        },
        { self: HUZHOU, signer: huzhou.signer, policy: DEFAULT_POLICY, now: clock.now },
      );
      const opened = await openMessage(sealed.token, {
        self: '320500',
        keys: suzhouRegistry,
        policy: DEFAULT_POLICY,
        now: clock.now,
      });
      expect(opened.claims.body).toEqual({ a: 1 });
      await expect(
        openMessage(sealed.token, {
          self: '310000',
          keys: suzhouRegistry,
          policy: DEFAULT_POLICY,
          now: clock.now,
        }),
      ).rejects.toMatchObject({ code: 'jws_audience_mismatch' });
    });
  });
});
