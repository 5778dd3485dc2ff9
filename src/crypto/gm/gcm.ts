import { ghash } from '@noble/ciphers/_polyval.js';
import { checkLength, equalBytes } from './bytes.js';
import { GmCryptoError } from './errors.js';

/**
 * Galois/Counter Mode (NIST SP 800-38D) over any 128-bit block cipher, with a 96-bit nonce and a
 * 128-bit tag only — the form RFC 8998 gives for SM4-GCM. The counter mode and tag are written here;
 * GHASH is noble's audited table implementation.
 */
export interface BlockCipher128 {
  encryptBlock(input: Uint8Array, inOffset: number, output: Uint8Array, outOffset: number): void;
}

export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;
/** SP 800-38D §5.2.1.1: at most 2^39 − 256 bits of plaintext under one nonce. */
export const GCM_MAX_PLAINTEXT_BYTES = 2 ** 36 - 32;

/** E(K, J0) and the GHASH key H = E(K, 0^128). */
function setup(cipher: BlockCipher128, nonce: Uint8Array): { h: Uint8Array; j0: Uint8Array } {
  checkLength(nonce, GCM_NONCE_BYTES, 'a GCM nonce');
  const h = new Uint8Array(16);
  cipher.encryptBlock(h, 0, h, 0);
  const j0 = new Uint8Array(16);
  j0.set(nonce);
  j0[15] = 1;
  return { h, j0 };
}

/** CTR with a 32-bit big-endian counter (inc32), starting at J0 + 1. */
function ctr(cipher: BlockCipher128, j0: Uint8Array, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  const counter = j0.slice();
  const stream = new Uint8Array(16);
  let count = (counter[12]! << 24) | (counter[13]! << 16) | (counter[14]! << 8) | counter[15]!;
  for (let at = 0; at < input.length; at += 16) {
    count = (count + 1) | 0;
    counter[12] = count >>> 24;
    counter[13] = count >>> 16;
    counter[14] = count >>> 8;
    counter[15] = count;
    cipher.encryptBlock(counter, 0, stream, 0);
    const end = Math.min(16, input.length - at);
    for (let i = 0; i < end; i++) out[at + i] = input[at + i]! ^ stream[i]!;
  }
  return out;
}

function tag(
  cipher: BlockCipher128,
  h: Uint8Array,
  j0: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  const lengths = new Uint8Array(16);
  const view = new DataView(lengths.buffer);
  // Bit lengths as two 64-bit big-endian integers; byte counts here stay below 2^53 / 8.
  view.setBigUint64(0, BigInt(aad.length) * 8n);
  view.setBigUint64(8, BigInt(ciphertext.length) * 8n);
  const s = ghash
    .create(h, aad.length + ciphertext.length + 16)
    .update(aad)
    .update(ciphertext)
    .update(lengths)
    .digest();
  const mask = new Uint8Array(16);
  cipher.encryptBlock(j0, 0, mask, 0);
  for (let i = 0; i < 16; i++) s[i]! ^= mask[i]!;
  return s;
}

/** ciphertext ‖ tag. */
export function gcmSeal(
  cipher: BlockCipher128,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  if (plaintext.length > GCM_MAX_PLAINTEXT_BYTES)
    throw new GmCryptoError('gm_argument_invalid', 'the plaintext exceeds GCM’s limit for one nonce');
  const { h, j0 } = setup(cipher, nonce);
  const ciphertext = ctr(cipher, j0, plaintext);
  const out = new Uint8Array(ciphertext.length + GCM_TAG_BYTES);
  out.set(ciphertext);
  out.set(tag(cipher, h, j0, aad, ciphertext), ciphertext.length);
  return out;
}

/** The plaintext, or GmCryptoError('gm_aead_open_failed'); nothing is decrypted before the tag verifies. */
export function gcmOpen(
  cipher: BlockCipher128,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  if (sealed.length < GCM_TAG_BYTES || sealed.length - GCM_TAG_BYTES > GCM_MAX_PLAINTEXT_BYTES)
    throw new GmCryptoError('gm_aead_open_failed', 'the sealed data has no room for a tag');
  const { h, j0 } = setup(cipher, nonce);
  const ciphertext = sealed.subarray(0, sealed.length - GCM_TAG_BYTES);
  if (!equalBytes(tag(cipher, h, j0, aad, ciphertext), sealed.subarray(ciphertext.length)))
    throw new GmCryptoError('gm_aead_open_failed', 'the authentication tag does not match');
  return ctr(cipher, j0, ciphertext);
}
