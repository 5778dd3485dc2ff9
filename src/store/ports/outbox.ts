import type { Domain, MessageType } from '../../vocabulary/messages.js';
import type { AttachmentRef } from './files.js';
import type { DeliveryStatus } from './lease.js';
import type { ThreadChange } from './threads.js';

/** The sender's side of an outbound message: storing it (under an idempotency key) and reading it back. */
export interface OutboxStore {
  /**
   * Stores a sealed outbound message with one delivery per recipient, under an idempotency key
   * when the local system sent one. Same key and same request (its digest, or its body by the
   * algorithm of a stored digest of the other algorithm): returns the stored message (`replayed`).
   * Same key and another request: `conflict`, nothing written.
   */
  submitOutbound(input: SubmitOutbound, now: number): Promise<SubmitOutcome>;
  /** The message a local system's idempotency key names, with the digest of the request that made it. */
  findIdempotencyKey(localSystem: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** The message as its sender sees it: deliveries to each recipient and the history of events. */
  getOutbound(messageId: string): Promise<OutboundView | undefined>;
}

export interface SubmitOutbound {
  readonly messageId: string;
  readonly localSystem: string;
  readonly idempotency?: {
    readonly key: string;
    readonly requestSha256: string;
    /**
     * The request's exact body, never stored: compared with a stored digest of the other algorithm
     * (a profile change between two submissions under one key), see store/same-bytes.ts.
     */
    readonly requestBody?: string;
  };
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly thread: string;
  readonly inReplyTo?: string;
  /** The sealed compact JWS, exactly as it will be sent. */
  readonly token: string;
  readonly sha256: string;
  /** Unix ms after which the message may no longer be delivered (its `exp`). */
  readonly expiresAt: number;
  /** One delivery per recipient node. */
  readonly recipients: readonly string[];
  /** The canonical body, kept for evidence subject to retention. */
  readonly canonical: unknown;
  /** The case number of the canonical body (`/case/caseNumber`), which the exchange reads: searchable after retention. */
  readonly caseNumber?: string;
  /** Opens (requests) or closes (replies) a cooperation thread, in the same unit. */
  readonly threadChange?: ThreadChange;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
  /**
   * The message's files, in the order of its `attachments` claim, each from a finished upload of the
   * submitting local system (consumed, removed, in the same unit) or, for a message sealed again
   * after a requeue, from the message it supersedes (no upload).
   */
  readonly attachments?: readonly (AttachmentRef & { readonly uploadId?: string })[];
}

export interface IdempotencyRecord {
  readonly messageId: string;
  readonly requestSha256: string;
}

export type SubmitOutcome =
  | { readonly status: 'stored'; readonly messageId: string }
  | { readonly status: 'replayed'; readonly messageId: string }
  | { readonly status: 'conflict' };

export interface OutboundView {
  readonly messageId: string;
  readonly localSystem: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly thread: string;
  readonly inReplyTo?: string;
  /** The sealed JWS; empty once its payload was removed after retention (`purgedAt`). */
  readonly token: string;
  readonly sha256: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** When retention removed the payload. */
  readonly purgedAt?: number;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
  readonly deliveries: readonly DeliveryView[];
  readonly events: readonly HistoryEvent[];
}

export interface DeliveryView {
  readonly deliveryId: string;
  readonly recipient: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt?: number;
  readonly lastError?: string;
  readonly receipt?: { readonly token: string; readonly sha256: string; readonly receivedAt: number };
  /** The partner's problem when it refused the message: a 4xx other than 429, or a receipt that says rejected. */
  readonly rejection?: { readonly status: number; readonly code?: string; readonly detail?: string };
}

export interface HistoryEvent {
  readonly at: number;
  /** e.g. `submitted`, `sealed`, `sending`, `retry`, `delivered`, `receipt-verified`, `rejected`, `dead`, `requeued`. */
  readonly event: string;
  readonly recipient?: string;
  readonly detail?: string;
}
