import { type Sha256, sha256Hex } from '../../envelope/digest.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import type { ExchangeDeps } from '../deps.js';

/**
 * Whether the configuration as it now is on disk (changed since the node loaded it) accepts an API
 * key of this SHA-256 (hex). Given by the runtime that knows the file (Node); it must stay cheap
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
    return (await acceptedAfterRestart(await sha256(key))) ? new YrdxError('auth_key_not_loaded') : refused;
  } catch {
    return refused;
  }
}
