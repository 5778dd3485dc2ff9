import { SIGNING_ALGORITHMS } from '../envelope/algorithms.js';
import { PROVINCES } from '../vocabulary/messages.js';
import { ADMIN_ROLES } from '../vocabulary/roles.js';
import type { FromSchema } from './from-schema.js';
import { attachments } from './schema-attachments.js';
import { clientCertificates, tlsClient } from './schema-tls.js';

const nodeId = {
  type: 'string',
  pattern: '^[0-9]{6}$',
  description: 'a six-digit GB/T 2260 division code of a Delta city, e.g. "330500"',
} as const;
const url = { type: 'string', format: 'uri', pattern: '^https?://', description: 'an http(s) URL' } as const;
const seconds = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max }) as const;
/** A token bucket: `burst` requests at once, refilled at `perMinute`. */
const rateLimit = (description: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    description,
    properties: { perMinute: seconds(1, 10_000_000), burst: seconds(1, 1_000_000) },
  }) as const;
/** A domain or message type is a name a contract declares; which ones exist is checked against the contracts loaded. */
const DOMAIN_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';
const domainName = {
  type: 'string',
  maxLength: 32,
  pattern: DOMAIN_PATTERN,
  description: 'a domain a contract declares, such as "food-safety"',
} as const;
const domainOrAny = {
  type: 'string',
  maxLength: 32,
  pattern: '^([*]|[a-z][a-z0-9]*(-[a-z0-9]+)*)$',
  description: 'a domain a contract declares, such as "food-safety", or "*" for every domain',
} as const;
const typeOrAny = {
  type: 'string',
  maxLength: 48,
  pattern: '^([*]|[a-z][a-z0-9]*(-[a-z0-9]+)*)$',
  description: 'a message type a contract declares, such as "case-transfer", or "*" for every type',
} as const;
/** Which domains and message types someone may send, or receives. */
const scope = {
  type: 'object',
  additionalProperties: false,
  required: ['domains', 'types'],
  properties: {
    domains: { type: 'array', uniqueItems: true, maxItems: 64, items: domainOrAny },
    types: { type: 'array', uniqueItems: true, maxItems: 128, items: typeOrAny },
  },
} as const;
/** Which cryptography a node uses (issue 19; docs/national-crypto.md). */
const cryptoProfile = {
  enum: ['international', 'gm'],
  description:
    'the cryptography profile: "gm" (national: SM2 signatures, SM3 digests, SM4-GCM at rest) or "international" (ES256/EdDSA, SHA-256, AES-256-GCM); default "international"',
} as const;
const pin = {
  anyOf: [
    {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{43}$',
      description: 'an RFC 7638 SHA-256 thumbprint (43 base64url characters)',
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['thumbprint'],
      properties: {
        thumbprint: {
          type: 'string',
          pattern: '^[A-Za-z0-9_-]{43}$',
          description: 'an RFC 7638 SHA-256 thumbprint',
        },
        notAfter: { type: 'string', format: 'date-time' },
      },
    },
  ],
} as const;

