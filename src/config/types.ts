import type { EnvelopePolicy } from '../envelope/policy.js';
import type { Province } from '../vocabulary/messages.js';
import type { AdminRole } from '../vocabulary/roles.js';
import type { RawAdmin, RawLocalSystem, RawNodeConfig, RawPartner, Scope } from './schema.js';

// The resolved configuration: what the schema accepts (schema.ts, where each member is described),
// with defaults filled in and a few members converted (secret hashes as SHA-256 bare hex or "sm3:" hex,
// dates as numbers).
// Members that keep their written form take their types from the schema.

/** A section of the file with every default filled in. */
type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };
type Section<K extends keyof RawNodeConfig> = Filled<NonNullable<RawNodeConfig[K]>>;
type RawKeys = RawNodeConfig['keys'];
type Algorithm = NonNullable<RawKeys['algorithm']>;

export type KeySourceConfig =
  | { readonly source: 'file'; readonly path: string; readonly algorithm: Algorithm }
  | { readonly source: 'env'; readonly variable: string; readonly algorithm: Algorithm }
  | { readonly source: 'secret'; readonly binding: string; readonly algorithm: Algorithm };

export interface KeyPin {
  /** RFC 7638 SHA-256 thumbprint, base64url. */
  readonly thumbprint: string;
  /** Unix seconds after which the pinned key no longer verifies. */
  readonly notAfter?: number;
}

/** Where a partner's public keys come from: exactly one of `jwks`, `jwksFile` and `jwksUrl`. */
export interface PartnerKeysConfig {
  readonly jwks?: NonNullable<RawPartner['keys']['jwks']>;
  /** A JWKS file received from the partner out of band (a path the runtime can open). */
  readonly jwksFile?: string;
  readonly jwksUrl?: string;
  readonly pins: readonly KeyPin[];
}

/**
 * Behind a TLS or TLCP terminating proxy that verifies client certificates (docs/tlcp.md): the header
 * (lower-case) in which it passes the certificate or its subject, believed only from `trustedProxies`.
 */
export interface ClientCertificatesConfig {
  readonly header: string;
  readonly carries: NonNullable<RawNodeConfig['clientCertificates']>['carries'];
  readonly trustedProxies: readonly string[];
}

/** The client certificates a partner or local system must come with through that proxy. */
export interface TlsClientConfig {
  /** `sha256:<hex>` or `sm3:<hex>` of the certificate's DER bytes. */
  readonly fingerprints: readonly string[];
  /** Subject DNs exactly as the proxy prints them. */
  readonly subjects: readonly string[];
}

/** `gm`: SM2 signatures, SM3 digests, SM4-GCM at rest; `international`: ES256/EdDSA, SHA-256, AES-256-GCM. */
export type CryptoProfile = NonNullable<RawNodeConfig['cryptoProfile']>;

export interface PartnerConfig {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly status: NonNullable<RawPartner['status']>;
  readonly keys: PartnerKeysConfig;
  /** Domains whose risk alerts this node sends to the partner (fan-out). */
  readonly subscribes: NonNullable<RawPartner['subscribes']>;
  /** The domains and message types this partner may send to us. */
  readonly maySend: Scope;
  /** The profile the partner publishes, when declared: `gm` accepts only SM2 signatures from it. */
  readonly cryptoProfile?: CryptoProfile /** When set, its deliveries must come through the proxy with one of these certificates. */;
  readonly tlsClient?: TlsClientConfig;
}

/** A local system of this city: who may submit what, in which dialect, and how it receives. */
export interface LocalSystemConfig {
  readonly id: string;
  readonly name: string;
  readonly dialect: string;
  /**
   * Per domain, the major contract version the system speaks; a domain not listed: the newest. A
   * system pinned to an older major keeps its dialect when a new major ships (issue 16).
   */
  readonly contractMajors: NonNullable<RawLocalSystem['contractMajors']>;
  /** The organs it serves (`public-security` …); empty for the bureau's own systems. */
  readonly organs: readonly string[];
  /** The digest of each accepted API key (SHA-256 bare hex or `sm3:` hex); keys are never stored. */
  readonly apiKeyHashes: readonly string[];
  readonly maySend: Scope;
  readonly receives: Scope;
  readonly delivery:
    | { readonly mode: 'push'; readonly url: string }
    | {
        readonly mode: Exclude<RawLocalSystem['delivery']['mode'], 'push'>;
      } /** When set, its requests must come through the proxy with one of these certificates. */;
  readonly tlsClient?: TlsClientConfig;
}

