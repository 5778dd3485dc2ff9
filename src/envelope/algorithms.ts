import { YrdxError } from '../errors/errors.js';

/**
 * The signature algorithms yrdx speaks between nodes. Never `none`, never HMAC. `SM2` is the GB/T
 * 32918.2 signature over SM3(Z ‖ M) with the default identity `1234567812345678`, as 64 bytes r ‖ s
 * (docs/national-crypto.md); the others are JOSE's (RFC 7518, RFC 8037).
 */
export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'PS256', 'SM2'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
/** The algorithms Web Crypto (and node:crypto) compute; SM2 is computed by src/crypto/gm on every runtime. */
export type WebCryptoAlgorithm = Exclude<SigningAlgorithm, 'SM2'>;
/**
 * Accepted on received tokens unless `envelope.algorithms` says otherwise. SM2 is among them on every
 * node, so that a node of the national profile and an international one exchange both ways; which
 * algorithm a partner may use is still bound by the keys pinned for it.
 */
export const DEFAULT_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA', 'SM2'];

export interface AlgorithmProfile {
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  readonly signParams: RsaPssParams | EcdsaParams | Algorithm;
  /** Signature length in bytes; for RSA it is the modulus length, checked at verification. */
  readonly signatureBytes?: number;
}

export const ALGORITHM_PROFILES: Readonly<Record<WebCryptoAlgorithm, AlgorithmProfile>> = {
  ES256: {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    signParams: { name: 'ECDSA', hash: 'SHA-256' },
    signatureBytes: 64,
  },
  EdDSA: { importParams: { name: 'Ed25519' }, signParams: { name: 'Ed25519' }, signatureBytes: 64 },
  PS256: {
    importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
    signParams: { name: 'RSA-PSS', saltLength: 32 },
  },
};

/** Signature length in bytes, where the algorithm fixes it (RSA's is the modulus length). */
export const SIGNATURE_BYTES: Readonly<Partial<Record<SigningAlgorithm, number>>> = {
  ES256: 64,
  EdDSA: 64,
  SM2: 64,
};

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** Minimum RSA modulus for PS256 keys. */
export const MIN_RSA_BITS = 2048;

/** The one algorithm a key of this type may be used with, or undefined for an unusable key. */
export function algorithmForKey(jwk: Readonly<Record<string, unknown>>): SigningAlgorithm | undefined {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'SM2') return 'SM2';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'RSA') return 'PS256';
  return undefined;
}

/**
 * Binds the header's `alg` to the resolved key: the algorithm must be on the allow-list, and it must
 * be the algorithm of the key's type (and of the key's own `alg`, when the key names one).
 */
export function checkAlgorithm(
  headerAlg: unknown,
  keyAlg: SigningAlgorithm,
  allowed: readonly SigningAlgorithm[],
): SigningAlgorithm {
  if (!isSigningAlgorithm(headerAlg) || !allowed.includes(headerAlg)) {
    throw new YrdxError('jws_alg_not_allowed', {
      params: {
        alg: typeof headerAlg === 'string' ? headerAlg.slice(0, 32) : typeof headerAlg,
        allowed: allowed.join(', '),
      },
    });
  }
  if (headerAlg !== keyAlg) throw new YrdxError('jws_alg_key_mismatch', { params: { alg: headerAlg } });
  return headerAlg;
}