/** JSON Schema (2020-12) of a node configuration file, as written by an administrator. */
export const nodeConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:yrdx:config:node',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'province', 'publicUrl', 'keys', 'partners'],
  properties: {
    $schema: { type: 'string' },
    id: nodeId,
    name: { type: 'string', minLength: 1, maxLength: 64 },
    province: { enum: PROVINCES },
    publicUrl: url,
    dataDir: { type: 'string', minLength: 1 },
    contractsDir: { type: 'string', minLength: 1 },
    allowInsecureHttp: { type: 'boolean' },
    cryptoProfile,
    trustProxy: {
      type: 'boolean',
      description:
        'behind a TLS-terminating proxy: honour X-Forwarded-Proto and the last X-Forwarded-For entry (default false)',
    },
    clientCertificates,
    outbound: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowPrivateNetworks: {
          type: 'boolean',
          description:
            'let URLs set through the admin API or console reach loopback, private and other non-public addresses (default false; URLs in this file always may)',
        },
      },
    },
    rateLimits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        partner: rateLimit('POST /v1/inbox per partner, once the signature verifies'),
        partnerAddress: rateLimit('POST /v1/inbox per remote address, before verification'),
        localSystem: rateLimit('/v1/messages and the pull inbox per local system'),
        anonymous: rateLimit('the local systems’ routes per remote address, without a valid API key'),
      },
    },
    keys: {
      type: 'object',
      additionalProperties: false,
      required: ['source'],
      properties: {
        source: { enum: ['file', 'env', 'secret'] },
        path: { type: 'string', minLength: 1 },
        variable: {
          type: 'string',
          pattern: '^[A-Z_][A-Z0-9_]*$',
          description: 'an environment variable name',
        },
        binding: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$', description: 'a Workers secret name' },
        algorithm: { enum: SIGNING_ALGORITHMS },
      },
    },
    rotation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minNextAgeSeconds: seconds(0, 90 * 86400),
        keyLifetimeDays: {
          ...seconds(1, 3650),
          description:
            'the planned lifetime of a new key of this node (its notAfter); an alert is raised 60 days before it ends',
        },
      },
    },
    envelope: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clockSkewSeconds: seconds(0, 600),
        maxLifetimeSeconds: seconds(60, 30 * 86400),
        messageLifetimeSeconds: seconds(60, 30 * 86400),
        receiptLifetimeSeconds: seconds(60, 30 * 86400),
        maxTokenBytes: seconds(1024, 16 * 1024 * 1024),
        maxJsonDepth: seconds(4, 256),
        algorithms: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: SIGNING_ALGORITHMS } },
      },
    },
    domains: {
      type: 'array',
      uniqueItems: true,
      maxItems: 64,
      items: domainOrAny,
      description: 'the domains this node serves (default: ["*"], every domain whose contract it loads)',
    },
    localSystems: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'dialect', 'apiKeys', 'maySend', 'receives', 'delivery'],
        properties: {
          id: {
            type: 'string',
            pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
            description: 'a local system id of lower-case letters, digits and -',
          },
          name: { type: 'string', minLength: 1, maxLength: 64 },
          dialect: {
            type: 'string',
            pattern: '^[a-z][a-z0-9-]{0,31}$',
            description: 'a dialect name such as "zj"',
          },
          organs: {
            type: 'array',
            uniqueItems: true,
            maxItems: 16,
            items: {
              type: 'string',
              maxLength: 48,
              pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
              description:
                'an organ kind of the cooperation core, such as "public-security" or "procuratorate"',
            },
            description:
              'the organs this system serves: a message addressed to organs (a suspected crime handed over to a public-security organ, copied to the procuratorate) goes only to the systems of those organs',
          },
          contractMajors: {
            type: 'object',
            maxProperties: 64,
            propertyNames: domainName,
            additionalProperties: seconds(1, 99),
            description:
              'per domain, the major contract version the system speaks (e.g. {"food-safety": 1}); unset: the newest',
          },
          apiKeys: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'string',
              pattern: '^(sha256|sm3):[0-9a-f]{64}$',
              description:
                'the SHA-256 or SM3 of an API key, as printed by "yrdx keys api-key" ("sha256:<hex>" or "sm3:<hex>")',
            },
          },
          maySend: scope,
          receives: scope,
          tlsClient,
          delivery: {
            type: 'object',
            additionalProperties: false,
            required: ['mode'],
            properties: { mode: { enum: ['push', 'pull'] }, url: url },
          },
        },
      },
    },
    threads: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dueDays: {
          type: 'object',
          maxProperties: 256,
          propertyNames: {
            type: 'string',
            maxLength: 100,
            pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*(/[a-z][a-z0-9]*(-[a-z0-9]+)*)?$',
            description:
              'a request type ("case-transfer": the state its workflow opens in) or "<workflow>/<state>" ("crime-handover/received")',
          },
          additionalProperties: seconds(1, 365),
          description:
            'days a workflow state may last before it is overdue, where the contract allows the node to set it (a date in the request comes first)',
        },
      },
    },
    delivery: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxAttempts: seconds(1, 100),
        baseDelayMs: seconds(10, 3_600_000),
        maxDelayMs: seconds(100, 86_400_000),
        timeoutMs: seconds(100, 300_000),
        perPartnerConcurrency: seconds(1, 64),
        circuitFailures: seconds(1, 1000),
        circuitOpenMs: seconds(1000, 3_600_000),
        leaseMs: seconds(1000, 3_600_000),
      },
    },
    attachments,
    store: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      description:
        'where the node keeps its messages: "sqlite" (a file in dataDir, the default) or "postgres" (one database shared by several instances; DATABASE_URL in the environment takes precedence)',
      properties: {
        kind: { enum: ['sqlite', 'postgres'] },
        url: {
          type: 'string',
          pattern: '^postgres(ql)?://',
          description: 'a PostgreSQL connection URL (postgres://user@host:5432/database)',
        },
        poolSize: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description:
            'PostgreSQL only: connections each instance keeps open at most (default 10); DATABASE_POOL_SIZE in the environment takes precedence',
        },
      },
    },
    retention: {
      type: 'object',
      description:
        'days after which the payloads of a domain’s messages are removed (digests, receipts, case numbers and the audit log are kept); a domain not listed keeps them',
      maxProperties: 64,
      propertyNames: domainName,
      additionalProperties: seconds(1, 36_500),
    },
    admin: {
      type: 'object',
      additionalProperties: false,
      required: ['credentials'],
      properties: {
        credentials: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'role', 'tokenHash'],
            properties: {
              id: {
                type: 'string',
                pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
                description: 'a credential id of lower-case letters, digits, ".", "_" and "-"',
              },
              role: { enum: ADMIN_ROLES },
              tokenHash: {
                type: 'string',
                pattern: '^(sha256|sm3):[0-9a-f]{64}$',
                description:
                  'the SHA-256 or SM3 of an admin token, as printed by "yrdx keys api-key" ("sha256:<hex>" or "sm3:<hex>")',
              },
              notAfter: { type: 'string', format: 'date-time' },
            },
          },
        },
        rateLimit: {
          type: 'object',
          additionalProperties: false,
          properties: { perMinute: seconds(1, 100_000), burst: seconds(1, 10_000) },
        },
      },
    },
    partners: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'baseUrl', 'keys', 'maySend'],
        properties: {
          id: nodeId,
          name: { type: 'string', minLength: 1, maxLength: 64 },
          baseUrl: url,
          status: { enum: ['active', 'suspended'] },
          cryptoProfile: {
            ...cryptoProfile,
            description:
              'the profile the partner publishes: "gm" means only SM2 signatures are accepted from it (its keys must be SM2); absent: whatever its pinned keys sign',
          },
          subscribes: {
            type: 'array',
            uniqueItems: true,
            maxItems: 64,
            items: domainOrAny,
            description: 'domains whose risk alerts this partner receives',
          },
          keys: {
            type: 'object',
            additionalProperties: false,
            properties: {
              jwks: {
                type: 'object',
                required: ['keys'],
                properties: { keys: { type: 'array', minItems: 1, items: { type: 'object' } } },
              },
              jwksFile: { type: 'string', minLength: 1 },
              jwksUrl: url,
              pins: { type: 'array', items: pin },
            },
          },
          maySend: scope,
          tlsClient,
        },
      },
    },
  },
} as const;

/** A configuration file that passes the schema, as written (before cross-checks and defaults). */
export type RawNodeConfig = FromSchema<typeof nodeConfigSchema>;
/** One `partners` entry as written, also what the admin API receives. */
export type RawPartner = RawNodeConfig['partners'][number];
export type RawLocalSystem = NonNullable<RawNodeConfig['localSystems']>[number];
export type RawAdmin = NonNullable<RawNodeConfig['admin']>;
export type RawStore = NonNullable<RawNodeConfig['store']>;
/** The domains and message types someone may send, or receives. */
export type Scope = RawPartner['maySend'];
