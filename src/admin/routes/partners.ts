import { type Context, Hono } from 'hono';
import { validatePartnerConfig } from '../../config/validate.js';
import { type EgressPolicy, egressPolicy } from '../../egress/policy.js';
import { YrdxError } from '../../errors/errors.js';
import type { Partner } from '../../trust/partner-registry.js';
import type { AdminDeps } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';
import { invalidRequest, jsonBody } from '../json-body.js';
import { checkPartnerUrls } from '../services/partner-urls.js';

const HOUR = 3_600_000;

/**
 * `/partners`: register, change, suspend and resume partners at run time. Changes take effect at
 * once and are persisted (they take precedence over the configuration file's entry of the same id).
 */
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
    const config = validatePartnerConfig(body, {
      self: deps.config.id,
      allowInsecureHttp: deps.config.allowInsecureHttp,
    });
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

/**
 * `/partners`: register, change, suspend and resume partners at run time. Changes take effect at
 * once and are persisted (they take precedence over the configuration file's entry of the same id).
 */
export function partnerRoutes(deps: AdminDeps, changes: PartnerChanges): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const now = deps.now ?? Date.now;
  const existing = (id: string): Partner => changes.existing(id);
  const view = (p: Partner) => {
    const config = deps.partners.config(p.id);
    return {
      id: p.id,
      name: p.name,
      baseUrl: p.baseUrl,
      status: p.status,
      maySend: p.maySend,
      subscribes: config?.subscribes ?? [],
      keys: [...p.keys.keys()],
      pins: config?.keys.pins ?? [],
      ...(p.jwksUrl === undefined ? {} : { jwksUrl: p.jwksUrl }),
      runtime: changes.isRuntime(p.id),
    };
  };
  const register = async (body: Record<string, unknown>, create = false) => {
    const { partner, warnings } = await changes.register(body, { create });
    return { partner: view(partner), warnings };
  };

  app.get('/', allow('ops:read'), (c) => c.json({ items: deps.partners.list().map(view) }));
  app.get('/:id', allow('ops:read'), (c) => c.json(view(existing(c.req.param('id')))));

  app.post('/', allow('partners:write'), async (c) => {
    const body = await jsonBody(c, 256 * 1024);
    const result = await register(body, true);
    noteAudit(c, `registered partner ${result.partner.id}`);
    c.header('location', `/admin/v1/partners/${result.partner.id}`);
    return c.json(result, 201);
  });

  app.put('/:id', allow('partners:write'), async (c) => {
    const id = c.req.param('id');
    existing(id);
    const body = await jsonBody(c, 256 * 1024);
    if (body.id !== undefined && body.id !== id)
      throw invalidRequest('/id', `expected "${id}", the partner in the path`);
    const result = await register({ ...body, id });
    noteAudit(c, `updated partner ${id}`);
    return c.json(result);
  });

  const setStatus = (status: Partner['status']) => async (c: Context<AdminEnv>) => {
    const { partner, note } = await changes.setStatus(c.req.param('id') ?? '', status);
    noteAudit(c, note);
    return c.json(view(partner));
  };
  app.post('/:id/suspend', allow('partners:suspend'), setStatus('suspended'));
  app.post('/:id/resume', allow('partners:write'), setStatus('active'));

  app.get('/:id/health', allow('ops:read'), async (c) =>
    c.json(await partnerHealth(deps, existing(c.req.param('id')), now())),
  );

  return app;
}

/** The health of deliveries to every partner (`GET /health/partners`). */
export function healthRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const now = deps.now ?? Date.now;
  app.get('/partners', allow('ops:read'), async (c) => {
    const at = now();
    const items = [];
    for (const p of deps.partners.list()) items.push(await partnerHealth(deps, p, at));
    return c.json({ window: 'PT1H', items });
  });
  return app;
}

/** Last success, error rate over the last hour, circuit state and queue depth of one partner. */
export async function partnerHealth(deps: AdminDeps, partner: Partner, now: number) {
  const activity = (await deps.exchange?.store.partnerActivity(now - HOUR))?.find(
    (a) => a.partner === partner.id,
  );
  const attempts = (activity?.delivered ?? 0) + (activity?.failed ?? 0);
  return {
    partner: partner.id,
    status: partner.status,
    lastSuccessAt:
      activity?.lastSuccessAt === undefined ? null : new Date(activity.lastSuccessAt).toISOString(),
    delivered: activity?.delivered ?? 0,
    failed: activity?.failed ?? 0,
    errorRate: attempts === 0 ? null : (activity?.failed ?? 0) / attempts,
    circuit: deps.admin?.circuitOpen?.(partner.id, now) ? 'open' : 'closed',
    queueDepth: activity?.queued ?? 0,
    deadLetters: activity?.dead ?? 0,
  };
}
