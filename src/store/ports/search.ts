import type { Domain, MessageType } from '../../vocabulary/messages.js';

/** What administrators look up: messages in and out, dead letters, and each partner's activity. */
export interface SearchStore {
  /** Messages sent and received that match every given filter, newest first. */
  searchMessages(query: MessageQuery): Promise<MessageSummary[]>;
  /** Dead deliveries, to partners and to local systems, oldest first (what an operator requeues). */
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  /** Per partner: delivery outcomes since `since`, the queue now, and the last successful delivery. */
  partnerActivity(since: number): Promise<PartnerActivity[]>;
  /** Per local system that has sent or been sent anything: its last submission and delivery, and what waits for it. */
  localSystemActivity(): Promise<LocalSystemActivity[]>;
}

/** Filters of a message search; absent filters match everything. */
export interface MessageQuery {
  /** The message id (`jti`). */
  readonly id?: string;
  readonly direction?: 'outbound' | 'inbound';
  /** A recipient of an outbound message, or the sender of an inbound one. */
  readonly partner?: string;
  readonly domain?: string;
  readonly type?: string;
  readonly thread?: string;
  /** The case number the message was stored with (`caseNumber` of `SubmitOutbound`, `ReceiveInbound`). */
  readonly caseNumber?: string;
  /** Unix ms, inclusive: created (outbound) or received (inbound) at or after. */
  readonly from?: number;
  /** Unix ms, exclusive. */
  readonly to?: number;
  /** At most this many (default 100). */
  readonly limit?: number;
}

export interface MessageSummary {
  readonly direction: 'outbound' | 'inbound';
  readonly messageId: string;
  /** The recipients of an outbound message, or the sender of an inbound one. */
  readonly partners: readonly string[];
  /** The local system that sent an outbound message. */
  readonly localSystem?: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly contract: string;
  readonly thread: string;
  readonly caseNumber?: string;
  /** Unix ms: created (outbound) or received (inbound). */
  readonly at: number;
}

export interface DeadLetterQuery {
  /** A recipient partner, or the sender of an inbound message a local system did not take. */
  readonly partner?: string;
  readonly limit?: number;
}

export interface DeadLetter {
  /** `partner`: an outbound delivery (requeue with `requeueDelivery`); `local`: a push to a local system (`requeueLocalPush`). */
  readonly kind: 'partner' | 'local';
  readonly deliveryId: string;
  readonly messageId: string;
  readonly partner: string;
  readonly localSystem?: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly attempts: number;
  readonly lastError?: string;
  /** Unix ms when the delivery died. */
  readonly at: number;
}

export interface PartnerActivity {
  readonly partner: string;
  /** Deliveries acknowledged with a receipt since `since`. */
  readonly delivered: number;
  /** Failed attempts since `since`: retries, rejections and deaths. */
  readonly failed: number;
  /** Deliveries waiting now (queued, retrying or being sent). */
  readonly queued: number;
  /** Dead deliveries now. */
  readonly dead: number;
  readonly lastSuccessAt?: number;
}

export interface LocalSystemActivity {
  readonly localSystem: string;
  /** Unix ms of its newest submission. */
  readonly lastSubmissionAt?: number;
  /** Unix ms of the newest delivery to it: a push it accepted, or a pull it acknowledged. */
  readonly lastDeliveryAt?: number;
  /** Deliveries to it waiting now: pushes queued, retrying or being sent, pulls not yet acknowledged. */
  readonly pending: number;
}
