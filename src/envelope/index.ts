/** The envelope: sealing and opening yrdx messages and receipts as compact JWS. */
export * from './algorithms.js';
export * from './claims.js';
export { splitCompact } from './compact.js';
export { sha256Hex } from './digest.js';
export * from './open.js';
export * from './policy.js';
export * from './receipt.js';
export * from './replay.js';
export * from './seal.js';
export { ULID_PATTERN, ulid } from './ulid.js';
export type * from './verification-key.js';
