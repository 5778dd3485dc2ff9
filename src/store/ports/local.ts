import type { Domain, MessageType } from '../../vocabulary/messages.js';
import type { ClaimRequest, LeaseToken } from './lease.js';

/** Pushes to local systems: leased by the push worker, requeued by an administrator. */
export interface LocalPushStore {
  /** Leases due push deliveries to local systems (same lease rules as `claimDeliveries`). */
  claimLocalPushes(request: ClaimRequest, now: number): Promise<LocalClaim[]>;
  completeLocalPush(claim: LeaseToken, outcome: LocalOutcome, now: number): Promise<boolean>;
  requeueLocalPush(localDeliveryId: string, now: number): Promise<boolean>;
}

/**
 * What a local system's dialect could not carry of a message: canonical JSON pointers (at most
 * 100), the rest counted. Computed by the inbox (src/contracts/deliver.ts).
 */
export interface LocalLosses {
  readonly pointers: readonly string[];
  readonly omitted: number;
}

/** A received message as canonical, for a local system it was delivered to. */
export interface LocalCanonical {
  readonly iss: string;
  readonly jti: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly canonical: Record<string, unknown>;
  readonly losses?: LocalLosses;
}

/** What a local system reads: pulled messages (and their acknowledgement), any message's canonical form. */
export interface PullStore {
  /**
   * Messages for a pull-mode local system after `cursor` (exclusive), oldest first. The cursor is
   * an opaque, strictly increasing string. Items stay until acknowledged.
   */
  listPull(localSystem: string, cursor: string | undefined, limit: number): Promise<PullPage>;
  /** Acknowledges every pulled item up to and including `cursor`. Returns how many were acknowledged. */
  ackPull(localSystem: string, cursor: string, now: number): Promise<number>;
  /**
   * The canonical form of message `jti` if it was delivered (push or pull) to `localSystem` and
   * retention has not removed it; undefined otherwise.
   */
  localCanonical(localSystem: string, jti: string): Promise<LocalCanonical | undefined>;
}

export interface LocalClaim extends LeaseToken {
  readonly localSystem: string;
  readonly iss: string;
  readonly jti: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly thread: string;
  readonly body: unknown;
  /** What the local system's dialect could not carry; absent when nothing was lost. */
  readonly losses?: LocalLosses;
  readonly attempts: number;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
}

export type LocalOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly nextAttemptAt: number; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

export interface PullPage {
  readonly items: readonly (Omit<LocalClaim, 'leaseToken' | 'attempts' | 'id'> & {
    readonly cursor: string;
  })[];
  /** The cursor of the last item, or the given cursor when there are none. */
  readonly cursor: string | undefined;
}
