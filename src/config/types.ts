import type { SigningAlgorithm } from '../envelope/algorithms.js';
import type { EnvelopePolicy } from '../envelope/policy.js';
import type { Domain, MessageType, Province } from '../vocabulary.js';

export type KeySourceConfig =
  | { readonly source: 'file'; readonly path: string; readonly algorithm: SigningAlgorithm }
  | { readonly source: 'env'; readonly variable: string; readonly algorithm: SigningAlgorithm }
  | { readonly source: 'secret'; readonly binding: string; readonly algorithm: SigningAlgorithm };

export interface KeyPin {
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  readonly thumbprint: string;
  /** Unix seconds after which the pinned key no longer verifies. */
  readonly notAfter?: number;
}

/** Where a partner's public keys come from: exactly one of `jwks`, `jwksFile` and `jwksUrl`. */
export interface PartnerKeysConfig {
  readonly jwks?: { readonly keys: readonly Readonly<Record<string, unknown>>[] };
  /** A JWKS file received from the partner out of band (a path the runtime can open). */
  readonly jwksFile?: string;
  readonly jwksUrl?: string;
  readonly pins: readonly KeyPin[];
}

export interface PartnerConfig {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly status: 'active' | 'suspended';
  readonly keys: PartnerKeysConfig;
  /** The domains and message types this partner may send to us. */
  readonly maySend: { readonly domains: readonly Domain[]; readonly types: readonly MessageType[] };
}

/** A node's validated, frozen configuration. */
export interface NodeConfig {
  readonly id: string;
  readonly name: string;
  readonly province: Province;
  readonly publicUrl: string;
  /** Resolved by the runtime; relative paths in the file are relative to the config file. */
  readonly dataDir: string;
  /** The contracts folder; when absent, the contracts shipped with yrdx. */
  readonly contractsDir?: string;
  readonly keys: KeySourceConfig;
  readonly rotation: { readonly minNextAgeSeconds: number };
  readonly envelope: EnvelopePolicy;
  /** Domains this node exchanges. */
  readonly domains: readonly Domain[];
  readonly partners: readonly PartnerConfig[];
  readonly allowInsecureHttp: boolean;
}
