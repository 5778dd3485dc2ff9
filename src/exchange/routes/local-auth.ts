import type { LocalSystemConfig } from '../../config/types.js';
import { type Sha256, sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';

/** Equal-length hex strings compared without an early exit, so timing reveals nothing. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The local system a request comes from, by its API key (`Authorization: Bearer KEY`). Keys are
 * stored only as SHA-256 hashes; every configured hash is compared, in constant time each.
 */
export async function authenticateLocal(
  authorization: string | undefined,
  systems: readonly LocalSystemConfig[],
  sha256: Sha256 = sha256Hex,
): Promise<LocalSystemConfig> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]{16,256}=*)$/.exec(authorization ?? '');
  if (authorization === undefined || authorization === '') throw new YrdxError('auth_required');
  if (!match) throw new YrdxError('auth_invalid');
  const hash = await sha256(match[1]!);
  let found: LocalSystemConfig | undefined;
  for (const system of systems) {
    for (const candidate of system.apiKeyHashes) if (sameHex(candidate, hash)) found = system;
  }
  if (found === undefined) throw new YrdxError('auth_invalid');
  return found;
}
