import { createHmacDrbg } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { bigIntToBytes, bytesToBigInt, checkLength, concatBytes, randomBytes } from './bytes.js';
import { verificationSum } from './comb.js';
import { mod, SM2_N, SM2_P, Sm2Point } from './curve.js';
import { type Sm2PrivateKey, type Sm2PublicKey, secretOf } from './keys.js';
import { matchesX } from './public-mul.js';
import { sm3 } from './sm3.js';
import { SM2_DEFAULT_ID, sm2Digest } from './za.js';

/**
 * SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003.2-2012) over e = SM3(Z ‖ M), encoded as the
 * 64 bytes r ‖ s (each 32 bytes big-endian), as JWS encodes ES256 — never DER. Use
 * `signature-der.ts` to speak to tools that want DER.
 */

export interface Sm2Options {
  /** The signer's identity; GM/T 0009's default "1234567812345678" when absent. */
  readonly id?: Uint8Array;
}

const n = SM2_N;

export function sm2Sign(key: Sm2PrivateKey, message: Uint8Array, options: Sm2Options = {}): Uint8Array {
  return sm2SignDigest(key, sm2Digest(key.publicKey, message, options.id ?? SM2_DEFAULT_ID));
}

export function sm2Verify(
  key: Sm2PublicKey,
  message: Uint8Array,
  signature: Uint8Array,
  options: Sm2Options = {},
): boolean {
  return sm2VerifyDigest(key, sm2Digest(key, message, options.id ?? SM2_DEFAULT_ID), signature);
}

const hmacSm3 = (k: Uint8Array, m: Uint8Array): Uint8Array => hmac(sm3, k, m);
const drbg = /* @__PURE__ */ createHmacDrbg<Uint8Array>(32, 32, hmacSm3);

/**
 * Signs a precomputed e = SM3(Z ‖ M) (32 bytes). The nonce k is hedged: drawn from an HMAC-SM3
 * DRBG seeded with d, e and 32 fresh random bytes, so it stays unpredictable even if the platform's
 * random source were weak or repeated (a repeated k would reveal d), and differs on every call.
 */
export function sm2SignDigest(key: Sm2PrivateKey, e: Uint8Array): Uint8Array {
  checkLength(e, 32, 'the digest e');
  const secret = secretOf(key);
  const seed = concatBytes(bigIntToBytes(secret.d, 32), e, randomBytes(32));
  const eInt = bytesToBigInt(e);
  return drbg(seed, (candidate) => signWithNonce(secret.d, secret.inverse, eInt, bytesToBigInt(candidate)));
}

/**
 * GB/T 32918.2 §6.1 steps A3–A7 for one nonce k; undefined when k or the result is unusable, and
 * the caller draws another k. Exported for the standard's fixed-k test vectors only.
 */
export function signWithNonce(d: bigint, inverse: bigint, e: bigint, k: bigint): Uint8Array | undefined {
  if (k < 1n || k >= n) return undefined;
  const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
  const r = mod(e + x1, n);
  if (r === 0n || r + k === n) return undefined;
  const s = mod(inverse * (k - r * d), n);
  if (s === 0n) return undefined;
  return concatBytes(bigIntToBytes(r, 32), bigIntToBytes(s, 32));
}

/** Signs with a given nonce k, for the standard's test vectors; never for real signatures. */
export function sm2SignDigestWithNonce(key: Sm2PrivateKey, e: Uint8Array, k: bigint): Uint8Array | undefined {
  const secret = secretOf(key);
  return signWithNonce(secret.d, secret.inverse, bytesToBigInt(e), k);
}

/**
 * Verifies r ‖ s over a precomputed e (GB/T 32918.2 §7.1 B1–B7). Refuses a signature that is not 64
 * bytes, r or s outside [1, n − 1], and t = r + s ≡ 0 (mod n). SM2 has no "low-s" rule: s and n − s
 * are not both valid (s enters t and s·G), so a malleated signature fails the final comparison.
 */
export function sm2VerifyDigest(key: Sm2PublicKey, e: Uint8Array, signature: Uint8Array): boolean {
  checkLength(e, 32, 'the digest e');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  const r = bytesToBigInt(signature.subarray(0, 32));
  const s = bytesToBigInt(signature.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const t = mod(r + s, n);
  if (t === 0n) return false;
  const point = verificationSum(s, key, t);
  // R = (e + x1) mod n = r ⇔ x1 ≡ r − e (mod n); x1 < p < 2n leaves two candidates.
  const x1 = mod(r - bytesToBigInt(e), n);
  return matchesX(point, x1) || (x1 + n < SM2_P && matchesX(point, x1 + n));
}
