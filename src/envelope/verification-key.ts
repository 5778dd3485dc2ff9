import type { SigningAlgorithm } from './algorithms.js';
import type { VerifyingKey } from './signature-engine.js';

/** A public JWK as published and pinned: key members plus `kid`, `alg` and `use`. */
export type PublicJwk = Readonly<Record<string, unknown>> & {
  readonly kty: string;
  readonly kid: string;
  readonly alg: SigningAlgorithm;
};

/** A public key that may verify signatures, already imported, with the partner that owns it. */
export interface VerificationKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly key: VerifyingKey;
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  readonly thumbprint: string;
  /** The public JWK as registered (no private members). */
  readonly jwk: PublicJwk;
  /** The node id of the owner: exactly one partner (or this node) owns a key. */
  readonly owner: string;
  /** Unix seconds after which the key no longer verifies, when the registration sets one. */
  readonly notAfter?: number;
}

/**
 * Finds keys. `resolve` looks a kid up only among the keys of the partner named by `iss`: a token is
 * accepted only when that lookup gives the very key that verified it. `candidates` are every key
 * registered under a kid, whoever owns it (kids may repeat across partners; a key never does), so
 * that a signature is checked over the raw bytes before the payload that names `iss` is decoded.
 */
export interface KeyResolver {
  resolve(iss: string, kid: string): VerificationKeyLookup;
  candidates(kid: string): readonly VerificationKey[];
}

export type VerificationKeyLookup =
  | { readonly status: 'ok'; readonly key: VerificationKey }
  | { readonly status: 'unknown-issuer' }
  | { readonly status: 'suspended' }
  | { readonly status: 'unknown-key' };
