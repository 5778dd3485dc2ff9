import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { DEFAULT_POLICY, type EnvelopePolicy } from '../envelope/policy.js';
import { type ProblemItem, YrdxError } from '../errors/errors.js';
import { DEFAULT_KEY_LIFETIME_DAYS } from '../keys/keyring.js';
import { DOMAINS, PROVINCE_BY_PREFIX } from '../vocabulary/messages.js';
import { cityByCode } from '../vocabulary/regions.js';
import { readNetworkSettings } from './network.js';
import { nodeConfigSchema } from './schema.js';
import type {
  AdminConfig,
  AdminCredentialConfig,
  DeliveryConfig,
  KeyPin,
  KeySourceConfig,
  LocalSystemConfig,
  NodeConfig,
  PartnerConfig,
  StoreConfig,
} from './types.js';

/** A schema validator as ajv builds it: a predicate that leaves its faults in `errors`. */
export type SchemaValidator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The validators of the configuration schema: a whole node configuration, and one partner entry. */
export interface ConfigSchemaValidators {
  readonly node: SchemaValidator;
  readonly partner: SchemaValidator;
}

/** The options the configuration schema is compiled with (also by the edge build's standalone code). */
export const CONFIG_AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const;

let installed: ConfigSchemaValidators | undefined;

/**
 * Installs precompiled validators of the configuration schema. The Workers runtime cannot generate
 * code, so its entry installs the standalone validators of the edge build before anything validates;
 * elsewhere ajv compiles the schema on first use.
 */
export function useConfigSchemaValidators(validators: ConfigSchemaValidators): void {
  installed = validators;
}

function schemaValidators(): ConfigSchemaValidators {
  if (installed === undefined) {
    const ajv = new Ajv2020(CONFIG_AJV_OPTIONS);
    addFormats.default(ajv);
    installed = {
      node: ajv.compile(nodeConfigSchema),
      partner: ajv.compile(nodeConfigSchema.properties.partners.items),
    };
  }
  return installed;
}

export interface ConfigSourceOptions {
  /** The file the configuration came from; every fault names it. */
  readonly file: string;
  /** Turns a path in the configuration into one the runtime can open. */
  readonly resolvePath?: (path: string) => string;
}

type Raw = Record<string, unknown>;

/**
 * Validates a parsed configuration file and returns it with defaults applied, deeply frozen. Every
 * fault names the file, the JSON pointer and what was expected; all faults are reported at once.
 */
