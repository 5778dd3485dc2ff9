import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { bigIntToBytes, bytesToBigInt } from './bytes.js';
import { GmCryptoError } from './errors.js';
import { exportScalar, Sm2PrivateKey, Sm2PublicKey } from './keys.js';
import { sm3 } from './sm3.js';

/**
 * SM2 keys as JWK: `{"kty":"EC","crv":"SM2","x","y"[,"d"]}`, each coordinate and d exactly 32 bytes
 * of canonical base64url (RFC 7518 §6.2.1.2 fixes the field-size length for EC members). Import
 * validates everything: the point is on the curve, d lies in [1, n − 2] and matches x and y. Other
 * members (kid, alg, use, …) are the caller's business and are neither read nor copied.
 */
export interface Sm2PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'SM2';
  readonly x: string;
  readonly y: string;
}

export interface Sm2PrivateJwk extends Sm2PublicJwk {
  readonly d: string;
}

/** Members that only a private JWK carries (of any key type). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

function member(jwk: Readonly<Record<string, unknown>>, name: 'x' | 'y' | 'd'): Uint8Array {
  const value = jwk[name];
  if (typeof value !== 'string') throw new GmCryptoError('gm_key_invalid', `member "${name}" is missing`);
  const bytes = decodeBase64Url(value);
  if (bytes === undefined || bytes.length !== 32)
    throw new GmCryptoError('gm_key_invalid', `member "${name}" must be 32 bytes of canonical base64url`);
  return bytes;
}

function publicPoint(jwk: unknown): Sm2PublicKey {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw new GmCryptoError('gm_key_invalid', 'a JWK must be a JSON object');
  const record = jwk as Readonly<Record<string, unknown>>;
  if (record.kty !== 'EC' || record.crv !== 'SM2')
    throw new GmCryptoError('gm_key_invalid', 'an SM2 JWK has "kty":"EC" and "crv":"SM2"');
  return Sm2PublicKey.fromAffine(bytesToBigInt(member(record, 'x')), bytesToBigInt(member(record, 'y')));
}

/** A public SM2 key from a JWK; refuses one that carries private members. */
export function importSm2PublicJwk(jwk: unknown): Sm2PublicKey {
  const key = publicPoint(jwk);
  if (PRIVATE_MEMBERS.some((m) => (jwk as Record<string, unknown>)[m] !== undefined))
    throw new GmCryptoError('gm_key_invalid', 'a public JWK must not carry private key material');
  return key;
}

export function importSm2PrivateJwk(jwk: unknown): Sm2PrivateKey {
  const stated = publicPoint(jwk);
  return Sm2PrivateKey.fromBytes(member(jwk as Record<string, unknown>, 'd'), stated);
}

export function exportSm2PublicJwk(key: Sm2PublicKey): Sm2PublicJwk {
  return {
    kty: 'EC',
    crv: 'SM2',
    x: encodeBase64Url(bigIntToBytes(key.x, 32)),
    y: encodeBase64Url(bigIntToBytes(key.y, 32)),
  };
}

export function exportSm2PrivateJwk(key: Sm2PrivateKey): Sm2PrivateJwk {
  return { ...exportSm2PublicJwk(key.publicKey), d: encodeBase64Url(exportScalar(key)) };
}

/**
 * RFC 7638 thumbprint: the hash of `{"crv":"SM2","kty":"EC","x":…,"y":…}` (required members only,
 * lexicographic order, no whitespace), base64url. SHA-256 by default, as for the gateway's other
 * keys and RFC 9278's URIs; SM3 where a profile wants every digest national.
 */
export function sm2JwkThumbprint(jwk: Sm2PublicJwk, hash: 'SHA-256' | 'SM3' = 'SHA-256'): string {
  const key = importSm2PublicJwk({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  const canonical = exportSm2PublicJwk(key);
  const text = `{"crv":"SM2","kty":"EC","x":"${canonical.x}","y":"${canonical.y}"}`;
  const bytes = new TextEncoder().encode(text);
  return encodeBase64Url(hash === 'SM3' ? sm3(bytes) : sha256(bytes));
}
