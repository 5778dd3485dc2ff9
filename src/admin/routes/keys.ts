import { Hono } from 'hono';
import { YrdxError } from '../../errors/errors.js';
import type { AdminDeps, RotationSummary } from '../deps.js';
import type { AdminEnv } from '../env.js';
import { allow, noteAudit } from '../guard.js';

/**
 * Rotates this node's keys where they are kept (the admin API and the console): refused with
 * `key_rotation_refused` when the key source is read-only, or — unless `force` — while the next key
 * has been published for less than `rotation.minNextAgeSeconds`. Returns the summary and its audit note.
 */
export async function rotateNodeKeys(
  deps: AdminDeps,
  force: boolean,
): Promise<{ summary: RotationSummary; note: string }> {
  const rotate = deps.admin?.rotateKeys;
  if (rotate === undefined) {
    throw new YrdxError('key_rotation_refused', {
      params: { reason: 'the keys of this node are managed outside yrdx; rotate them where they are kept' },
    });
  }
  const summary = await rotate(force);
  return {
    summary,
    note: `rotated keys: ${summary.activated} active, ${summary.retired} retired, ${summary.created} next`,
  };
}

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
