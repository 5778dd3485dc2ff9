import { configFault } from '../config/fault-text.js';
import type { PartnerConfig } from '../config/types.js';
import { describeEgressFailure } from '../egress/failure.js';
import { algorithmForKey } from '../envelope/algorithms.js';
import type { KeyResolver, VerificationKey, VerificationKeyLookup } from '../envelope/verification-key.js';
import { type ProblemItem, YrdxError } from '../errors/errors.js';
import { describeKeyFault, importVerificationKey, thumbprint } from '../keys/jwk.js';
import { keyReason } from '../keys/text.js';
import { type Domain, inScope, type MessageType } from '../vocabulary/messages.js';
import { fetchJwks, JwksFault } from './fetch-jwks.js';
import { readJwksFile } from './jwks-file.js';

/** A registered partner node with its imported keys. */
export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly status: 'active' | 'suspended';
  readonly maySend: PartnerConfig['maySend'];
  readonly keys: ReadonlyMap<string, VerificationKey>;
  readonly jwksUrl?: string;
  /** The profile declared for the partner (`gm`: only SM2 keys were imported for it). */
  readonly cryptoProfile?: PartnerConfig['cryptoProfile'];
}

/** Outcome of importing a partner's keys: the usable keys, and why any others were left out. */
interface ImportedKeys {
  readonly keys: Map<string, VerificationKey>;
  readonly faults: ProblemItem[];
}

/**
 * The partners this node trusts and their pinned keys. A `kid` is looked up only among the keys of
 * the partner named by `iss`, and a key (by RFC 7638 thumbprint) belongs to exactly one partner.
 */
export class PartnerRegistry implements KeyResolver {
  readonly #partners: Map<string, Partner>;
  readonly #configs: Map<string, PartnerConfig>;
  /** thumbprint → owner, for this node's own keys and every partner key. */
  readonly #owners: Map<string, string>;
  readonly #ownId: string;

  private constructor(
    partners: Map<string, Partner>,
    configs: Map<string, PartnerConfig>,
    owners: Map<string, string>,
    ownId: string,
  ) {
    this.#partners = partners;
    this.#configs = configs;
    this.#owners = owners;
    this.#ownId = ownId;
  }

  /**
   * Builds the registry from validated configuration. Inline keys are imported now; keys behind a
   * JWKS URL arrive with `refresh`. `ownThumbprints` are this node's keys, which no partner may hold.
   */
  static async create(
    configs: readonly PartnerConfig[],
    options: {
      readonly file: string;
      readonly ownId: string;
      readonly ownThumbprints: readonly string[];
      /** Reads a partner's `jwksFile`; only runtimes with a file system pass it. */
      readonly readFile?: (path: string) => string;
    },
  ): Promise<PartnerRegistry> {
    const owners = new Map<string, string>(options.ownThumbprints.map((t) => [t, options.ownId]));
    const partners = new Map<string, Partner>();
    const faults: ProblemItem[] = [];
    const pinOwners = new Map<string, string>();
    for (const [i, config] of configs.entries()) {
      for (const [j, pin] of config.keys.pins.entries()) {
        const other = pinOwners.get(pin.thumbprint) ?? owners.get(pin.thumbprint);
        if (other !== undefined && other !== config.id) {
          faults.push({
            file: options.file,
            pointer: `/partners/${i}/keys/pins/${j}`,
            detail: configFault('keyPinnedFor', { owner: other }),
          });
        }
        pinOwners.set(pin.thumbprint, config.id);
      }
      let jwks = config.keys.jwks?.keys;
      let pointer = `/partners/${i}/keys/jwks`;
      if (config.keys.jwksFile !== undefined) {
        pointer = `/partners/${i}/keys/jwksFile`;
        const read = readJwksFile(config.keys.jwksFile, options.readFile);
        if ('zh' in read) faults.push({ file: options.file, pointer, detail: read });
        else jwks = read;
      }
      const imported = jwks
        ? await importKeys(config, jwks, owners, pointer, options.file)
        : { keys: new Map<string, VerificationKey>(), faults: [] };
      faults.push(...imported.faults);
      partners.set(config.id, toPartner(config, imported.keys));
    }
    if (faults.length > 0) {
      throw new YrdxError('config_invalid', {
        params: { count: faults.length, file: options.file },
        errors: faults,
      });
    }
    return new PartnerRegistry(partners, new Map(configs.map((c) => [c.id, c])), owners, options.ownId);
  }

