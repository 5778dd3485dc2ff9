import { bigIntToBytes } from './bytes.js';
import { SM2_A, SM2_B, SM2_GX, SM2_GY } from './curve.js';
import { GmCryptoError } from './errors.js';
import type { Sm2PublicKey } from './keys.js';
import { type Sm3Hash, sm3 } from './sm3.js';

/**
 * The signer's identity digest Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) of GB/T 32918.2 §5.5,
 * which an SM2 signature covers with the message: e = SM3(Z ‖ M). Plain ECDSA over the SM2 curve
 * (what `crypto.sign('sm3', …)` of Node makes) leaves Z out, and is not an SM2 signature.
 */

/** The default identity of GM/T 0009-2012 §10 (and RFC 8998), "1234567812345678". */
export const SM2_DEFAULT_ID: Uint8Array = /* @__PURE__ */ new TextEncoder().encode('1234567812345678');

/** ENTL is the identity's length in bits, in two bytes. */
const MAX_ID_BYTES = 0xffff >> 3;

const CURVE_BYTES = /* @__PURE__ */ (() => {
  const out = new Uint8Array(128);
  out.set(bigIntToBytes(SM2_A, 32), 0);
  out.set(bigIntToBytes(SM2_B, 32), 32);
  out.set(bigIntToBytes(SM2_GX, 32), 64);
  out.set(bigIntToBytes(SM2_GY, 32), 96);
  return out;
})();

/** Z for the default identity, once per key. */
const defaultZ = new WeakMap<Sm2PublicKey, Uint8Array>();

export function sm2Z(key: Sm2PublicKey, id: Uint8Array = SM2_DEFAULT_ID): Uint8Array {
  const isDefault = id === SM2_DEFAULT_ID;
  const cached = isDefault ? defaultZ.get(key) : undefined;
  if (cached !== undefined) return cached.slice();
  if (id.length > MAX_ID_BYTES)
    throw new GmCryptoError('gm_argument_invalid', `an SM2 identity is at most ${MAX_ID_BYTES} bytes`);
  const bits = id.length * 8;
  const z = sm3
    .create()
    .update(Uint8Array.of(bits >> 8, bits & 0xff))
    .update(id)
    .update(CURVE_BYTES)
    .update(key.toUncompressed().subarray(1))
    .digest();
  if (isDefault) defaultZ.set(key, z.slice());
  return z;
}

/**
 * An SM3 hash already fed with Z: update it with the message in chunks of any size, and its digest
 * is the e that `sm2SignDigest` and `sm2VerifyDigest` take. For messages too large to hold.
 */
export function sm2DigestHasher(key: Sm2PublicKey, id: Uint8Array = SM2_DEFAULT_ID): Sm3Hash {
  return sm3.create().update(sm2Z(key, id));
}

/** e = SM3(Z ‖ M). */
export function sm2Digest(
  key: Sm2PublicKey,
  message: Uint8Array,
  id: Uint8Array = SM2_DEFAULT_ID,
): Uint8Array {
  return sm2DigestHasher(key, id).update(message).digest();
}
