import { YrdxError } from '../errors/errors.js';

/** The signature algorithms yrdx speaks between nodes. Never `none`, never HMAC. */
export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'PS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA'];

export interface AlgorithmProfile {
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  readonly signParams: RsaPssParams | EcdsaParams | Algorithm;
  /** Signature length in bytes; for RSA it is the modulus length, checked at verification. */
  readonly signatureBytes?: number;
}

export const ALGORITHM_PROFILES: Readonly<Record<SigningAlgorithm, AlgorithmProfile>> = {
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

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** Minimum RSA modulus for PS256 keys. */
export const MIN_RSA_BITS = 2048;

/** The one algorithm a key of this type may be used with, or undefined for an unusable key. */
export function algorithmForKey(jwk: Readonly<Record<string, unknown>>): SigningAlgorithm | undefined {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
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
