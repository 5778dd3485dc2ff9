import { Hono } from 'hono';
import type { AdminServices } from './admin/deps.js';
import { adminRoutes } from './admin/routes/routes.js';
import { PartnerChanges } from './admin/services/partner-changes.js';
import { summariseAnonymousRefusals } from './audit/refusals.js';
import type { AuditSink } from './audit/sink.js';
import type { NodeConfig } from './config/types.js';
import { consoleRoutes } from './console/routes.js';
import type { ContractRef } from './contracts/registry.js';
import type { ExchangeDeps } from './exchange/deps.js';
import { exchangeRoutes } from './exchange/routes/routes.js';
import { opsRoutes } from './health/routes.js';
import type { AppEnv, LogFn } from './http/env.js';
import { notFound, problemResponse } from './http/problem.js';
import { requestId } from './http/request-id.js';
import { safeUrl } from './http/safe-url.js';
import type { NodeKeyring } from './keys/keyring.js';
import type { Metrics } from './metrics/yrdx.js';
import { apiDocsRoutes } from './openapi/routes.js';
import { VERSION } from './platform/version.js';
import type { PartnerRegistry } from './trust/partner-registry.js';
import { wellKnownRoutes } from './well-known/routes.js';

/** Everything the gateway needs, passed in by a runtime. The app never reads the environment. */
export interface AppDeps {
  readonly config: NodeConfig;
  /** The current keyring; a function so that a rotation takes effect without a restart. */
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly contracts?: () => readonly ContractRef[];
  /** Milliseconds since the epoch; tests pass a fake clock. */
  readonly now?: () => number;
  readonly log?: LogFn;
  /** The exchange (store, contracts, fetch); without it the node serves only its well-known documents. */
  readonly exchange?: ExchangeDeps;
  /** The audit log that admin actions are recorded in. */
  readonly audit?: AuditSink;
  /** What the admin API uses beyond the above; the API itself is on only when `config.admin` has credentials. */
  readonly admin?: AdminServices;
  /** Served at `/metrics`; defaults to the exchange's. */
  readonly metrics?: Metrics;
}

/** Builds the yrdx HTTP application for any runtime that speaks the Fetch API. */
export function buildApp(deps: AppDeps): Hono<AppEnv> {
  const now = deps.now ?? Date.now;
  const app = new Hono<AppEnv>();
  app.use(requestId(now, deps.log));
  app.use(safeUrl());
  app.route(
    '/.well-known',
    wellKnownRoutes({
      config: deps.config,
      keyring: deps.keyring,
      contracts: deps.contracts ?? (() => []),
      now,
    }),
  );
  if (deps.exchange) app.route('/v1', exchangeRoutes(deps.exchange));
  // The admin API: off unless credentials are configured.
  if (deps.config.admin !== undefined) {
    // Refusals of callers without a valid credential are counted and summarised, not one entry each.
    const metrics = metricsOf(deps);
    const audit =
      deps.audit &&
      summariseAnonymousRefusals(deps.audit, {
        now,
        ...(deps.log === undefined ? {} : { log: deps.log }),
        ...(metrics === undefined ? {} : { metrics }),
      });
    const admin = { ...deps, ...(audit === undefined ? {} : { audit }) };
    // One record of run-time partner changes for both, so that neither forgets the other's.
    const partnerChanges = new PartnerChanges(admin);
    app.route('/admin/v1', adminRoutes(admin, deps.config.admin, partnerChanges));
    // The admin console: the same credentials and roles as the admin API, in a browser.
    app.route('/console', consoleRoutes(admin, deps.config.admin, partnerChanges));
  }
  mountOperations(app, deps);
  app.notFound(notFound);
  app.onError((error, c) => problemResponse(c, error));
  return app;
}

const metricsOf = (deps: AppDeps): Metrics | undefined => deps.metrics ?? deps.exchange?.metrics;

/** `/healthz`, `/readyz`, `/metrics` (with a metrics registry), `/openapi.json` and `/docs`. */
function mountOperations(app: Hono<AppEnv>, deps: AppDeps): void {
  const metrics = metricsOf(deps);
  app.route(
    '/',
    opsRoutes({
      keyring: deps.keyring,
      domains: deps.config.domains,
      ...(deps.exchange ? { store: deps.exchange.store, contracts: deps.exchange.contracts } : {}),
      ...(deps.contracts ? { announced: deps.contracts } : {}),
      ...(metrics ? { metrics } : {}),
    }),
  );
  app.route(
    '/',
    apiDocsRoutes({
      config: deps.config,
      version: VERSION,
      metrics: metrics !== undefined,
      admin: deps.config.admin !== undefined,
      ...(deps.exchange ? { contracts: deps.exchange.contracts } : {}),
    }),
  );
}
