/**
 * JWK handling: import, generation, export and RFC 7638 thumbprints are jose's for the Web Crypto
 * algorithms and src/crypto/gm's for SM2 (jose and Web Crypto have no SM2); which keys yrdx accepts
 * (`describeKeyFault`) and the public part it publishes stay here, as jose has neither.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { GmCryptoError } from '../crypto/gm/errors.js';
import { exportSm2PrivateJwk, importSm2PrivateJwk, importSm2PublicJwk } from '../crypto/gm/jwk.js';
import { Sm2PrivateKey } from '../crypto/gm/keys.js';
import { algorithmForKey, MIN_RSA_BITS, type SigningAlgorithm } from '../envelope/algorithms.js';
import { decodeBase64Url } from '../envelope/base64url.js';
import type { Signer } from '../envelope/seal.js';
import type { SigningKey, VerifyingKey } from '../envelope/signature-engine.js';
import type { PublicJwk, VerificationKey } from '../envelope/verification-key.js';
import { YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';
import { keyReason } from './text.js';

/** Members that only a private JWK has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The members that define a public key of each type (RFC 7638 §3.2), in lexicographic order. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/** Why a JWK cannot be a yrdx signing key, in both languages. */
export type JwkFault = LocalText;

/** Why a JWK cannot be a yrdx signing key, or undefined when it can. */
export function describeKeyFault(
  jwk: Record<string, unknown>,
  expect: 'public' | 'private',
): JwkFault | undefined {
  const alg = algorithmForKey(jwk);
  if (alg === undefined) return keyReason('keyType');
  for (const member of PUBLIC_MEMBERS[jwk.kty as string]!) {
    if (typeof jwk[member] !== 'string' || (jwk[member] as string).length === 0)
      return keyReason('memberMissing', { member });
  }
  if (jwk.alg !== undefined && jwk.alg !== alg)
    return keyReason('algMismatch', { alg: String(jwk.alg), kty: String(jwk.kty) });
  if (jwk.use !== undefined && jwk.use !== 'sig') return keyReason('use');
  const hasPrivate = PRIVATE_MEMBERS.some((m) => jwk[m] !== undefined);
  if (expect === 'public' && hasPrivate) return keyReason('privateMaterial');
  if (expect === 'private' && typeof jwk.d !== 'string') return keyReason('noPrivatePart');
  if (alg === 'PS256') {
    const n = decodeBase64Url(String(jwk.n));
    if (typeof n === 'string' || n.length * 8 < MIN_RSA_BITS)
      return keyReason('rsaBits', { bits: MIN_RSA_BITS });
  }
  return undefined;
}

/** The public members of a key, for publishing. */
export function publicPart(jwk: Readonly<Record<string, unknown>>): JsonWebKey {
  const out: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS[jwk.kty as string] ?? []) out[member] = jwk[member];
  return out as JsonWebKey;
}

/**
 * RFC 7638 JWK thumbprint with SHA-256, base64url, of a key `describeKeyFault` accepts (an SM2 key's
 * over `crv, kty, x, y` too: the thumbprint names the key, whatever algorithm it signs with). Like
 * jose's for the other keys, it hashes the members as given and validates nothing: a key off its
 * curve is refused by its import (`key_import_refused`, naming its kid), never by its thumbprint.
 */
export async function thumbprint(jwk: Readonly<Record<string, unknown>>): Promise<string> {
  // jose's EC thumbprint hashes crv, kty, x and y as given, whatever the curve's name: for a valid SM2
  // key it is src/crypto/gm's sm2JwkThumbprint (test/crypto/jws-sm2-interop.test.ts checks both).
  if (algorithmForKey(jwk) === 'SM2') return calculateJwkThumbprint(publicPart(jwk) as JWK, 'sha256');
  return calculateJwkThumbprint(jwk as JWK, 'sha256');
}

/** Imports a checked public JWK as a verification key owned by `owner`. */
export async function importVerificationKey(
  jwk: Readonly<Record<string, unknown>> & { readonly kid: string },
  owner: string,
  notAfter?: number,
): Promise<VerificationKey> {
  const alg = algorithmForKey(jwk) as SigningAlgorithm;
  const material = publicPart(jwk);
  const key: VerifyingKey =
    alg === 'SM2'
      ? sm2OrRefuse(jwk.kid, () => importSm2PublicJwk(material))
      : await importOrRefuse(jwk.kid, material, alg);
  return {
    kid: jwk.kid,
    alg,
    key,
    thumbprint: await thumbprint(material as Record<string, unknown>),
    jwk: { ...material, kid: jwk.kid, alg, use: 'sig' } as PublicJwk,
    owner,
    ...(notAfter === undefined ? {} : { notAfter }),
  };
}

/** Imports a checked private JWK as a non-extractable signer. */
export async function importSigner(jwk: Readonly<Record<string, unknown>>, kid: string): Promise<Signer> {
  const alg = algorithmForKey(jwk) as SigningAlgorithm;
  const material: Record<string, unknown> = publicPart(jwk) as Record<string, unknown>;
  for (const m of PRIVATE_MEMBERS) if (jwk[m] !== undefined) material[m] = jwk[m];
  const key: SigningKey =
    alg === 'SM2'
      ? sm2OrRefuse(kid, () => importSm2PrivateJwk(material))
      : await importOrRefuse(kid, material as JsonWebKey, alg);
  return { kid, alg, key };
}

/** src/crypto/gm's refusal of an SM2 key (off the curve, wrong length, d not matching x and y) as a problem. */
function sm2OrRefuse<T>(kid: string, load: () => T): T {
  try {
    return load();
  } catch (cause) {
    if (!(cause instanceof GmCryptoError)) throw cause;
    const reason = keyReason('importRefused', { message: cause.message });
    throw new YrdxError('key_import_refused', { params: { kid, alg: 'SM2', reason }, cause });
  }
}

/**
 * Web Crypto's import through jose, whose refusal (a `DataError` for a point off its curve or a
 * member of the wrong length, which `describeKeyFault` does not see) becomes a problem naming the
 * key: these keys come from configuration files, the admin API and partners' JWKS, never only from
 * this node.
 */
async function importOrRefuse(
  kid: string,
  material: JsonWebKey,
  alg: Exclude<SigningAlgorithm, 'SM2'>,
): Promise<CryptoKey> {
  try {
    // jose gives a key with `d` the usage "sign", one without it "verify"; only an "oct" JWK is bytes.
    return (await importJWK(material as JWK, alg, { extractable: false })) as CryptoKey;
  } catch (cause) {
    const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    const reason = keyReason('importRefused', { message });
    throw new YrdxError('key_import_refused', { params: { kid, alg, reason }, cause });
  }
}

/** Generates a new key pair and returns its private JWK (public members included). */
export async function generatePrivateJwk(alg: SigningAlgorithm): Promise<JsonWebKey> {
  if (alg === 'SM2') return { ...exportSm2PrivateJwk(Sm2PrivateKey.generate()) } as JsonWebKey;
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 3072 });
  const jwk = (await exportJWK(pair.privateKey)) as Record<string, unknown>;
  // Public members first, in RFC 7638 order, as stored keyrings have always been written.
  const out = publicPart(jwk) as Record<string, unknown>;
  for (const m of PRIVATE_MEMBERS) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out as JsonWebKey;
}
