import { DEFAULT_POLICY, type EnvelopePolicy } from '../envelope/policy.js';
import { keptSecretHash } from '../envelope/secret-digest.js';
import { DEFAULT_KEY_LIFETIME_DAYS } from '../keys/keyring.js';
import { ANY } from '../vocabulary/messages.js';
import type { RawAdmin, RawLocalSystem, RawNodeConfig, RawPartner, RawStore } from './schema.js';
import type {
  AdminConfig,
  AttachmentsConfig,
  DeliveryConfig,
  KeyPin,
  KeySourceConfig,
  LocalSystemConfig,
  NodeConfig,
  PartnerConfig,
  RateLimitsConfig,
  StoreConfig,
  TlsClientConfig,
} from './types.js';

// What a configuration that passed the schema and the cross-checks becomes: defaults filled in,
// paths resolved, secret hashes in the kept form of envelope/digest.ts (SHA-256 bare hex, "sm3:" hex),
// dates as numbers.

export const DEFAULT_DELIVERY: DeliveryConfig = {
  maxAttempts: 12,
  baseDelayMs: 2000,
  maxDelayMs: 600_000,
  timeoutMs: 10_000,
  perPartnerConcurrency: 4,
  circuitFailures: 5,
  circuitOpenMs: 60_000,
  leaseMs: 60_000,
};

/** The formats bureaus exchange (issue 20): PDF, OFD, JPEG, PNG, TIFF, MP4, DOCX, XLSX, ZIP. */
export const DEFAULT_ATTACHMENT_TYPES: readonly string[] = [
  'application/pdf',
  'application/ofd',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'video/mp4',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip',
];

export const DEFAULT_ATTACHMENTS: AttachmentsConfig = {
  maxFileBytes: 512 * 1024 * 1024,
  maxMessageBytes: 2 * 1024 * 1024 * 1024,
  mediaTypes: DEFAULT_ATTACHMENT_TYPES,
  uploadExpiryHours: 24,
  maxOpenUploads: 32,
  grantSeconds: 60,
  transferConcurrency: 2,
  stallTimeoutMs: 30_000,
};

export const DEFAULT_ADMIN_RATE_LIMIT: AdminConfig['rateLimit'] = { perMinute: 120, burst: 30 };

/**
 * The exchange's rate limits unless the file says otherwise. Generous for a legitimate caller: the
 * exchange benchmark pushes a few hundred messages a second from one partner and one local system,
 * and the design target is 1,000 a second; 2,000 a second with a burst of 2,000 leaves room for both
 * while still bounding a flood. Requests without a valid API key get far less.
 */
export const DEFAULT_RATE_LIMITS: RateLimitsConfig = {
  partner: { perMinute: 120_000, burst: 2000 },
  partnerAddress: { perMinute: 120_000, burst: 2000 },
  localSystem: { perMinute: 120_000, burst: 2000 },
  anonymous: { perMinute: 600, burst: 100 },
};

export function envelopeOf(raw: RawNodeConfig): EnvelopePolicy {
  return { ...DEFAULT_POLICY, ...raw.envelope };
}

export function deliveryOf(raw: RawNodeConfig): DeliveryConfig {
  return { ...DEFAULT_DELIVERY, ...raw.delivery };
}

/** The algorithm of this node's new keys: what `keys.algorithm` says, else SM2 under the national profile, else ES256. */
export function keyAlgorithmOf(
  keys: RawNodeConfig['keys'],
  profile: RawNodeConfig['cryptoProfile'] = 'international',
): KeySourceConfig['algorithm'] {
  return keys.algorithm ?? (profile === 'gm' ? 'SM2' : 'ES256');
}

export interface PathOptions {
  /** Turns a path in the configuration into one the runtime can open. */
  readonly resolvePath?: ((path: string) => string) | undefined;
}

/** A configuration that passed the schema and the cross-checks, with every default filled in. */
export function withDefaults(raw: RawNodeConfig, options: PathOptions): NodeConfig {
  const resolve = (path: string) => (options.resolvePath ? options.resolvePath(path) : path);
  const rateLimits = raw.rateLimits ?? {};
  const admin = adminOf(raw.admin);
  return {
    id: raw.id,
    name: raw.name,
    province: raw.province,
    publicUrl: stripSlash(raw.publicUrl),
    dataDir: resolve(raw.dataDir ?? 'data'),
    ...(raw.contractsDir === undefined ? {} : { contractsDir: resolve(raw.contractsDir) }),
    keys: keySourceOf(raw.keys, raw.cryptoProfile),
    cryptoProfile: raw.cryptoProfile ?? 'international',
    rotation: {
      minNextAgeSeconds: 86400,
      keyLifetimeDays: DEFAULT_KEY_LIFETIME_DAYS,
      ...raw.rotation,
    },
    envelope: envelopeOf(raw),
    domains: raw.domains ?? [ANY],
    partners: raw.partners.map((p) => partnerOf(p, options)),
    localSystems: (raw.localSystems ?? []).map(localSystemOf),
    threadDueDays: { ...raw.threads?.dueDays },
    delivery: deliveryOf(raw),
    attachments: { ...DEFAULT_ATTACHMENTS, ...raw.attachments },
    retentionDays: { ...raw.retention },
    allowInsecureHttp: raw.allowInsecureHttp === true,
    outbound: { allowPrivateNetworks: raw.outbound?.allowPrivateNetworks === true },
    trustProxy: raw.trustProxy === true,
    ...(raw.clientCertificates === undefined
      ? {}
      : {
          clientCertificates: {
            header: raw.clientCertificates.header.toLowerCase(),
            carries: raw.clientCertificates.carries,
            trustedProxies: raw.clientCertificates.trustedProxies,
          },
        }),
    rateLimits: {
      partner: { ...DEFAULT_RATE_LIMITS.partner, ...rateLimits.partner },
      partnerAddress: { ...DEFAULT_RATE_LIMITS.partnerAddress, ...rateLimits.partnerAddress },
      localSystem: { ...DEFAULT_RATE_LIMITS.localSystem, ...rateLimits.localSystem },
      anonymous: { ...DEFAULT_RATE_LIMITS.anonymous, ...rateLimits.anonymous },
    },
    store: storeOf(raw.store),
    ...(admin === undefined ? {} : { admin }),
  };
}

