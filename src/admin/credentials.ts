import type { AdminCredentialConfig } from '../config/types.js';
import { type Sha256, sha256Hex } from '../envelope/digest.js';
import { YrdxError } from '../errors/errors.js';

/** Equal-length hex strings compared without an early exit, so timing reveals nothing. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]{16,256}=*)$/;

/**
 * The admin credential presented as `Authorization: Bearer TOKEN`. Only SHA-256 hashes of tokens
 * are configured; every hash is compared, each in constant time, and an expired credential is
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
  const hash = await sha256(match[1]!);
  let found: AdminCredentialConfig | undefined;
  for (const credential of credentials) if (sameHex(credential.tokenHash, hash)) found = credential;
  if (found === undefined) throw new YrdxError('admin_auth_invalid');
  if (found.notAfter !== undefined && now > found.notAfter) {
    throw new YrdxError('admin_credential_expired', {
      params: { id: found.id, notAfter: new Date(found.notAfter).toISOString() },
    });
  }
  return found;
}
