import { sm2 as smV2 } from 'sm-crypto-v2';
import { importSm2PublicJwk, sm2Verify } from '../../src/crypto/gm/index.js';
import type { SigningAlgorithm } from '../../src/envelope/algorithms.js';
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '../../src/envelope/base64url.js';
import { type Sha256, sm3Digest, toHex } from '../../src/envelope/digest.js';
import { openMessage } from '../../src/envelope/open.js';
import { DEFAULT_POLICY, MESSAGE_TYP } from '../../src/envelope/policy.js';
import { type MessageDraft, sealMessage } from '../../src/envelope/seal.js';
import { ulid } from '../../src/envelope/ulid.js';
import { generatePrivateJwk, importSigner, publicPart } from '../../src/keys/jwk.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';

/**
 * The envelope benchmark's three sides, shared by the Node benchmark and the workerd Worker: one
 * message sealed and opened by yrdx with SM2 (as a node of the national profile does it: SM3 digests
 * of the token), the same by yrdx with ES256, and the equivalent work done with sm-crypto-v2 — the
 * same protected header and claims, JSON and base64url as yrdx does them (its own functions), the
 * JWS signing input signed with SM3/SM2 under the default identity, then split, verified and decoded.
 * The baseline does less than yrdx: no opening rules, no claim checks, no key lookup, no digest of
 * the token.
 */
export type EnvelopeSide = 'yrdx SM2' | 'yrdx ES256' | 'sm-crypto-v2';

export const ENVELOPE_SIDES: readonly EnvelopeSide[] = ['yrdx SM2', 'sm-crypto-v2', 'yrdx ES256'];

/** A food-safety assistance request of the size yrdx carries (about 1.5 KB of mostly Chinese text). */
const BODY = {
  caseNumber: '湖市监案〔2026〕0123号',
  cause: '经营标签不符合规定的预包装食品',
  parties: [{ kind: 'organisation', name: '湖州某某食品有限公司', uscc: '91330502MA2B12345X' }],
  facts:
    '2026年5月16日，执法人员对当事人经营场所进行检查，发现其销售的某品牌糕点标签未标注生产日期，涉嫌违反《中华人民共和国食品安全法》第六十七条的规定。经抽样检验，样品菌落总数不符合食品安全国家标准。该批次产品由苏州市某食品厂生产，现请求协助调查生产企业的进货查验记录、出厂检验记录及销售去向。',
  legalBasis: ['《中华人民共和国食品安全法》第六十七条', '《中华人民共和国食品安全法》第一百二十五条'],
  requestedActions: ['调取进货查验记录', '调取出厂检验记录', '核查销售去向', '反馈处理结果'],
  handlingAgency: '湖州市市场监督管理局',
  contact: { name: '王某', phone: '0572-0000000' },
  dueDate: '2026-06-16',
};

const DRAFT: MessageDraft = {
  to: '320500',
  type: 'assistance-request',
  domain: 'food-safety',
  contract: 'food-safety@1.0.0',
  body: BODY,
};

async function yrdxSide(alg: SigningAlgorithm, digest: Sha256 | undefined): Promise<() => Promise<void>> {
  const privateJwk = (await generatePrivateJwk(alg)) as Record<string, unknown>;
  const kid = `330500-bench-${alg}`;
  const signer = await importSigner(privateJwk, kid);
  const keys = await PartnerRegistry.create(
    [
      {
        id: '330500',
        name: '湖州市',
        baseUrl: 'https://h.example',
        status: 'active',
        subscribes: [],
        keys: {
          jwks: { keys: [{ ...(publicPart(privateJwk) as Record<string, unknown>), kid, alg }] },
          pins: [],
        },
        maySend: { domains: DOMAINS, types: MESSAGE_TYPES },
      },
    ],
    { file: 'bench', ownId: '320500', ownThumbprints: [] },
  );
  const sha = digest === undefined ? {} : { sha256: digest };
  const seal = { self: '330500', signer, policy: DEFAULT_POLICY, now: Date.now, ...sha };
  const open = { self: '320500', keys, policy: DEFAULT_POLICY, now: Date.now, ...sha };
  return async () => {
    const sealed = await sealMessage(DRAFT, seal);
    const opened = await openMessage(sealed.token, open);
    if (opened.claims.jti !== sealed.claims.jti) throw new Error('yrdx');
  };
}

