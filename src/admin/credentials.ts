import type { AdminCredentialConfig } from '../config/types.js';
import { type Sha256, sha256Hex } from '../envelope/digest.js';
import { secretDigests, secretHashMatches } from '../envelope/secret-digest.js';
import { YrdxError } from '../errors/errors.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{16,256}=*)$/;

/**
 * The admin credential presented as `Authorization: Bearer TOKEN`. Only hashes of tokens are
 * configured (SHA-256 or SM3, envelope/secret-digest.ts); every hash is compared with the token's
 * digest by that hash's algorithm, each in constant time, and an expired credential is
 * refused with its id so that its holder knows to ask for a new one.
 */
export async function authenticateAdmin(
  authorization: string | undefined,
  credentials: readonly AdminCredentialConfig[],
  now: number,
  sha256: Sha256 = sha256Hex,
): Promise<AdminCredentialConfig> {
  if (authorization === undefined || authorization === '') throw new YrdxError('admin_auth_required');
  const match = BEARER.exec(authorization);
  if (!match) throw new YrdxError('admin_auth_invalid');
  const digests = await secretDigests(
    match[1]!,
    credentials.map((c) => c.tokenHash),
    sha256,
  );
  let found: AdminCredentialConfig | undefined;
  for (const credential of credentials)
    if (secretHashMatches(credential.tokenHash, digests)) found = credential;
  if (found === undefined) throw new YrdxError('admin_auth_invalid');
  if (found.notAfter !== undefined && now > found.notAfter) {
    throw new YrdxError('admin_credential_expired', {
      params: { id: found.id, notAfter: new Date(found.notAfter).toISOString() },
    });
  }
  return found;
}
