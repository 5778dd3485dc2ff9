import { Hono } from 'hono';
import type { AdminConfig } from '../../config/types.js';
import type { AdminDeps } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { adminGate } from '../guard.js';
import { PartnerChanges } from '../services/partner-changes.js';
import { contractRoutes } from './contracts.js';
import { keyRoutes } from './keys.js';
import { messageRoutes } from './messages.js';
import { healthRoutes, partnerRoutes } from './partners.js';

/**
 * The admin API (`/admin/v1`), mounted only when credentials are configured. Every request passes
 * the gate (authentication, rate limit, audit record); every route names the permission it needs;
 * every answer is `Cache-Control: no-store`.
 * `partnerChanges` is shared with the console, so that both persist the same run-time partners.
 */
export function adminRoutes(
  deps: AdminDeps,
  admin: AdminConfig,
  partnerChanges: PartnerChanges = new PartnerChanges(deps),
): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const now = deps.now ?? Date.now;
  // Answers show the node as a credential sees it: no cache may keep one, refusals included.
  app.use(async function noStore(c, next) {
    await next();
    c.header('cache-control', 'no-store');
  });
  app.use(
    adminGate({
      admin,
      now,
      ...(deps.audit === undefined ? {} : { audit: deps.audit }),
      ...(deps.exchange?.sha256 === undefined ? {} : { sha256: deps.exchange.sha256 }),
      ...(deps.admin?.remoteAddress === undefined ? {} : { remoteAddress: deps.admin.remoteAddress }),
    }),
  );
  app.get('/me', (c) => {
    const credential = c.get('admin')!;
    return c.json({
      id: credential.id,
      role: credential.role,
      notAfter: credential.notAfter === undefined ? null : new Date(credential.notAfter).toISOString(),
    });
  });
  app.route('/contracts', contractRoutes(deps.admin?.contracts, deps.config.envelope.maxTokenBytes));
  app.route('/partners', partnerRoutes(deps, partnerChanges));
  app.route('/health', healthRoutes(deps));
  app.route('/keys', keyRoutes(deps));
  app.route('/', messageRoutes(deps.exchange));
  return app;
}