export function validateNodeConfig(value: unknown, options: ConfigSourceOptions): NodeConfig {
  const { file } = options;
  const validateSchema = schemaValidators().node;
  if (!validateSchema(value)) {
    throw configError(
      file,
      (validateSchema.errors ?? []).map((e) => describeAjvError(e, file)),
    );
  }
  const raw = value as unknown as Raw;
  const faults: ProblemItem[] = [];
  const fault = (pointer: string, detail: string) => faults.push({ file, pointer, detail });
  const allowInsecureHttp = raw.allowInsecureHttp === true;

  const id = raw.id as string;
  const city = cityByCode(id);
  if (city === undefined)
    fault('/id', `expected the division code of one of the Delta's 41 cities; "${id}" is not one`);
  const province = raw.province as NodeConfig['province'];
  if (city !== undefined && PROVINCE_BY_PREFIX[id.slice(0, 2)] !== province) {
    fault('/province', `expected "${PROVINCE_BY_PREFIX[id.slice(0, 2)]}" for node ${id} (${city.name})`);
  }
  checkUrl(raw.publicUrl as string, '/publicUrl', allowInsecureHttp, fault);

  const keys = readKeySource(raw.keys as Raw, fault);
  const partners = (raw.partners as Raw[]).map((p, i) =>
    readPartner(p, i, id, allowInsecureHttp, options, fault),
  );
  const seen = new Map<string, number>();
  partners.forEach((p, i) => {
    const first = seen.get(p.id);
    if (first !== undefined)
      fault(`/partners/${i}/id`, `expected a partner id not used before; it repeats /partners/${first}/id`);
    else seen.set(p.id, i);
  });

  const localSystems = ((raw.localSystems as Raw[] | undefined) ?? []).map((l, i) =>
    readLocalSystem(l, i, allowInsecureHttp, fault),
  );
  const localIds = new Set<string>();
  localSystems.forEach((l, i) => {
    if (localIds.has(l.id))
      fault(`/localSystems/${i}/id`, `expected a local system id not used before; "${l.id}" repeats`);
    localIds.add(l.id);
  });
  const envelope = { ...DEFAULT_POLICY, ...(raw.envelope as Partial<EnvelopePolicy> | undefined) };
  if (envelope.messageLifetimeSeconds > envelope.maxLifetimeSeconds) {
    fault(
      '/envelope/messageLifetimeSeconds',
      `expected at most maxLifetimeSeconds (${envelope.maxLifetimeSeconds})`,
    );
  }
  if (envelope.receiptLifetimeSeconds > envelope.maxLifetimeSeconds) {
    fault(
      '/envelope/receiptLifetimeSeconds',
      `expected at most maxLifetimeSeconds (${envelope.maxLifetimeSeconds})`,
    );
  }
  const delivery = { ...DEFAULT_DELIVERY, ...(raw.delivery as Partial<DeliveryConfig> | undefined) };
  if (delivery.leaseMs < delivery.timeoutMs * 2) {
    fault(
      '/delivery/leaseMs',
      `expected at least twice timeoutMs (${delivery.timeoutMs * 2} ms), so that a claim outlives the call it covers`,
    );
  }
  if (!envelope.algorithms.includes(keys.algorithm)) {
    fault('/keys/algorithm', `expected one of envelope.algorithms (${envelope.algorithms.join(', ')})`);
  }
  const admin = readAdmin(raw.admin as Raw | undefined, fault);
  const store = readStore(raw.store as Raw | undefined, fault);
  if (faults.length > 0) throw configError(file, faults);

  const dataDir = (raw.dataDir as string | undefined) ?? 'data';
  const config: NodeConfig = {
    id,
    name: raw.name as string,
    province,
    publicUrl: stripSlash(raw.publicUrl as string),
    dataDir: options.resolvePath ? options.resolvePath(dataDir) : dataDir,
    ...(typeof raw.contractsDir === 'string'
      ? { contractsDir: options.resolvePath ? options.resolvePath(raw.contractsDir) : raw.contractsDir }
      : {}),
    keys,
    rotation: {
      minNextAgeSeconds: 86400,
      keyLifetimeDays: DEFAULT_KEY_LIFETIME_DAYS,
      ...(raw.rotation as Raw | undefined),
    },
    envelope,
    domains: (raw.domains as NodeConfig['domains'] | undefined) ?? DOMAINS,
    partners,
    localSystems,
    threadDueDays: {
      ...DEFAULT_DUE_DAYS,
      ...((raw.threads as Raw | undefined)?.dueDays as Record<string, number> | undefined),
    },
    delivery,
    retentionDays: { ...(raw.retention as NodeConfig['retentionDays'] | undefined) },
    allowInsecureHttp,
    ...readNetworkSettings(raw),
    store,
    ...(admin === undefined ? {} : { admin }),
  };
  return deepFreeze(config);
}

/** Days until a request is due when it does not say (yrdx's defaults; set per node in `threads.dueDays`). */
export const DEFAULT_DUE_DAYS: Readonly<Record<string, number>> = {
  'assistance-request': 15,
  consultation: 10,
  'case-transfer': 30,
  'clue-transfer': 15,
};

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

export const DEFAULT_ADMIN_RATE_LIMIT: AdminConfig['rateLimit'] = { perMinute: 120, burst: 30 };

/** The store section: SQLite unless the file says PostgreSQL, with the URL of its database. */
function readStore(store: Raw | undefined, fault: (p: string, d: string) => void): StoreConfig {
  if (store === undefined || store.kind === 'sqlite') {
    if (store?.url !== undefined)
      fault('/store/url', 'expected no URL for the SQLite store (it is a file in dataDir)');
    if (store?.poolSize !== undefined)
      fault('/store/poolSize', 'expected no pool size for the SQLite store (it is a file in dataDir)');
    return { kind: 'sqlite' };
  }
  const poolSize = typeof store.poolSize === 'number' ? { poolSize: store.poolSize } : {};
  const url = store.url;
  if (typeof url !== 'string') {
    fault(
      '/store/url',
      'expected the URL of the PostgreSQL database (postgres://user@host:5432/database), or DATABASE_URL in the environment and no "store" member',
    );
    return { kind: 'postgres', url: '', ...poolSize };
  }
  const problem = postgresUrlProblem(url);
  if (problem !== undefined) fault('/store/url', problem);
  return { kind: 'postgres', url, ...poolSize };
}

/** Why `url` is not a PostgreSQL connection URL yrdx can use, or undefined when it is one. */
export function postgresUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'expected a PostgreSQL connection URL (postgres://user@host:5432/database)';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return `expected a postgres:// or postgresql:// URL, not ${parsed.protocol}//`;
  if (parsed.hostname === '' && !parsed.searchParams.has('host'))
    return 'expected the host of the PostgreSQL server (postgres://user@host:5432/database)';
  if (parsed.pathname.length <= 1) return 'expected the database name at the end of the URL (…/database)';
  return undefined;
}

