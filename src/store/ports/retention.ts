import type { Domain } from '../../vocabulary/messages.js';

/** Retention: removing the payloads of settled messages once their domain keeps them no longer. */
export interface RetentionStore {
  /**
   * Removes the payloads (token, canonical body, translated bodies) of messages of each listed domain
   * stored before its cutoff (Unix ms), once nothing is left to deliver; keeps digests, receipts, files
   * receipts and the audit log. A purged message can no longer be requeued. Its case files go with it,
   * in the same unit: its file rows are removed (a download answers `attachment_not_found`), its held
   * local deliveries are dropped (never released with a removed body), and a transfer job still
   * fetching its files ends (`dead`, `payload_purged`; one with a files receipt to send keeps sending
   * it). An inbound message whose files are being fetched under a live lease waits for a later run.
   */
  purgePayloads(cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number): Promise<PurgeOutcome>;
}

export interface PurgeOutcome {
  readonly outbound: number;
  readonly inbound: number;
  /**
   * The blobs (kept digests, sorted) this purge freed: files of the purged messages that no other
   * message and no upload refers to any more. The caller removes them from the blob store; a blob
   * shared with a message not purged stays until that one is purged too.
   */
  readonly blobs: readonly string[];
}