export type DeliveryConfig = Section<'delivery'>;

/** Case files (`attachments` in the file), every default filled in except `dir` (the runtime resolves it). */
export type AttachmentsConfig = Omit<Section<'attachments'>, 'dir'> & { readonly dir?: string };

/** One credential of the admin API: the secret token is never stored, only its SHA-256. */
export interface AdminCredentialConfig {
  readonly id: string;
  readonly role: AdminRole;
  /** The digest of the token (SHA-256 bare hex or `sm3:` hex). */
  readonly tokenHash: string;
  /** Unix ms after which the credential is refused. */
  readonly notAfter?: number;
}

export interface AdminConfig {
  readonly credentials: readonly AdminCredentialConfig[];
  /** A token bucket per credential (or per remote address before authentication). */
  readonly rateLimit: Filled<NonNullable<RawAdmin['rateLimit']>>;
}

/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
export type RateLimit = Filled<NonNullable<Section<'rateLimits'>['partner']>>;

/**
 * The rate limits of the exchange, one per threat level (the admin API has its own, `admin.rateLimit`).
 * Over a limit the answer is `429 rate_limited` with `Retry-After`.
 */
export type RateLimitsConfig = { readonly [K in keyof Section<'rateLimits'>]: RateLimit };

/** Outbound calls (partners, local systems, JWKS): which addresses URLs set at run time may reach. */
export type OutboundConfig = Section<'outbound'>;

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
  /**
   * The cryptography profile (default `international`). `gm`: this node signs with SM2 only (its key
   * source's algorithm is SM2), keeps SM3 digests (receipts, audit chain, evidence, replay records) and
   * encrypts payloads at rest with SM4-GCM; partners declared `gm` must sign with SM2.
   */
  readonly cryptoProfile: CryptoProfile;
  /** `keyLifetimeDays`: the planned lifetime of each new key of this node, in days (its `notAfter`). */
  readonly rotation: Section<'rotation'>;
  readonly envelope: EnvelopePolicy;
  /** Domains this node exchanges. */
  readonly domains: NonNullable<RawNodeConfig['domains']>;
  readonly partners: readonly PartnerConfig[];
  readonly localSystems: readonly LocalSystemConfig[];
  /** Days until a request of each type is due, when it does not say. */
  readonly threadDueDays: Readonly<Partial<Record<string, number>>>;
  readonly delivery: DeliveryConfig;
  /** Case files: limits, allowed formats, the transfer between nodes. */
  readonly attachments: AttachmentsConfig;
  /**
   * Days after which the payloads of a domain's messages are removed (`retention` in the file);
   * a domain not listed keeps them. Digests, receipts, case numbers and the audit log are always kept.
   */
  readonly retentionDays: NonNullable<RawNodeConfig['retention']>;
  readonly allowInsecureHttp: boolean;
  readonly outbound: OutboundConfig;
  /**
   * Behind a TLS-terminating proxy: honour `X-Forwarded-Proto` (the console's cookies are then
   * `Secure`) and take the caller's address from the last `X-Forwarded-For` entry (rate limits).
   * Off by default: without a proxy that sets them, callers could forge both.
   */
  readonly trustProxy: boolean;
  /** Where a proxy that verifies client certificates passes them; absent: no certificate is learnt. */
  readonly clientCertificates?: ClientCertificatesConfig;
  readonly rateLimits: RateLimitsConfig;
  /**
   * The store (`store` in the file); absent means SQLite. The Node runtime lets DATABASE_URL in the
   * environment select PostgreSQL over what the file says.
   */
  readonly store?: StoreConfig;
  /** The admin API; absent (off) unless credentials are configured. */
  readonly admin?: AdminConfig;
}

/** Compiles only while the schema's `envelope` section and EnvelopePolicy (envelope/) agree. */
export type EnvelopeSectionIsPolicy = Assert<Same<Section<'envelope'>, EnvelopePolicy>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
