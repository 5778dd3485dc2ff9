import { createHash } from 'node:crypto';
import type { HasherFactory } from '../../attachments/hasher.js';
import { SM3_PREFIX } from '../../envelope/digest.js';

/** Node's native streaming digests (OpenSSL's SHA-256 and SM3), in the kept form. */
export const nodeHasher: HasherFactory = (alg) => {
  const h = createHash(alg === 'SM3' ? 'sm3' : 'sha256');
  const prefix = alg === 'SM3' ? SM3_PREFIX : '';
  let bytes = 0;
  return {
    update(chunk) {
      h.update(chunk);
      bytes += chunk.byteLength;
    },
    digest: () => prefix + h.digest('hex'),
    get bytes() {
      return bytes;
    },
  };
};
