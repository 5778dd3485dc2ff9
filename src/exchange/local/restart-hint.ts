import { type Sha256, sha256Hex } from '../../envelope/digest.js';
import { secretDigest } from '../../envelope/secret-digest.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import type { ExchangeDeps } from '../deps.js';

/**
 * Whether the configuration as it now is on disk (changed since the node loaded it) accepts an API
 * key, asking for its digest by the algorithm of each hash it holds (SM3 only when one is SM3). Given by the runtime that knows the file (Node); it must stay cheap
 * under a flood of refused keys (read the file at most once in a while).
 */
export type AcceptedAfterRestart = NonNullable<ExchangeDeps['acceptedAfterRestart']>;

/** No API key is longer (the bearer syntax of local-auth.ts allows 256 characters and padding). */
const MAX_KEY_CHARS = 300;

/**
 * The refusal of a local system's API key, with the restart hint when it applies: an `auth_invalid`
 * key that the changed configuration file would accept becomes `auth_key_not_loaded` ("the
 * configuration file was changed but the node has not been restarted"). Any other refusal is kept.
 */
export async function withRestartHint(
  refused: unknown,
  authorization: string | undefined,
  acceptedAfterRestart: AcceptedAfterRestart | undefined,
  sha256: Sha256 = sha256Hex,
): Promise<unknown> {
  if (acceptedAfterRestart === undefined || !isYrdxError(refused) || refused.code !== 'auth_invalid')
    return refused;
  const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (key === undefined || key.length > MAX_KEY_CHARS) return refused;
  try {
    const accepted = await acceptedAfterRestart((alg) => secretDigest(key, alg, sha256));
    return accepted ? new YrdxError('auth_key_not_loaded') : refused;
  } catch {
    return refused;
  }
}
