import { DEFAULT_ALGORITHMS, type SigningAlgorithm } from './algorithms.js';

/** The limits applied when sealing and opening. Every member is set from configuration. */
export interface EnvelopePolicy {
  /** Allowed clock difference between nodes, in seconds. */
  readonly clockSkewSeconds: number;
  /** Longest `exp − iat` accepted on a received token, in seconds. */
  readonly maxLifetimeSeconds: number;
  /** `exp − iat` of the messages this node seals, in seconds. */
  readonly messageLifetimeSeconds: number;
  /** `exp − iat` of the receipts this node seals, in seconds. */
  readonly receiptLifetimeSeconds: number;
  /** Largest compact JWS accepted, in bytes, checked before any decoding. */
  readonly maxTokenBytes: number;
  /** Deepest nesting of JSON arrays and objects accepted in a payload. */
  readonly maxJsonDepth: number;
  /** Algorithms accepted on received tokens. */
  readonly algorithms: readonly SigningAlgorithm[];
}

export const DEFAULT_POLICY: EnvelopePolicy = Object.freeze({
  clockSkewSeconds: 60,
  maxLifetimeSeconds: 7 * 24 * 3600,
  messageLifetimeSeconds: 3 * 24 * 3600,
  receiptLifetimeSeconds: 7 * 24 * 3600,
  maxTokenBytes: 1024 * 1024,
  maxJsonDepth: 32,
  algorithms: DEFAULT_ALGORITHMS,
});

/** The media types (`typ`) of the two kinds of token. */
export const MESSAGE_TYP = 'yrdx+jwt';
export const RECEIPT_TYP = 'yrdx-receipt+jwt';
