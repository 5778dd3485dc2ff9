import { Hono } from 'hono';
import { YrdxError } from '../errors/errors.js';
import type { AppEnv } from '../http/env.js';
import type { Metrics } from '../metrics/yrdx.js';
import { checkReadiness, notReadyItems, type ReadinessSources } from './readiness.js';

export interface OpsDeps extends ReadinessSources {
  readonly metrics?: Metrics;
}

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * `/healthz` (the process answers: always 200), `/readyz` (200 when the store, the keys and the
 * contracts are usable, else 503 problem+json naming what is not) and, with a metrics registry,
 * `/metrics` in the Prometheus text format.
 */
export function opsRoutes(deps: OpsDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE));

  app.get('/readyz', async (c) => {
    const checks = await checkReadiness(deps);
    const items = notReadyItems(checks);
    if (items.length > 0) {
      c.var.log?.('warn', 'not ready', { checks });
      throw new YrdxError('not_ready', {
        params: { components: items.map((i) => i.pointer.slice(1)).join(', ') },
        errors: items,
      });
    }
    return c.json({ status: 'ready', checks }, 200, NO_STORE);
  });

  const metrics = deps.metrics;
  if (metrics !== undefined) {
    app.get('/metrics', async (c) =>
      c.body(await metrics.registry.render(), 200, {
        'content-type': metrics.registry.contentType,
        ...NO_STORE,
      }),
    );
  }
  return app;
}