/** The admin API section; without credentials the API stays off. */
function readAdmin(admin: Raw | undefined, fault: (p: string, d: string) => void): AdminConfig | undefined {
  if (admin === undefined) return undefined;
  const raw = admin.credentials as Raw[];
  const ids = new Map<string, number>();
  const hashes = new Map<string, number>();
  const credentials: AdminCredentialConfig[] = raw.map((c, i) => {
    const id = c.id as string;
    const tokenHash = (c.tokenHash as string).slice('sha256:'.length);
    const sameId = ids.get(id);
    if (sameId !== undefined)
      fault(
        `/admin/credentials/${i}/id`,
        `expected a credential id not used before; it repeats /admin/credentials/${sameId}/id`,
      );
    ids.set(id, i);
    const sameHash = hashes.get(tokenHash);
    if (sameHash !== undefined)
      fault(
        `/admin/credentials/${i}/tokenHash`,
        `expected a token of its own; /admin/credentials/${sameHash} has the same token, so the two could not be told apart`,
      );
    hashes.set(tokenHash, i);
    const notAfter = typeof c.notAfter === 'string' ? Date.parse(c.notAfter) : undefined;
    return {
      id,
      role: c.role as AdminCredentialConfig['role'],
      tokenHash,
      ...(notAfter === undefined ? {} : { notAfter }),
    };
  });
  if (credentials.length === 0) return undefined;
  const rateLimit = { ...DEFAULT_ADMIN_RATE_LIMIT, ...(admin.rateLimit as Raw | undefined) };
  return { credentials, rateLimit };
}

function readLocalSystem(
  l: Raw,
  i: number,
  allowInsecureHttp: boolean,
  fault: (p: string, d: string) => void,
): LocalSystemConfig {
  const delivery = l.delivery as Raw;
  if (delivery.mode === 'push') {
    if (typeof delivery.url !== 'string')
      fault(`/localSystems/${i}/delivery/url`, 'expected the URL the gateway posts messages to');
    else checkUrl(delivery.url, `/localSystems/${i}/delivery/url`, allowInsecureHttp, fault);
  } else if (delivery.url !== undefined) {
    fault(`/localSystems/${i}/delivery/url`, 'expected no URL for pull delivery (the local system polls)');
  }
  return {
    id: l.id as string,
    name: l.name as string,
    dialect: l.dialect as string,
    apiKeyHashes: (l.apiKeys as string[]).map((k) => k.slice('sha256:'.length)),
    maySend: l.maySend as LocalSystemConfig['maySend'],
    receives: l.receives as LocalSystemConfig['receives'],
    delivery: delivery.mode === 'push' ? { mode: 'push', url: delivery.url as string } : { mode: 'pull' },
  };
}

function configError(file: string, errors: ProblemItem[]): YrdxError {
  return new YrdxError('config_invalid', { params: { count: errors.length, file }, errors });
}

function readKeySource(keys: Raw, fault: (p: string, d: string) => void): KeySourceConfig {
  const algorithm = (keys.algorithm as KeySourceConfig['algorithm'] | undefined) ?? 'ES256';
  switch (keys.source) {
    case 'file':
      return { source: 'file', path: (keys.path as string | undefined) ?? 'keys/keyring.json', algorithm };
    case 'env':
      if (typeof keys.variable !== 'string')
        fault('/keys/variable', 'expected the name of the environment variable that holds the keys');
      return { source: 'env', variable: keys.variable as string, algorithm };
    default:
      if (typeof keys.binding !== 'string')
        fault('/keys/binding', 'expected the name of the Workers secret that holds the keys');
      return { source: 'secret', binding: keys.binding as string, algorithm };
  }
}

