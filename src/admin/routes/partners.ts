import { type Context, Hono } from 'hono';
import { requestFault } from '../../errors/request-text.js';
import type { Partner } from '../../trust/partner-registry.js';
import type { AdminDeps } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';
import { invalidRequest, jsonBody } from '../json-body.js';
import type { PartnerChanges } from '../services/partner-changes.js';
import { partnerHealth } from '../services/partner-health.js';

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
      throw invalidRequest('/id', requestFault('pathPartner', { id }));
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
