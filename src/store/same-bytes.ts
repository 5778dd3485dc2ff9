import { digestAlgorithmOf, type Sha256, sha256Hex, sm3Digest } from '../envelope/digest.js';

/**
 * Whether a digest the store keeps (a received message's, a request's under an idempotency key) is of
 * the same bytes as a new input whose digest is `given`. Equal texts are; so is a stored digest of the
 * other algorithm that is the digest of `bytes` by the algorithm it names: the node changed profile
 * (SHA-256 then, SM3 now, or back) between two copies of the same bytes, which stay a duplicate.
 * Two digests of one algorithm that differ are of different bytes, without digesting anything.
 * Synchronous, for stores whose units run in one synchronous transaction (`sha256`: a synchronous SHA-256).
 */
export function sameBytes(
  stored: string,
  given: string,
  bytes: string | undefined,
  sha256: (text: string) => string,
): boolean {
  if (stored === given) return true;
  const algorithm = otherAlgorithm(stored, given, bytes);
  if (algorithm === undefined || bytes === undefined) return false;
  return (algorithm === 'SM3' ? sm3Digest(bytes) : sha256(bytes)) === stored;
}

/** `sameBytes` with any SHA-256 (Web Crypto's by default), for stores whose units may await. */
export async function sameBytesAsync(
  stored: string,
  given: string,
  bytes: string | undefined,
  sha256: Sha256 = sha256Hex,
): Promise<boolean> {
  if (stored === given) return true;
  const algorithm = otherAlgorithm(stored, given, bytes);
  if (algorithm === undefined || bytes === undefined) return false;
  return (algorithm === 'SM3' ? sm3Digest(bytes) : await sha256(bytes)) === stored;
}

/** The stored digest's algorithm when it differs from the given one's and the bytes are at hand. */
function otherAlgorithm(stored: string, given: string, bytes: string | undefined) {
  const algorithm = digestAlgorithmOf(stored);
  if (bytes === undefined || algorithm === undefined || algorithm === digestAlgorithmOf(given))
    return undefined;
  return algorithm;
}
