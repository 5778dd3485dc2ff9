import { createHash } from 'node:crypto';

/**
 * Node's synchronous SHA-256 (lower-case hex): the same digest as Web Crypto's, without a round trip
 * to the thread pool. Usable wherever a `Sha256` is taken, and where a synchronous one is needed
 * (chaining audit entries inside a SQLite transaction).
 */
export const nodeSha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
