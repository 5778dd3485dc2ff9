import { sha256 } from '@noble/hashes/sha2.js';
import { sm3 } from '../crypto/gm/sm3.js';
import { type DigestAlgorithm, SM3_PREFIX, toHex } from '../envelope/digest.js';

/**
 * A digest computed while bytes stream by (uploads, transfers, downloads checked on the way), in the
 * kept form of src/envelope/digest.ts: SHA-256 as bare hex, SM3 as `sm3:` + hex.
 */
export interface StreamHasher {
  update(chunk: Uint8Array): void;
  /** The digest of every byte given so far; the hasher is spent afterwards. */
  digest(): string | Promise<string>;
  /**
   * A hasher that works apart from the caller (a thread) may fall behind: this resolves once it has
   * caught up enough to be given more; undefined when it need not be waited for.
   */
  ready?(): Promise<void> | undefined;
  /** How many bytes it has seen. */
  readonly bytes: number;
}

/** Makes hashers; a runtime passes a faster one (Node: `crypto.createHash`, native SHA-256 and SM3). */
export type HasherFactory = (alg: DigestAlgorithm) => StreamHasher;

/** The runtime-neutral hashers (@noble/hashes SHA-256, yrdx's SM3): what a Worker uses. */
export const neutralHasher: HasherFactory = (alg) => {
  const h = alg === 'SM3' ? sm3.create() : sha256.create();
  const prefix = alg === 'SM3' ? SM3_PREFIX : '';
  let bytes = 0;
  return {
    update(chunk) {
      h.update(chunk);
      bytes += chunk.byteLength;
    },
    digest: () => prefix + toHex(h.digest()),
    get bytes() {
      return bytes;
    },
  };
};
