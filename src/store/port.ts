import type { AuditStore } from './ports/audit.js';
import type { DeliveryQueueStore } from './ports/deliveries.js';
import type { FileStore } from './ports/files.js';
import type { InboxStore } from './ports/inbox.js';
import type { StoreLifecycle } from './ports/lifecycle.js';
import type { LocalPushStore, PullStore } from './ports/local.js';
import type { OutboxStore } from './ports/outbox.js';
import type { RetentionStore } from './ports/retention.js';
import type { SealedColumnStore } from './ports/sealed.js';
import type { SearchStore } from './ports/search.js';
import type { SessionStore } from './ports/sessions.js';
import type { ThreadStore } from './ports/threads.js';

export type * from './ports/audit.js';
export type * from './ports/deliveries.js';
export type * from './ports/files.js';
export type * from './ports/inbox.js';
export type * from './ports/lease.js';
export type * from './ports/lifecycle.js';
export type * from './ports/local.js';
export type * from './ports/outbox.js';
export type * from './ports/retention.js';
export type * from './ports/sealed.js';
export type * from './ports/search.js';
export type * from './ports/sessions.js';
export type * from './ports/threads.js';

/**
 * The storage port of the exchange: one small port per role (src/store/ports/), so that each
 * consumer takes only the roles it uses, and `Store`, all of them, which every adapter implements
 * (SQLite embedded, PostgreSQL for several instances, D1 at the edge), all passing one conformance
 * suite (test/store/), organised by the same roles.
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
export type Store = StoreLifecycle &
  OutboxStore &
  DeliveryQueueStore &
  InboxStore &
  LocalPushStore &
  PullStore &
  ThreadStore &
  SearchStore &
  SessionStore &
  AuditStore &
  RetentionStore &
  SealedColumnStore &
  FileStore;
