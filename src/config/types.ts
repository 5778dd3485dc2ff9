import type { SigningAlgorithm } from '../envelope/algorithms.js';
import type { EnvelopePolicy } from '../envelope/policy.js';
import type { Domain, MessageType, Province } from '../vocabulary/messages.js';
import type { AdminRole } from '../vocabulary/roles.js';

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
  /** Domains whose risk alerts this node sends to the partner (fan-out). */
  readonly subscribes: readonly Domain[];
  /** The domains and message types this partner may send to us. */
  readonly maySend: { readonly domains: readonly Domain[]; readonly types: readonly MessageType[] };
}

/** A local system of this city: who may submit what, in which dialect, and how it receives. */
export interface LocalSystemConfig {
  readonly id: string;
  readonly name: string;
  readonly dialect: string;
  /** SHA-256 (hex) of each accepted API key; keys themselves are never stored. */
  readonly apiKeyHashes: readonly string[];
  readonly maySend: { readonly domains: readonly Domain[]; readonly types: readonly MessageType[] };
  readonly receives: { readonly domains: readonly Domain[]; readonly types: readonly MessageType[] };
  readonly delivery: { readonly mode: 'push'; readonly url: string } | { readonly mode: 'pull' };
}

export interface DeliveryConfig {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
  readonly perPartnerConcurrency: number;
  readonly circuitFailures: number;
  readonly circuitOpenMs: number;
  readonly leaseMs: number;
}

/** One credential of the admin API: the secret token is never stored, only its SHA-256. */
export interface AdminCredentialConfig {
  readonly id: string;
  readonly role: AdminRole;
  /** SHA-256 (hex) of the token. */
  readonly tokenHash: string;
  /** Unix ms after which the credential is refused. */
  readonly notAfter?: number;
}

export interface AdminConfig {
  readonly credentials: readonly AdminCredentialConfig[];
  /** A token bucket per credential (or per remote address before authentication). */
  readonly rateLimit: { readonly perMinute: number; readonly burst: number };
}

/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

/**
 * The rate limits of the exchange, one per threat level (the admin API has its own, `admin.rateLimit`).
 * Over a limit the answer is `429 rate_limited` with `Retry-After`.
 */
export interface RateLimitsConfig {
  /** `POST /v1/inbox` per partner, once the message's signature has verified (by its `iss`). */
  readonly partner: RateLimit;
  /** `POST /v1/inbox` per remote address, before anything is verified. */
  readonly partnerAddress: RateLimit;
  /** `/v1/messages` and the pull inbox per authenticated local system. */
  readonly localSystem: RateLimit;
  /** The same routes per remote address, for requests without a valid API key. */
  readonly anonymous: RateLimit;
}

/** Outbound calls (partners, local systems, JWKS): which addresses URLs set at run time may reach. */
export interface OutboundConfig {
  /**
   * Lets URLs set through the admin API or console reach loopback, private, link-local and other
   * non-public addresses. URLs in the configuration file may always reach what they name.
   */
  readonly allowPrivateNetworks: boolean;
}

/**
 * Where a node keeps its messages: a SQLite file in its data directory (one instance), or one
 * PostgreSQL database that several instances of the node share.
 */
export type StoreConfig =
  | { readonly kind: 'sqlite' }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Connections each instance keeps open at most (default `DEFAULT_POOL_SIZE`). */
      readonly poolSize?: number;
    };

/** PostgreSQL connections per instance unless `store.poolSize` or DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

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
  readonly rotation: {
    readonly minNextAgeSeconds: number;
    /** The planned lifetime of each new key of this node, in days: its `notAfter`. */
    readonly keyLifetimeDays: number;
  };
  readonly envelope: EnvelopePolicy;
  /** Domains this node exchanges. */
  readonly domains: readonly Domain[];
  readonly partners: readonly PartnerConfig[];
  readonly localSystems: readonly LocalSystemConfig[];
  /** Days until a request of each type is due, when it does not say. */
  readonly threadDueDays: Readonly<Record<string, number>>;
  readonly delivery: DeliveryConfig;
  /**
   * Days after which the payloads of a domain's messages are removed (`retention` in the file);
   * a domain not listed keeps them. Digests, receipts, case numbers and the audit log are always kept.
   */
  readonly retentionDays: Readonly<Partial<Record<Domain, number>>>;
  readonly allowInsecureHttp: boolean;
  readonly outbound: OutboundConfig;
  /**
   * Behind a TLS-terminating proxy: honour `X-Forwarded-Proto` (the console's cookies are then
   * `Secure`) and take the caller's address from the last `X-Forwarded-For` entry (rate limits).
   * Off by default: without a proxy that sets them, callers could forge both.
   */
  readonly trustProxy: boolean;
  readonly rateLimits: RateLimitsConfig;
  /**
   * The store (`store` in the file); absent means SQLite. The Node runtime lets DATABASE_URL in the
   * environment select PostgreSQL over what the file says.
   */
  readonly store?: StoreConfig;
  /** The admin API; absent (off) unless credentials are configured. */
  readonly admin?: AdminConfig;
}