  /**
   * Records keys of this node made since the registry was built (a rotation's new next key), so
   * that no partner can claim them. Keys recorded before stay this node's: a retired or dropped key
   * never becomes a partner's. Returns the thumbprints that a partner already holds — none for a
   * freshly generated key; the caller must not use such a key.
   */
  claimOwnKeys(thumbprints: readonly string[]): string[] {
    const taken = thumbprints.filter((t) => {
      const owner = this.#owners.get(t);
      return owner !== undefined && owner !== this.#ownId;
    });
    if (taken.length === 0) for (const t of thumbprints) this.#owners.set(t, this.#ownId);
    return taken;
  }

  /** The node a key belongs to (this node's id for its own keys), by RFC 7638 thumbprint. */
  ownerOf(thumbprint: string): string | undefined {
    return this.#owners.get(thumbprint);
  }

  /**
   * Adds a partner or replaces one at run time (the admin API). Its inline keys are imported with the
   * same rule as at boot: a key belongs to exactly one partner. Nothing changes when a key is refused.
   */
  async upsert(config: PartnerConfig): Promise<Partner> {
    const owners = new Map([...this.#owners].filter(([, owner]) => owner !== config.id));
    const imported = config.keys.jwks
      ? await importKeys(config, config.keys.jwks.keys, owners, '/keys/jwks', 'request')
      : { keys: new Map<string, VerificationKey>(), faults: [] };
    for (const [j, pin] of config.keys.pins.entries()) {
      const other = owners.get(pin.thumbprint);
      if (other !== undefined && other !== config.id) {
        imported.faults.push({
          file: 'request',
          pointer: `/keys/pins/${j}`,
          detail: configFault('keyOwner', { owner: other }),
        });
      }
    }
    if (imported.faults.length > 0) {
      throw new YrdxError('request_invalid', {
        params: { count: imported.faults.length },
        errors: imported.faults,
      });
    }
    this.#owners.clear();
    for (const [t, owner] of owners) this.#owners.set(t, owner);
    const partner = toPartner(config, imported.keys);
    this.#partners.set(config.id, partner);
    this.#configs.set(config.id, config);
    return partner;
  }

  /** Suspends or resumes a partner; keys stay. Returns the partner, or undefined when unknown. */
  setStatus(id: string, status: Partner['status']): Partner | undefined {
    const partner = this.#partners.get(id);
    const config = this.#configs.get(id);
    if (partner === undefined || config === undefined) return undefined;
    const updated = { ...partner, status };
    this.#partners.set(id, updated);
    this.#configs.set(id, { ...config, status });
    return updated;
  }

  /** The configuration of every partner as it stands now, including changes made at run time. */
  configs(): readonly PartnerConfig[] {
    return [...this.#configs.values()];
  }

  config(id: string): PartnerConfig | undefined {
    return this.#configs.get(id);
  }

  resolve(iss: string, kid: string): VerificationKeyLookup {
    const partner = this.#partners.get(iss);
    if (partner === undefined) return { status: 'unknown-issuer' };
    if (partner.status !== 'active') return { status: 'suspended' };
    const key = partner.keys.get(kid);
    return key === undefined ? { status: 'unknown-key' } : { status: 'ok', key };
  }

  /** Every key registered under `kid`, of active and suspended partners alike (see `KeyResolver`). */
  candidates(kid: string): readonly VerificationKey[] {
    const keys: VerificationKey[] = [];
    for (const partner of this.#partners.values()) {
      const key = partner.keys.get(kid);
      if (key !== undefined) keys.push(key);
    }
    return keys;
  }

  get(id: string): Partner | undefined {
    return this.#partners.get(id);
  }

  list(): readonly Partner[] {
    return [...this.#partners.values()];
  }

  /** May this partner send us this type of message in this domain? */
  maySend(id: string, domain: Domain, type: MessageType): boolean {
    const partner = this.#partners.get(id);
    return (
      partner !== undefined &&
      partner.status === 'active' &&
      inScope(partner.maySend.domains, domain) &&
      inScope(partner.maySend.types, type)
    );
  }

  /**
   * Fetches the JWKS of every partner registered by URL and keeps the keys whose thumbprints are
   * pinned. A partner whose JWKS cannot be fetched keeps the keys it had; the faults are returned
   * for logging and health, never thrown, so that one partner's outage does not stop the node.
   */
  async refresh(fetcher: typeof fetch, timeoutMs = 5000): Promise<YrdxError[]> {
    const faults: YrdxError[] = [];
    for (const config of this.#configs.values()) {
      if (config.keys.jwksUrl === undefined) continue;
      try {
        const jwks = await fetchJwks(fetcher, config.keys.jwksUrl, timeoutMs);
        const pinned = new Set(config.keys.pins.map((p) => p.thumbprint));
        const candidates: Record<string, unknown>[] = [];
        for (const jwk of jwks) {
          const fault = describeKeyFault(jwk, 'public');
          if (fault === undefined && pinned.has(await thumbprint(jwk))) candidates.push(jwk);
        }
        const imported = await importKeys(config, candidates, this.#owners, '/keys', config.keys.jwksUrl);
        if (imported.keys.size === 0) {
          throw new YrdxError('partner_keys_unavailable', {
            params: { partner: config.id, reason: keyReason('noPinnedMatch') },
            errors: imported.faults,
          });
        }
        this.#partners.set(config.id, toPartner(config, imported.keys));
        // The keys that could be imported are used; the others are reported.
        if (imported.faults.length > 0)
          faults.push(
            new YrdxError('partner_keys_unavailable', {
              params: {
                partner: config.id,
                reason: keyReason('someRefused', { count: imported.faults.length }),
              },
              errors: imported.faults,
            }),
          );
      } catch (cause) {
        // The reason names no address or port and quotes nothing of the answer: administrators read it.
        faults.push(
          cause instanceof YrdxError
            ? cause
            : new YrdxError('partner_keys_unavailable', {
                params: {
                  partner: config.id,
                  reason: cause instanceof JwksFault ? cause.reason : describeEgressFailure(cause),
                },
                cause,
              }),
        );
      }
    }
    return faults;
  }
}

function toPartner(config: PartnerConfig, keys: Map<string, VerificationKey>): Partner {
  return {
    id: config.id,
    name: config.name,
    baseUrl: config.baseUrl,
    status: config.status,
    maySend: config.maySend,
    keys,
    ...(config.keys.jwksUrl === undefined ? {} : { jwksUrl: config.keys.jwksUrl }),
    ...(config.cryptoProfile === undefined ? {} : { cryptoProfile: config.cryptoProfile }),
  };
}

async function importKeys(
  config: PartnerConfig,
  jwks: readonly Readonly<Record<string, unknown>>[],
  owners: Map<string, string>,
  pointer: string,
  file: string,
): Promise<ImportedKeys> {
  const keys = new Map<string, VerificationKey>();
  const faults: ProblemItem[] = [];
  const notAfter = new Map(config.keys.pins.map((p) => [p.thumbprint, p.notAfter]));
  const pinned = config.keys.pins.length > 0;
  for (const [j, jwk] of jwks.entries()) {
    const at = `${pointer}/keys/${j}`;
    const fault = describeKeyFault(jwk, 'public');
    if (fault !== undefined) {
      faults.push({ file, pointer: at, detail: configFault('publicKey', { reason: fault }) });
      continue;
    }
    if (typeof jwk.kid !== 'string' || jwk.kid.length === 0) {
      faults.push({ file, pointer: `${at}/kid`, detail: configFault('kid') });
      continue;
    }
    if (keys.has(jwk.kid)) {
      faults.push({
        file,
        pointer: `${at}/kid`,
        detail: configFault('kidRepeats', { kid: jwk.kid }),
      });
      continue;
    }
    const alg = algorithmForKey(jwk);
    if (config.cryptoProfile === 'gm' && alg !== 'SM2') {
      faults.push({ file, pointer: at, detail: configFault('gmPartnerKey', { alg: alg ?? '?' }) });
      continue;
    }
    const tp = await thumbprint(jwk);
    if (pinned && !notAfter.has(tp)) {
      faults.push({ file, pointer: at, detail: configFault('pinMatch') });
      continue;
    }
    const owner = owners.get(tp);
    if (owner !== undefined && owner !== config.id) {
      faults.push({
        file,
        pointer: at,
        detail: configFault('keyOwner', { owner }),
      });
      continue;
    }
    let key: VerificationKey;
    try {
      key = await importVerificationKey({ ...jwk, kid: jwk.kid }, config.id, notAfter.get(tp));
    } catch (error) {
      if (!(error instanceof YrdxError)) throw error;
      faults.push({
        file,
        pointer: at,
        rule: error.code,
        detail: { zh: error.detail('zh'), en: error.detail('en') },
      });
      continue;
    }
    owners.set(tp, config.id);
    keys.set(jwk.kid, key);
  }
  return { keys, faults };
}
