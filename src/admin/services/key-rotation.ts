import { YrdxError } from '../../errors/errors.js';
import { keyReason } from '../../keys/text.js';
import type { AdminDeps, RotationSummary } from '../deps.js';

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
      params: { reason: keyReason('managedOutside') },
    });
  }
  const summary = await rotate(force);
  return {
    summary,
    note: `rotated keys: ${summary.activated} active, ${summary.retired} retired, ${summary.created} next`,
  };
}
