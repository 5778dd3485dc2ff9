import { Hono } from 'hono';
import { YrdxError } from '../../errors.js';
import type { AdminDeps } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';

/** `/keys`: this node's keys (public facts only) and their rotation. */
export function keyRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', allow('ops:read'), (c) => c.json({ items: deps.keyring().keys }));
  app.post('/rotate', allow('keys:rotate'), async (c) => {
    const rotate = deps.admin?.rotateKeys;
    if (rotate === undefined) {
      throw new YrdxError('key_rotation_refused', {
        params: { reason: 'the keys of this node are managed outside yrdx; rotate them where they are kept' },
      });
    }
    const result = await rotate(c.req.query('force') === 'true');
    noteAudit(
      c,
      `rotated keys: ${result.activated} active, ${result.retired} retired, ${result.created} next`,
    );
    return c.json({ ...result, keys: deps.keyring().keys });
  });
  return app;
}
