import type { RotationSummary } from '../../admin/deps.js';
import { YrdxError } from '../../errors/errors.js';
import { listOf } from '../../errors/text.js';
import { NodeKeyring, rotateKeyring } from '../../keys/keyring.js';
import { keyReason } from '../../keys/text.js';
import { type NodeState, publishJwksFile, retainRetiredSeconds } from './boot.js';

/**
 * Rotates a running node's keys (next → active → retired, a new next key) where they are kept, and
 * swaps the keyring in place: the next message is signed with the new active key, the node's JWKS
 * (served and written to the data directory) publishes the new next key, and the partner registry
 * knows the new next key as this node's, so no partner can claim it.
 */
export async function rotateNodeKeys(
  state: NodeState,
  nowMs: number,
  force: boolean,
): Promise<RotationSummary> {
  const save = state.keySource.save;
  if (save === undefined) {
    throw new YrdxError('key_rotation_refused', {
      params: { reason: keyReason('notWritable', { source: state.keySource.description }) },
    });
  }
  const doc = await state.keySource.load();
  if (doc === undefined)
    throw new YrdxError('keys_unavailable', {
      params: { reason: keyReason('noKeys', { source: state.keySource.description }) },
    });
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
  const taken = state.partners.claimOwnKeys(keyring.keys.map((k) => k.thumbprint));
  if (taken.length > 0) {
    throw new YrdxError('key_rotation_refused', {
      params: { reason: keyReason('pinnedForPartner', { partners: listOf(taken) }) },
    });
  }
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
