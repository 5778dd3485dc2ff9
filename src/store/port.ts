import type { Domain, MessageType } from '../vocabulary/messages.js';
import type { AdminRole } from '../vocabulary/roles.js';
import type { AuditEntry, AuditRecord } from './audit-chain.js';

/**
 * The storage port of the exchange. One interface, several adapters (SQLite embedded, PostgreSQL
 * for several instances, D1 at the edge), all passing one conformance suite (test/store/).
 *
 * Guarantees every adapter gives:
 * - **Atomic units.** Each method below is one atomic unit: either all of its writes happen or
 *   none does. Nothing is acknowledged to a caller before the unit holding it is durable.
 * - **Claims and leases.** `claim*` hands a due row to exactly one worker at a time: the row gets a
 *   lease (worker id, token, expiry). Until the lease expires no other claim returns the row. A
 *   worker that dies simply lets its leases expire; the rows become due again (at-least-once). A
 *   `complete*` call succeeds only while the caller still holds the lease (same token, not
 *   expired) — a worker whose lease was taken over cannot overwrite the newer outcome.
 * - **Uniqueness.** (iss, jti) of a received message and the idempotency key of a local system are
 *   unique: concurrent duplicates resolve to one winner, the others see it.
 * - **Time.** Every method takes `now` (milliseconds) from the caller's clock; adapters never read
 *   the clock themselves, so tests drive time.
 * - **Audit log.** Every message and receipt in and out is appended to the hash-chained audit log in
 *   the same unit that stores it: `submitOutbound` appends `message-out`, `receiveInbound` appends
 *   `message-in` and `receipt-out`, `completeDelivery` with a receipt (`delivered`, or `rejected` by a
 *   receipt) appends `receipt-in`. A unit that writes nothing (a replay, a duplicate, a lost lease)
 *   appends nothing. Entries are chained
 *   inside the unit (last hash read, next entry hashed and inserted), so seq has no gaps and each
 *   entry's `prev` is the hash of the entry before, however units interleave.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // --- outbound ------------------------------------------------------------------------------

  /**
   * Stores a sealed outbound message with one delivery per recipient, under an idempotency key
   * when the local system sent one. Same key and same request digest: returns the stored message
   * (`replayed`). Same key and another digest: `conflict`, nothing written.
   */
  submitOutbound(input: SubmitOutbound, now: number): Promise<SubmitOutcome>;
  /** The message a local system's idempotency key names, with the digest of the request that made it. */
  findIdempotencyKey(localSystem: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** The message as its sender sees it: deliveries to each recipient and the history of events. */
  getOutbound(messageId: string): Promise<OutboundView | undefined>;
  /** Leases up to `limit` deliveries that are due (`queued`/`retry` with `nextAttemptAt <= now`, or an expired lease). */
  claimDeliveries(request: ClaimRequest, now: number): Promise<DeliveryClaim[]>;
  /** Records the outcome of a claimed delivery; false if the lease was lost (nothing written). */
  completeDelivery(claim: LeaseToken, outcome: DeliveryOutcome, now: number): Promise<boolean>;
  /** Puts a dead delivery back in the queue (an administrator's requeue); false if it is not dead. */
  requeueDelivery(deliveryId: string, now: number): Promise<boolean>;

  // --- inbound -------------------------------------------------------------------------------

  /**
   * Stores a verified inbound message with its receipt and the local deliveries it needs, keyed on
   * (iss, jti). A second call with the same (iss, jti) writes nothing and returns `duplicate` with
   * the stored receipt when the sha256 matches, `conflict` otherwise.
   */
  receiveInbound(input: ReceiveInbound, now: number): Promise<ReceiveOutcome>;
  getInbound(iss: string, jti: string): Promise<InboundView | undefined>;

  // --- local delivery ------------------------------------------------------------------------

  /** Leases due push deliveries to local systems (same lease rules as `claimDeliveries`). */
  claimLocalPushes(request: ClaimRequest, now: number): Promise<LocalClaim[]>;
  completeLocalPush(claim: LeaseToken, outcome: LocalOutcome, now: number): Promise<boolean>;
  requeueLocalPush(localDeliveryId: string, now: number): Promise<boolean>;
  /**
   * Messages for a pull-mode local system after `cursor` (exclusive), oldest first. The cursor is
   * an opaque, strictly increasing string. Items stay until acknowledged.
   */
  listPull(localSystem: string, cursor: string | undefined, limit: number): Promise<PullPage>;
  /** Acknowledges every pulled item up to and including `cursor`. Returns how many were acknowledged. */
  ackPull(localSystem: string, cursor: string, now: number): Promise<number>;

  // --- threads -------------------------------------------------------------------------------

  getThread(threadId: string): Promise<ThreadView | undefined>;
  /** Threads by status; `overdueAt` lists open threads whose due time is before it. */
  listThreads(query: ThreadQuery): Promise<ThreadView[]>;

  // --- administration ------------------------------------------------------------------------

  /** Messages sent and received that match every given filter, newest first. */
  searchMessages(query: MessageQuery): Promise<MessageSummary[]>;
  /** Dead deliveries, to partners and to local systems, oldest first (what an operator requeues). */
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]>;
  /** Per partner: delivery outcomes since `since`, the queue now, and the last successful delivery. */
  partnerActivity(since: number): Promise<PartnerActivity[]>;

  // --- console sessions --------------------------------------------------------------------------

  /**
   * Stores a console session (every instance of the node sees it), after removing sessions that
   * expired by `now`.
   */
  startConsoleSession(session: ConsoleSessionRecord, now: number): Promise<void>;
  /**
   * The session whose id has this hash, if it has not expired by `now`; its expiry moves to
   * `renewTo`, but never past its `endsAt`.
   */
  touchConsoleSession(
    idHash: string,
    now: number,
    renewTo: number,
  ): Promise<ConsoleSessionRecord | undefined>;
  /** Ends a session (sign-out, or its credential expired or was removed). */
  endConsoleSession(idHash: string): Promise<void>;

  // --- audit log and retention -----------------------------------------------------------------

  /** Appends one entry (an admin action; the exchange's entries are appended by the units above). */
  appendAudit(record: Omit<AuditRecord, 'at'>, now: number): Promise<AuditEntry>;
  /** Entries in seq order from `fromSeq` (inclusive; default 1) up to `toSeq` (inclusive), at most `limit`. */
  readAudit(range?: AuditRange): Promise<AuditEntry[]>;
  /** The entries of one message (the message and its receipts), in seq order. */
  auditForMessage(messageId: string): Promise<AuditEntry[]>;
  /**
   * The highest seq the log ever assigned, 0 when empty. Adapters that remember it apart from the
   * entries (SQLite's AUTOINCREMENT sequence) reveal entries deleted from the end of the log.
   */
  auditHighWater(): Promise<number>;
  /**
   * Removes the payloads (token, canonical body, translated bodies) of messages of each listed domain
   * stored before its cutoff (Unix ms), once nothing is left to deliver; keeps digests, receipts and
   * the audit log. A purged message can no longer be requeued.
   */
  purgePayloads(cutoffs: Readonly<Partial<Record<Domain, number>>>, now: number): Promise<PurgeOutcome>;
}

