import { checkLength } from './bytes.js';
import { GmCryptoError } from './errors.js';
import { GCM_MAX_PLAINTEXT_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSeal } from './gcm.js';
import { Sm4 } from './sm4.js';

/**
 * One small interface over the AEADs a payload at rest may use, so that the at-rest layer chooses by
 * profile: SM4-GCM (RFC 8998, GB/T 32907 + SP 800-38D) for the national profile, AES-256-GCM through
 * Web Crypto otherwise. Both take a 96-bit nonce, return ciphertext ‖ 128-bit tag, and refuse to open
 * with GmCryptoError('gm_aead_open_failed') — the same code whatever was wrong.
 */
export interface Aead {
  /** The name a stored record carries (JWE's `enc` vocabulary where it has one). */
  readonly name: 'SM4-GCM' | 'A256GCM';
  readonly keyBytes: number;
  readonly nonceBytes: typeof GCM_NONCE_BYTES;
  readonly tagBytes: typeof GCM_TAG_BYTES;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
}

const EMPTY = new Uint8Array(0);

export const sm4Gcm: Aead = Object.freeze({
  name: 'SM4-GCM',
  keyBytes: 16,
  nonceBytes: GCM_NONCE_BYTES,
  tagBytes: GCM_TAG_BYTES,
  async seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY) {
    const cipher = new Sm4(key);
    try {
      return gcmSeal(cipher, nonce, plaintext, aad);
    } finally {
      cipher.destroy();
    }
  },
  async open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array = EMPTY) {
    const cipher = new Sm4(key);
    try {
      return gcmOpen(cipher, nonce, sealed, aad);
    } finally {
      cipher.destroy();
    }
  },
} as const);

async function aesKey(key: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  checkLength(key, 32, 'an AES-256 key');
  return crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

const aesParams = (nonce: Uint8Array, aad: Uint8Array): AesGcmParams => {
  checkLength(nonce, GCM_NONCE_BYTES, 'a GCM nonce');
  return {
    name: 'AES-GCM',
    iv: nonce as Uint8Array<ArrayBuffer>,
    additionalData: aad as Uint8Array<ArrayBuffer>,
    tagLength: 128,
  };
};

export const aes256Gcm: Aead = Object.freeze({
  name: 'A256GCM',
  keyBytes: 32,
  nonceBytes: GCM_NONCE_BYTES,
  tagBytes: GCM_TAG_BYTES,
  async seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY) {
    if (plaintext.length > GCM_MAX_PLAINTEXT_BYTES)
      throw new GmCryptoError('gm_argument_invalid', 'the plaintext exceeds GCM’s limit for one nonce');
    const params = aesParams(nonce, aad);
    const sealed = await crypto.subtle.encrypt(
      params,
      await aesKey(key, 'encrypt'),
      plaintext as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(sealed);
  },
  async open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array = EMPTY) {
    const params = aesParams(nonce, aad);
    const cryptoKey = await aesKey(key, 'decrypt');
    try {
      return new Uint8Array(
        await crypto.subtle.decrypt(params, cryptoKey, sealed as Uint8Array<ArrayBuffer>),
      );
    } catch (cause) {
      throw new GmCryptoError('gm_aead_open_failed', 'the authentication tag does not match', { cause });
    }
  },
} as const);

export const AEADS: Readonly<Record<Aead['name'], Aead>> = Object.freeze({
  'SM4-GCM': sm4Gcm,
  A256GCM: aes256Gcm,
});