/** One partner with its defaults: active, no subscriptions, pins with their dates as Unix seconds. */
export function partnerOf(p: RawPartner, options: PathOptions): PartnerConfig {
  const { jwks, jwksFile, jwksUrl } = p.keys;
  const pins = (p.keys.pins ?? []).map((pin): KeyPin => {
    if (typeof pin === 'string') return { thumbprint: pin };
    if (pin.notAfter === undefined) return { thumbprint: pin.thumbprint };
    return { thumbprint: pin.thumbprint, notAfter: Math.floor(Date.parse(pin.notAfter) / 1000) };
  });
  return {
    id: p.id,
    name: p.name,
    baseUrl: stripSlash(p.baseUrl),
    status: p.status ?? 'active',
    subscribes: p.subscribes ?? [],
    keys: {
      ...(jwks === undefined ? {} : { jwks }),
      ...(jwksFile === undefined
        ? {}
        : { jwksFile: options.resolvePath ? options.resolvePath(jwksFile) : jwksFile }),
      ...(jwksUrl === undefined ? {} : { jwksUrl }),
      pins,
    },
    maySend: p.maySend,
    ...(p.cryptoProfile === undefined ? {} : { cryptoProfile: p.cryptoProfile }),
    ...tlsClientOf(p.tlsClient),
  };
}

function keySourceOf(keys: RawNodeConfig['keys'], profile: RawNodeConfig['cryptoProfile']): KeySourceConfig {
  const algorithm = keyAlgorithmOf(keys, profile);
  switch (keys.source) {
    case 'file':
      return { source: 'file', path: keys.path ?? 'keys/keyring.json', algorithm };
    case 'env':
      return { source: 'env', variable: checked(keys.variable), algorithm };
    case 'secret':
      return { source: 'secret', binding: checked(keys.binding), algorithm };
  }
}

function localSystemOf(l: RawLocalSystem): LocalSystemConfig {
  return {
    id: l.id,
    name: l.name,
    dialect: l.dialect,
    contractMajors: l.contractMajors ?? {},
    organs: l.organs ?? [],
    apiKeyHashes: l.apiKeys.map(keptSecretHash),
    maySend: l.maySend,
    receives: l.receives,
    delivery: l.delivery.mode === 'push' ? { mode: 'push', url: checked(l.delivery.url) } : { mode: 'pull' },
    ...tlsClientOf(l.tlsClient),
  };
}

/** The `tlsClient` member of a partner or local system, its lists filled in. */
function tlsClientOf(pins: RawPartner['tlsClient']): { tlsClient?: TlsClientConfig } {
  if (pins === undefined) return {};
  return { tlsClient: { fingerprints: pins.fingerprints ?? [], subjects: pins.subjects ?? [] } };
}

/** The admin API section; without credentials the API stays off. */
function adminOf(admin: RawAdmin | undefined): AdminConfig | undefined {
  if (admin === undefined || admin.credentials.length === 0) return undefined;
  const credentials = admin.credentials.map((c) => {
    const notAfter = c.notAfter === undefined ? undefined : Date.parse(c.notAfter);
    return {
      id: c.id,
      role: c.role,
      tokenHash: keptSecretHash(c.tokenHash),
      ...(notAfter === undefined ? {} : { notAfter }),
    };
  });
  return { credentials, rateLimit: { ...DEFAULT_ADMIN_RATE_LIMIT, ...admin.rateLimit } };
}

/** SQLite unless the file says PostgreSQL, with the URL of its database. */
function storeOf(store: RawStore | undefined): StoreConfig {
  if (store === undefined || store.kind === 'sqlite') return { kind: 'sqlite' };
  return {
    kind: 'postgres',
    url: checked(store.url),
    ...(store.poolSize === undefined ? {} : { poolSize: store.poolSize }),
  };
}

function stripSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** A member the cross-checks require in this case; they have refused the file when it is missing. */
function checked<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a member the cross-checks require is missing');
  return value;
}