function readPartner(
  p: Raw,
  i: number,
  self: string,
  allowInsecureHttp: boolean,
  options: ConfigSourceOptions,
  fault: (p: string, d: string) => void,
): PartnerConfig {
  const at = `/partners/${i}`;
  const id = p.id as string;
  if (cityByCode(id) === undefined)
    fault(`${at}/id`, `expected the division code of one of the Delta's 41 cities; "${id}" is not one`);
  if (id === self) fault(`${at}/id`, 'expected another node; a node is not its own partner');
  checkUrl(p.baseUrl as string, `${at}/baseUrl`, allowInsecureHttp, fault);
  const keys = p.keys as Raw;
  const sources = (['jwks', 'jwksFile', 'jwksUrl'] as const).filter((k) => keys[k] !== undefined);
  if (sources.length !== 1) fault(`${at}/keys`, 'expected exactly one of "jwks", "jwksFile" or "jwksUrl"');
  const jwks = keys.jwks as PartnerConfig['keys']['jwks'];
  const jwksFile = typeof keys.jwksFile === 'string' ? keys.jwksFile : undefined;
  if (typeof keys.jwksUrl === 'string') {
    checkUrl(keys.jwksUrl, `${at}/keys/jwksUrl`, allowInsecureHttp, fault);
    if (!Array.isArray(keys.pins) || keys.pins.length === 0) {
      fault(
        `${at}/keys/pins`,
        'expected at least one pinned thumbprint: keys fetched from a URL are used only when pinned',
      );
    }
  }
  const pins: KeyPin[] = ((keys.pins as unknown[] | undefined) ?? []).map((pin, j) => {
    if (typeof pin === 'string') return { thumbprint: pin };
    const { thumbprint, notAfter } = pin as { thumbprint: string; notAfter?: string };
    const ms = notAfter === undefined ? undefined : Date.parse(notAfter);
    if (ms !== undefined && Number.isNaN(ms))
      fault(`${at}/keys/pins/${j}/notAfter`, 'expected an ISO 8601 date-time');
    return ms === undefined ? { thumbprint } : { thumbprint, notAfter: Math.floor(ms / 1000) };
  });
  return {
    id,
    name: p.name as string,
    baseUrl: stripSlash(p.baseUrl as string),
    status: (p.status as PartnerConfig['status'] | undefined) ?? 'active',
    subscribes: (p.subscribes as PartnerConfig['subscribes'] | undefined) ?? [],
    keys: {
      ...(jwks === undefined ? {} : { jwks }),
      ...(jwksFile === undefined
        ? {}
        : { jwksFile: options.resolvePath ? options.resolvePath(jwksFile) : jwksFile }),
      ...(typeof keys.jwksUrl === 'string' ? { jwksUrl: keys.jwksUrl } : {}),
      pins,
    },
    maySend: p.maySend as PartnerConfig['maySend'],
  };
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

function checkUrl(
  text: string,
  pointer: string,
  allowInsecureHttp: boolean,
  fault: (p: string, d: string) => void,
): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fault(pointer, 'expected an absolute http(s) URL');
    return;
  }
  if (url.username !== '' || url.password !== '') fault(pointer, 'expected a URL without credentials');
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    fault(
      pointer,
      'expected https (plain http is allowed only on loopback, or with "allowInsecureHttp": true)',
    );
  }
}

function stripSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** Turns one ajv error into "what was expected" at a JSON pointer. */
export function describeAjvError(e: ErrorObject, file: string): ProblemItem {
  const params = e.params as Record<string, unknown>;
  const schema = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  switch (e.keyword) {
    case 'required':
      return {
        file,
        pointer: join(e.instancePath, String(params.missingProperty)),
        detail: 'expected this member; it is missing',
      };
    case 'additionalProperties': {
      const allowed = Object.keys(schema?.properties ?? {}).join(', ');
      return {
        file,
        pointer: join(e.instancePath, String(params.additionalProperty)),
        detail: `expected no such member (allowed here: ${allowed})`,
      };
    }
    case 'enum':
      return {
        file,
        pointer,
        detail: `expected one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return { file, pointer, detail: `expected ${String(params.type)}` };
    case 'pattern':
    case 'format':
      return {
        file,
        pointer,
        detail: `expected ${schema?.description ?? `a value of format ${String(params.format ?? params.pattern)}`}`,
      };
    case 'anyOf':
      return { file, pointer, detail: 'expected a thumbprint string or {"thumbprint", "notAfter"}' };
    default:
      return { file, pointer, detail: `expected a value that ${e.message ?? 'fits the schema'}` };
  }
}

function join(base: string, member: string): string {
  return `${base}/${member.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates one partner as the admin API receives it (the same rules as a `partners` entry of the
 * configuration file, except that keys come inline or from a pinned URL, never from a file).
 */
export function validatePartnerConfig(
  value: unknown,
  options: { readonly self: string; readonly allowInsecureHttp: boolean },
): PartnerConfig {
  const file = 'request';
  const invalid = (errors: ProblemItem[]) =>
    new YrdxError('request_invalid', { params: { count: errors.length }, errors });
  const validatePartnerSchema = schemaValidators().partner;
  if (!validatePartnerSchema(value)) {
    throw invalid((validatePartnerSchema.errors ?? []).map((e) => describeAjvError(e, file)));
  }
  const faults: ProblemItem[] = [];
  const raw = value as unknown as Raw;
  if ((raw.keys as Raw).jwksFile !== undefined) {
    faults.push({ file, pointer: '/keys/jwksFile', detail: 'expected inline "jwks" or a pinned "jwksUrl"' });
  }
  const partner = readPartner(raw, 0, options.self, options.allowInsecureHttp, { file }, (pointer, detail) =>
    faults.push({ file, pointer: pointer.replace(/^\/partners\/0/, '') || '/', detail }),
  );
  if (faults.length > 0) throw invalid(faults);
  return deepFreeze(partner);
}
