import type { Domain } from '../../vocabulary/messages.js';

/** Retention: removing the payloads of settled messages once their domain keeps them no longer. */
export interface RetentionStore {
  /**
   * Removes the payloads (token, canonical body, translated bodies) of messages of each listed domain
   * stored before its cutoff (Unix ms), once nothing is left to deliver; keeps digests, receipts and
   * the audit log. A purged message can no longer be requeued.
   */
  purgePayloads(cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number): Promise<PurgeOutcome>;
}

export interface PurgeOutcome {
  readonly outbound: number;
  readonly inbound: number;
}
