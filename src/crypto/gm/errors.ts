/**
 * The refusals of the national-cryptography primitives, as stable codes. This folder is a leaf that
 * the envelope, stores and CLI will build on; they map these codes to their own problem codes, so the
 * primitives stay free of HTTP and of the problem catalogue.
 */
export type GmErrorCode =
  /** A key (JWK, PEM, DER or raw) is malformed, not on the curve, or out of range. */
  | 'gm_key_invalid'
  /** A PEM or DER document is malformed or is not an SM2 key. */
  | 'gm_encoding_invalid'
  /** An argument has the wrong length or is out of the algorithm's bounds. */
  | 'gm_argument_invalid'
  /** An AEAD tag did not verify: wrong key, nonce, associated data, or altered ciphertext. */
  | 'gm_aead_open_failed';

export class GmCryptoError extends Error {
  readonly code: GmErrorCode;

  constructor(code: GmErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'GmCryptoError';
    this.code = code;
  }
}
