import { Hono } from 'hono';
import type { AdminDeps } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';
import { rotateNodeKeys } from '../services/key-rotation.js';

/** `/keys`: this node's keys (public facts only) and their rotation. */
export function keyRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', allow('ops:read'), (c) => c.json({ items: deps.keyring().keys }));
  app.post('/rotate', allow('keys:rotate'), async (c) => {
    const { summary, note } = await rotateNodeKeys(deps, c.req.query('force') === 'true');
    noteAudit(c, note);
    return c.json({ ...summary, keys: deps.keyring().keys });
  });
  return app;
}
