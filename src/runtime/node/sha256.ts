import { createHash } from 'node:crypto';
import type { CryptoProfile } from '../../config/types.js';
import { sm3Digest } from '../../envelope/digest.js';

/**
 * Node's synchronous SHA-256 (lower-case hex): the same digest as Web Crypto's, without a round trip
 * to the thread pool. Usable wherever a `Sha256` is taken, and where a synchronous one is needed
 * (chaining audit entries inside a SQLite transaction).
 */
export const nodeSha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The digest a node keeps of messages, receipts, request bodies and audit entries, synchronous and in
 * the kept form (envelope/digest.ts): SM3 (`sm3:` hex) under the national profile, else SHA-256.
 */
export function nodeDigest(profile: CryptoProfile): (text: string) => string {
  return profile === 'gm' ? sm3Digest : nodeSha256;
}
