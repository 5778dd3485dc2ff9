import type { Domain, MessageType } from '../../vocabulary/messages.js';
import type { AttachmentRef } from './files.js';
import type { DeliveryStatus } from './lease.js';
import type { LocalLosses } from './local.js';
import type { ThreadChange } from './threads.js';

/** Messages received from partners, with their receipts and the local deliveries they need. */
export interface InboxStore {
  /**
   * Stores a verified inbound message with its receipt and the local deliveries it needs, keyed on
   * (iss, jti). A second call with the same (iss, jti) writes nothing and returns `duplicate` with
   * the stored receipt when it carries the same bytes (the same digest, or its token digested by the
   * algorithm of a stored digest of the other algorithm), `conflict` otherwise.
   */
  receiveInbound(input: ReceiveInbound, now: number): Promise<ReceiveOutcome>;
  getInbound(iss: string, jti: string): Promise<InboundView | undefined>;
}

export interface ReceiveInbound {
  readonly iss: string;
  readonly jti: string;
  readonly sha256: string;
  readonly token: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly thread: string;
  readonly inReplyTo?: string;
  /** Unix ms after which the replay record may be forgotten. */
  readonly expiresAt: number;
  readonly canonical: unknown;
  /** The case number of the canonical body (`/case/caseNumber`), which the exchange reads: searchable after retention. */
  readonly caseNumber?: string;
  readonly receipt: { readonly token: string; readonly sha256: string };
  /** One local delivery per local system that receives this message, with its translated body. */
  readonly localDeliveries: readonly {
    readonly localSystem: string;
    readonly mode: 'push' | 'pull';
    readonly body: unknown;
    /** What its dialect could not carry (absent or empty: nothing). */
    readonly losses?: LocalLosses;
  }[];
  readonly threadChange?: ThreadChange;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
  /**
   * The files the message's `attachments` claim lists. When present, the unit also stores one transfer
   * job (due now) and holds the local deliveries until the job settles the files (`settleFiles`).
   */
  readonly attachments?: readonly AttachmentRef[];
}

export type ReceiveOutcome =
  | { readonly status: 'stored' }
  | { readonly status: 'duplicate'; readonly receiptToken: string }
  | { readonly status: 'conflict' };

export interface InboundView {
  readonly iss: string;
  readonly jti: string;
  readonly sha256: string;
  readonly token: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly thread: string;
  readonly receivedAt: number;
  readonly receiptToken: string;
  /** When retention removed the payload (then `token` is empty). */
  readonly purgedAt?: number;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
  readonly localDeliveries: readonly {
    /** For `requeueLocalPush`. */
    readonly id: string;
    readonly localSystem: string;
    readonly mode: 'push' | 'pull';
    /** `held`: waiting for the message's files to arrive whole. */
    readonly status: DeliveryStatus | 'acked' | 'held';
    readonly attempts: number;
    readonly lastError?: string;
  }[];
}
