import { createHash } from 'node:crypto';
import type { Sha256 } from '../../envelope/digest.js';

/** Node's synchronous SHA-256: the same digest as Web Crypto's, without a round trip to the thread pool. */
export const nodeSha256: Sha256 & ((text: string) => string) = (text) =>
  createHash('sha256').update(text).digest('hex');
