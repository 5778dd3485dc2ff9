import type { RotationSummary } from '../../admin/deps.js';
import { YrdxError } from '../../errors.js';
import { NodeKeyring, rotateKeyring } from '../../keys/keyring.js';
import { type NodeState, publishJwksFile, retainRetiredSeconds } from './boot.js';

/**
 * Rotates a running node's keys (next → active → retired, a new next key) where they are kept, and
 * swaps the keyring in place: the next message is signed with the new active key, and the node's
 * JWKS (served and written to the data directory) publishes the new next key.
 */
export async function rotateNodeKeys(
  state: NodeState,
  nowMs: number,
  force: boolean,
): Promise<RotationSummary> {
  const save = state.keySource.save;
  if (save === undefined) {
    throw new YrdxError('key_rotation_refused', {
      params: {
        reason: `the keys come from ${state.keySource.description}, which yrdx cannot write; rotate them where they are managed`,
      },
    });
  }
  const doc = await state.keySource.load();
  if (doc === undefined)
    throw new YrdxError('keys_unavailable', { params: { reason: state.keySource.description } });
  const result = await rotateKeyring(doc, state.config.id, nowMs, {
    alg: state.config.keys.algorithm,
    minNextAgeSeconds: state.config.rotation.minNextAgeSeconds,
    retainRetiredSeconds: retainRetiredSeconds(state.config),
    lifetimeDays: state.config.rotation.keyLifetimeDays,
    force,
  });
  const keyring = await NodeKeyring.load(result.document, state.config.id, {
    retainRetiredSeconds: retainRetiredSeconds(state.config),
  });
  await save.call(state.keySource, result.document);
  state.keyring = keyring;
  publishJwksFile(state.config, keyring, nowMs);
  return {
    activated: result.activated,
    retired: result.retired,
    created: result.created,
    dropped: result.dropped,
  };
}