/**
 * A signed-in console user as stored. The cookie's random id is kept only as its SHA-256, so that a
 * reader of the database cannot take over a session; the credential's token is never kept.
 */
export interface ConsoleSessionRecord {
  readonly idHash: string;
  readonly credential: string;
  readonly role: AdminRole;
  /** The anti-forgery token every form of the session carries. */
  readonly csrf: string;
  readonly startedAt: number;
  /** Unix ms after which the session ends however active it is. */
  readonly endsAt: number;
  /** Unix ms after which the session ends unless a request renews it. */
  readonly expiresAt: number;
}

export interface AuditRange {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly limit?: number;
}

export interface PurgeOutcome {
  readonly outbound: number;
  readonly inbound: number;
}

export interface StoreCapabilities {
  /** `interactive`: SQL transactions (SQLite, PostgreSQL); `batch`: atomic batches only (D1). */
  readonly transactions: 'interactive' | 'batch';
  /** Several processes may share the store (PostgreSQL). */
  readonly multiInstance: boolean;
}

// --- records -------------------------------------------------------------------------------------

export type DeliveryStatus = 'queued' | 'sending' | 'retry' | 'delivered' | 'rejected' | 'dead';

export interface SubmitOutbound {
  readonly messageId: string;
  readonly localSystem: string;
  readonly idempotency?: { readonly key: string; readonly requestSha256: string };
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
  /** Opens (requests) or closes (replies) a cooperation thread, in the same unit. */
  readonly threadChange?: ThreadChange;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
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

export interface ClaimRequest {
  readonly worker: string;
  readonly leaseMs: number;
  readonly limit: number;
  /** Recipients (or local systems) not to claim for now, e.g. whose circuit is open or that are at their concurrency limit. */
  readonly exclude?: readonly string[];
}

export interface LeaseToken {
  readonly id: string;
  readonly leaseToken: string;
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
  readonly receipt: { readonly token: string; readonly sha256: string };
  /** One local delivery per local system that receives this message, with its translated body. */
  readonly localDeliveries: readonly {
    readonly localSystem: string;
    readonly mode: 'push' | 'pull';
    readonly body: unknown;
  }[];
  readonly threadChange?: ThreadChange;
  /** W3C `traceparent` of this hop, carried to the next one (see src/trace/traceparent.ts). */
  readonly traceparent?: string;
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
    readonly status: DeliveryStatus | 'acked';
    readonly attempts: number;
    readonly lastError?: string;
  }[];
}

export interface LocalClaim extends LeaseToken {
  readonly localSystem: string;
  readonly iss: string;
  readonly jti: string;
  readonly type: MessageType;
  readonly domain: Domain;
  readonly thread: string;
  readonly body: unknown;
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

export interface ThreadChange {
  /** `open`: a request opens the thread with a due time; `close`: a reply closes it. */
  readonly action: 'open' | 'close';
  readonly threadId: string;
  readonly partner: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: MessageType;
  readonly domain: Domain;
  readonly messageId: string;
  /** Unix ms, for `open`. */
  readonly dueAt?: number;
}

export interface ThreadView {
  readonly threadId: string;
  readonly partner: string;
  readonly direction: 'outbound' | 'inbound';
  readonly type: MessageType;
  readonly domain: Domain;
  readonly status: 'open' | 'closed';
  readonly openedAt: number;
  readonly dueAt: number;
  readonly closedAt?: number;
  readonly requestId: string;
  readonly replyId?: string;
}

export interface ThreadQuery {
  readonly status?: 'open' | 'closed';
  readonly partner?: string;
  readonly overdueAt?: number;
  readonly limit?: number;
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
  /** The case number, `/case/caseNumber` of the canonical body. */
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
