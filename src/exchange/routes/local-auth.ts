import type { LocalSystemConfig } from '../../config/types.js';
import { type Sha256, sha256Hex } from '../../envelope/digest.js';
import { secretDigests, secretHashMatches } from '../../envelope/secret-digest.js';
import { YrdxError } from '../../errors/errors.js';

/**
 * The local system a request comes from, by its API key (`Authorization: Bearer KEY`). Keys are
 * stored only as hashes (SHA-256 or SM3, envelope/secret-digest.ts); every configured hash is
 * compared with the key's digest by that hash's algorithm, in constant time each.
 */
export async function authenticateLocal(
  authorization: string | undefined,
  systems: readonly LocalSystemConfig[],
  sha256: Sha256 = sha256Hex,
): Promise<LocalSystemConfig> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]{16,256}=*)$/.exec(authorization ?? '');
  if (authorization === undefined || authorization === '') throw new YrdxError('auth_required');
  if (!match) throw new YrdxError('auth_invalid');
  const digests = await secretDigests(
    match[1]!,
    systems.flatMap((s) => s.apiKeyHashes),
    sha256,
  );
  let found: LocalSystemConfig | undefined;
  for (const system of systems) {
    for (const candidate of system.apiKeyHashes) if (secretHashMatches(candidate, digests)) found = system;
  }
  if (found === undefined) throw new YrdxError('auth_invalid');
  return found;
}
