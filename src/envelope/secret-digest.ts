import {
  type DigestAlgorithm,
  digestAlgorithmOf,
  type Sha256,
  SM3_PREFIX,
  sha256Hex,
  sm3Digest,
} from './digest.js';

/**
 * Configured hashes of secrets (local systems' API keys, admin tokens), in the kept form of digest.ts:
 * SHA-256 as bare hex, SM3 as `sm3:` + hex. The configuration writes `sha256:<hex>` or `sm3:<hex>`.
 */
export function keptSecretHash(configured: string): string {
  return configured.startsWith('sha256:') ? configured.slice('sha256:'.length) : configured;
}

/** The algorithm of a kept secret hash (anything not `sm3:` is SHA-256, as before the national profile). */
export function secretHashAlgorithm(kept: string): DigestAlgorithm {
  return kept.startsWith(SM3_PREFIX) ? 'SM3' : 'SHA-256';
}

/** The digests of one presented secret, one per algorithm some configured hash uses. */
export type SecretDigests = Partial<Record<DigestAlgorithm, string>>;

/**
 * The digest of a presented secret by `alg`, in the kept form. `sha256` is a faster SHA-256 a runtime
 * may pass; what it returns is used only if it is a SHA-256 (a caller passing its profile's digest
 * must not make an SM3 stand for one).
 */
export async function secretDigest(secret: string, alg: DigestAlgorithm, sha256: Sha256 = sha256Hex) {
  if (alg === 'SM3') return sm3Digest(secret);
  const fast = await sha256(secret);
  return digestAlgorithmOf(fast) === 'SHA-256' ? fast : sha256Hex(secret);
}

/**
 * The presented secret's digest by each algorithm among `kept` — SM3 only when some hash is SM3, so a
 * node without one spends nothing on it.
 */
export async function secretDigests(
  secret: string,
  kept: Iterable<string>,
  sha256: Sha256 = sha256Hex,
): Promise<SecretDigests> {
  const digests: SecretDigests = {};
  for (const hash of kept) {
    const alg = secretHashAlgorithm(hash);
    if (digests[alg] === undefined) digests[alg] = await secretDigest(secret, alg, sha256);
  }
  return digests;
}

/**
 * Whether a kept hash is the digest of the presented secret by the hash's own algorithm, compared
 * without an early exit so that timing reveals nothing (the lengths are the configuration's, not secret).
 */
export function secretHashMatches(kept: string, digests: SecretDigests): boolean {
  const presented = digests[secretHashAlgorithm(kept)];
  if (presented === undefined || presented.length !== kept.length) return false;
  let diff = 0;
  for (let i = 0; i < kept.length; i++) diff |= kept.charCodeAt(i) ^ presented.charCodeAt(i);
  return diff === 0;
}
