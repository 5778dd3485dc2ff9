import type { Domain, MessageType } from '../../vocabulary/messages.js';
import type { ClaimRequest, LeaseToken } from './lease.js';

/** The queue of deliveries to partners: leased by the delivery worker, requeued by an administrator. */
export interface DeliveryQueueStore {
  /** Leases up to `limit` deliveries that are due (`queued`/`retry` with `nextAttemptAt <= now`, or an expired lease). */
  claimDeliveries(request: ClaimRequest, now: number): Promise<DeliveryClaim[]>;
  /** Records the outcome of a claimed delivery; false if the lease was lost (nothing written). */
  completeDelivery(claim: LeaseToken, outcome: DeliveryOutcome, now: number): Promise<boolean>;
  /** Puts a dead delivery back in the queue (an administrator's requeue); false if it is not dead. */
  requeueDelivery(deliveryId: string, now: number): Promise<boolean>;
}

export interface DeliveryClaim extends LeaseToken {
  readonly messageId: string;
  readonly recipient: string;
  readonly token: string;
  readonly sha256: string;
  readonly attempts: number;
  readonly expiresAt: number;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
  /** Of the message, for metrics and logs; adapters fill them when they have them. */
  readonly domain?: Domain;
  readonly type?: MessageType;
  /** Unix ms when the message was submitted (for the submission-to-receipt latency). */
  readonly createdAt?: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly receipt: { readonly token: string; readonly sha256: string } }
  | { readonly kind: 'retry'; readonly nextAttemptAt: number; readonly error: string }
  | {
      readonly kind: 'rejected';
      readonly status: number;
      readonly code?: string;
      readonly detail?: string;
      /** The partner's verified receipt, when it said `rejected` (kept as evidence). */
      readonly receipt?: { readonly token: string; readonly sha256: string };
    }
  | { readonly kind: 'dead'; readonly error: string };