const bytesOf = (part: string) => decodeBase64Url(part) as Uint8Array;
const hexOf = (part: unknown) => toHex(bytesOf(part as string));
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

async function smCryptoV2Side(): Promise<() => Promise<void>> {
  const jwk = (await generatePrivateJwk('SM2')) as Record<string, unknown>;
  const dHex = hexOf(jwk.d);
  const publicHex = `04${hexOf(jwk.x)}${hexOf(jwk.y)}`;
  const ascii = new TextEncoder();
  const text = new TextDecoder();
  // Encoded once, as yrdx encodes a key's protected header once.
  const header = encodeBase64UrlText(
    JSON.stringify({ alg: 'SM2', kid: '330500-bench-v2', typ: MESSAGE_TYP }),
  );
  const run = async (): Promise<string> => {
    // Seal: the claims yrdx seals, as JSON, base64url, signed over the signing input.
    const nowMs = Date.now();
    const iat = Math.floor(nowMs / 1000);
    const jti = ulid(nowMs);
    const claims = {
      iss: '330500',
      aud: DRAFT.to,
      jti,
      iat,
      exp: iat + DEFAULT_POLICY.messageLifetimeSeconds,
      type: DRAFT.type,
      domain: DRAFT.domain,
      contract: DRAFT.contract,
      thread: jti,
      body: DRAFT.body,
    };
    const input = `${header}.${encodeBase64UrlText(JSON.stringify(claims))}`;
    const signature = smV2.doSignature(ascii.encode(input), dHex, {
      hash: true,
      der: false,
      publicKey: publicHex,
    });
    const token = `${input}.${encodeBase64Url(fromHex(signature))}`;
    // Open: split, read the header, verify the signature over the signing input, decode the payload.
    const [h, p, s] = token.split('.') as [string, string, string];
    if (JSON.parse(text.decode(bytesOf(h))).alg !== 'SM2') throw new Error('sm-crypto-v2 header');
    if (
      !smV2.doVerifySignature(ascii.encode(`${h}.${p}`), toHex(bytesOf(s)), publicHex, {
        hash: true,
        der: false,
      })
    )
      throw new Error('sm-crypto-v2 verify');
    if (JSON.parse(text.decode(bytesOf(p))).jti !== jti) throw new Error('sm-crypto-v2 payload');
    return token;
  };
  // The same work: what the baseline signs is an SM2 signature under the default identity that yrdx
  // verifies over the same signing input (checked once per run, before anything is timed).
  const [h, p, s] = (await run()).split('.') as [string, string, string];
  if (!sm2Verify(importSm2PublicJwk(publicPart(jwk)), ascii.encode(`${h}.${p}`), bytesOf(s)))
    throw new Error('sm-crypto-v2 does not make the signature yrdx verifies');
  return async () => {
    await run();
  };
}

/**
 * The three sides, keys generated now. `es256Digest` is the token digest the runtime's ES256 node
 * uses (Node's synchronous SHA-256 on Node; Web Crypto's by default); the SM2 side uses SM3, as a
 * node of the national profile does.
 */
export async function envelopeSubjects(
  options: { readonly es256Digest?: Sha256 } = {},
): Promise<Record<EnvelopeSide, () => Promise<void>>> {
  return {
    'yrdx SM2': await yrdxSide('SM2', sm3Digest),
    'sm-crypto-v2': await smCryptoV2Side(),
    'yrdx ES256': await yrdxSide('ES256', options.es256Digest),
  };
}
