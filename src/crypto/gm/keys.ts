import { bigIntToBytes, bytesToBigInt, randomBytes } from './bytes.js';
import { isOnCurve, SM2_N, Sm2Point } from './curve.js';
import { GmCryptoError } from './errors.js';

/**
 * SM2 key objects. A key exists only once validated: a public key is an affine point of the curve
 * (so never the point at infinity; the cofactor is 1, so every such point has order n), a private
 * scalar d lies in [1, n − 2] (GB/T 32918.1 §6.1: 1 + d must be invertible) and matches its public
 * key. The scalar is kept out of the object's own properties, so that logging or serialising a key
 * never prints it.
 */
export class Sm2PublicKey {
  readonly x: bigint;
  readonly y: bigint;

  private constructor(x: bigint, y: bigint) {
    this.x = x;
    this.y = y;
    Object.freeze(this);
  }

  static fromAffine(x: bigint, y: bigint): Sm2PublicKey {
    if (!isOnCurve(x, y))
      throw new GmCryptoError('gm_key_invalid', 'the public key is not a point of the SM2 curve');
    return new Sm2PublicKey(x, y);
  }

  /** The SEC 1 uncompressed form 04 ‖ x ‖ y (65 bytes), as SPKI and GM/T 0009 carry it. */
  static fromUncompressed(bytes: Uint8Array): Sm2PublicKey {
    if (bytes.length !== 65 || bytes[0] !== 0x04)
      throw new GmCryptoError('gm_key_invalid', 'an SM2 public key must be 04 ‖ x ‖ y (65 bytes)');
    return Sm2PublicKey.fromAffine(bytesToBigInt(bytes.subarray(1, 33)), bytesToBigInt(bytes.subarray(33)));
  }

  toUncompressed(): Uint8Array {
    const out = new Uint8Array(65);
    out[0] = 0x04;
    out.set(bigIntToBytes(this.x, 32), 1);
    out.set(bigIntToBytes(this.y, 32), 33);
    return out;
  }

  equals(other: Sm2PublicKey): boolean {
    return this.x === other.x && this.y === other.y;
  }
}

interface Secret {
  readonly d: bigint;
  /** (1 + d)⁻¹ mod n, which every signature needs. */
  readonly inverse: bigint;
}

const secrets = new WeakMap<Sm2PrivateKey, Secret>();

export class Sm2PrivateKey {
  readonly publicKey: Sm2PublicKey;

  private constructor(publicKey: Sm2PublicKey) {
    this.publicKey = publicKey;
    Object.freeze(this);
  }

  /**
   * From the scalar d. When the key's source also states the public point (a JWK's x and y, the
   * public key inside an ECPrivateKey), pass it: a mismatch is refused rather than trusted.
   */
  static fromScalar(d: bigint, stated?: Sm2PublicKey): Sm2PrivateKey {
    if (d < 1n || d > SM2_N - 2n)
      throw new GmCryptoError('gm_key_invalid', 'the private key must lie in [1, n − 2]');
    const point = Sm2Point.BASE.multiply(d).toAffine();
    const publicKey = Sm2PublicKey.fromAffine(point.x, point.y);
    if (stated !== undefined && !stated.equals(publicKey))
      throw new GmCryptoError('gm_key_invalid', 'the public key does not belong to the private key');
    const key = new Sm2PrivateKey(publicKey);
    secrets.set(key, { d, inverse: Sm2Point.Fn.inv(d + 1n) });
    return key;
  }

  static fromBytes(bytes: Uint8Array, stated?: Sm2PublicKey): Sm2PrivateKey {
    if (bytes.length !== 32) throw new GmCryptoError('gm_key_invalid', 'an SM2 private key is 32 bytes');
    return Sm2PrivateKey.fromScalar(bytesToBigInt(bytes), stated);
  }

  /** A new key with d drawn uniformly from [1, n − 2] by rejection from the platform's CSPRNG. */
  static generate(): Sm2PrivateKey {
    for (;;) {
      const d = bytesToBigInt(randomBytes(32));
      if (d >= 1n && d <= SM2_N - 2n) return Sm2PrivateKey.fromScalar(d);
    }
  }
}

/** The private scalar, for this folder's signing and export code only (not re-exported). */
export function secretOf(key: Sm2PrivateKey): Secret {
  const secret = secrets.get(key);
  if (secret === undefined) throw new GmCryptoError('gm_key_invalid', 'not an SM2 private key');
  return secret;
}

/** The 32-byte big-endian private scalar, for export to JWK or PKCS #8. */
export function exportScalar(key: Sm2PrivateKey): Uint8Array {
  return bigIntToBytes(secretOf(key).d, 32);
}
