import { validatePartnerConfig } from '../../config/validate.js';
import { type EgressPolicy, egressPolicy } from '../../egress/policy.js';
import { YrdxError } from '../../errors/errors.js';
import { scopeFaults } from '../../exchange/local/dialect-check.js';
import type { Partner } from '../../trust/partner-registry.js';
import type { AdminDeps } from '../deps.js';
import { checkPartnerUrls } from './partner-urls.js';

/**
 * Run-time changes to partners, shared by the admin API and the console so that both persist the
 * same set: every partner registered or changed at run time (they take precedence over the
 * configuration file's entry of the same id).
 */
export class PartnerChanges {
  readonly #deps: AdminDeps;
  readonly #runtime: Set<string>;
  /** URLs set here must reach public addresses unless configured (see `egressPolicy`). */
  readonly #policy: EgressPolicy;

  constructor(deps: AdminDeps) {
    this.#deps = deps;
    this.#runtime = new Set(deps.admin?.runtimePartners ?? []);
    this.#policy = egressPolicy(deps.config);
  }

  /** Whether the partner was registered or changed at run time. */
  isRuntime(id: string): boolean {
    return this.#runtime.has(id);
  }

  /** The partner, or `partner_not_found`. */
  existing(id: string): Partner {
    const partner = this.#deps.partners.get(id);
    if (partner === undefined)
      throw new YrdxError('partner_not_found', { params: { partner: id.slice(0, 16) } });
    return partner;
  }

  /** Saves every run-time partner, now including `id`. */
  async persist(id: string): Promise<void> {
    this.#runtime.add(id);
    const configs = this.#deps.partners.configs().filter((p) => this.#runtime.has(p.id));
    await this.#deps.admin?.state?.savePartners(configs);
  }

  /**
   * Registers (`create`: only a new id, else `partner_exists`) or replaces a partner from a request
   * body, checked by `validatePartnerConfig`; fetches its keys from a JWKS URL at once and persists
   * it. Returns the partner and the faults of that first fetch, if any.
   */
  async register(
    body: Record<string, unknown>,
    options: { readonly create?: boolean } = {},
  ): Promise<{ partner: Partner; warnings: string[] }> {
    const deps = this.#deps;
    if (options.create && typeof body.id === 'string' && deps.partners.get(body.id) !== undefined) {
      throw new YrdxError('partner_exists', { params: { partner: body.id } });
    }
    // Domains and types are the contracts' names: ones no loaded contract declares are refused
    // with the schema's faults, every fault at once.
    const registry = deps.exchange?.contracts;
    const maySend = (body.maySend ?? {}) as { domains?: unknown; types?: unknown };
    const named =
      registry === undefined || !Array.isArray(maySend.domains)
        ? []
        : scopeFaults(
            registry,
            '/maySend',
            maySend.domains,
            Array.isArray(maySend.types) ? maySend.types : undefined,
          ).map((f) => ({ ...f, file: 'request' }));
    let config: ReturnType<typeof validatePartnerConfig>;
    try {
      config = validatePartnerConfig(body, {
        self: deps.config.id,
        allowInsecureHttp: deps.config.allowInsecureHttp,
      });
    } catch (error) {
      if (error instanceof YrdxError && error.code === 'request_invalid' && named.length > 0) {
        const errors = [...error.errors, ...named];
        throw new YrdxError('request_invalid', { params: { count: errors.length }, errors });
      }
      throw error;
    }
    if (named.length > 0)
      throw new YrdxError('request_invalid', { params: { count: named.length }, errors: named });
    await checkPartnerUrls(config, this.#policy, deps.admin?.resolveHost);
    const partner = await deps.partners.upsert(config);
    const faults =
      config.keys.jwksUrl !== undefined && deps.exchange !== undefined
        ? await deps.partners.refresh(deps.exchange.fetch)
        : [];
    await this.persist(partner.id);
    return {
      partner: deps.partners.get(partner.id) ?? partner,
      warnings: faults.map((f) => f.detail('en')),
    };
  }

  /** Suspends or resumes a partner at once and persists it; returns it and the audit note. */
  async setStatus(id: string, status: Partner['status']): Promise<{ partner: Partner; note: string }> {
    this.existing(id);
    const partner = this.#deps.partners.setStatus(id, status)!;
    await this.persist(id);
    return { partner, note: `${status === 'active' ? 'resumed' : 'suspended'} partner ${id}` };
  }
}
