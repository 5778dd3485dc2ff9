import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../port.js';
import { guardText } from '../text-guard.js';
import * as admin from './admin.js';
import * as audit from './audit.js';
import type { Tx } from './db.js';
import * as files from './files.js';
import * as inbound from './inbound.js';
import { migrate } from './migrations.js';
import * as outbound from './outbound.js';
import * as sealed from './sealed.js';
import * as threads from './threads.js';

export interface PostgresStoreOptions {
  /** Connections of this instance's pool (default 10). */
  readonly maxConnections?: number;
  /**
   * The synchronous SHA-256 (lower-case hex) that chains audit entries inside a transaction unit
   * (default: Node's `crypto.createHash`).
   */
  readonly sha256?: (text: string) => string;
  /** For the pool's errors on idle connections (a restarted server); the next unit reconnects. */
  readonly onIdleError?: (error: Error) => void;
}

/** How a unit commits: acknowledged units wait for the WAL flush, progress records need not. */
type UnitKind = 'durable' | 'progress' | 'read';

/** int8 (bigint: times, seqs, counts) as JavaScript numbers: every value yrdx stores is a safe integer. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** PostgreSQL's codes for a unit that lost a deadlock or a serialization race: it is run again. */
const RETRYABLE = new Set(['40P01', '40001']);

/**
 * The store of several instances: one PostgreSQL database shared by every yrdx process of a node.
 * Every method is one transaction unit on a connection of this instance's pool. Units whose success
 * is acknowledged to someone else — a submission (202), a received message (its receipt), a pull
 * acknowledgement — commit with `synchronous_commit` on: durable before the method resolves.
 * Progress records (claims, outcomes, requeues) commit with it off: a server crash may lose the last
 * of them, which the leases already handle (the work is redone; the partner answers a re-sent
 * message with its stored receipt).
 *
 * Between instances: claims lock rows `FOR UPDATE SKIP LOCKED` and lease them; an instance that dies
 * lets its leases expire and the others claim the rows again. Replays and idempotency keys are
 * decided by unique constraints. Appends to the audit chain take the row lock of its head
 * (`audit_head`), so the chain stays one unbroken chain whichever instances append.
 */
export function postgresStore(url: string, options: PostgresStoreOptions = {}): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // A server that does not answer fails the unit (and readiness) instead of holding it forever.
    connectionTimeoutMillis: 10_000,
    types,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const sha256 = options.sha256 ?? ((text: string) => createHash('sha256').update(text).digest('hex'));
  let closed = false;

  async function unit<T>(kind: UnitKind, work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const tx = await pool.connect();
      let broken = false;
      try {
        await tx.query(kind === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        if (kind === 'progress') await tx.query('SET LOCAL synchronous_commit = off');
        const result = await work(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        await tx.query('ROLLBACK').catch(() => {
          broken = true;
        });
        const code = (error as { code?: unknown }).code;
        if (attempt < 5 && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        tx.release(broken);
      }
    }
  }

  return guardText({
    capabilities: { transactions: 'interactive', multiInstance: true },
    async migrate() {
      await migrate(pool);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },

    submitOutbound: (input, now) => unit('durable', (tx) => outbound.submitOutbound(tx, input, now, sha256)),
    findIdempotencyKey: (localSystem, key) =>
      unit('read', (tx) => outbound.findIdempotencyKey(tx, localSystem, key)),
    getOutbound: (messageId) => unit('read', (tx) => outbound.getOutbound(tx, messageId)),
    claimDeliveries: (request, now) => unit('progress', (tx) => outbound.claimDeliveries(tx, request, now)),
    completeDelivery: (claim, outcome, now) =>
      unit('progress', (tx) => outbound.completeDelivery(tx, claim, outcome, now, sha256)),
    requeueDelivery: (deliveryId, now) =>
      unit('progress', (tx) => outbound.requeueDelivery(tx, deliveryId, now)),

    receiveInbound: (input, now) => unit('durable', (tx) => inbound.receiveInbound(tx, input, now, sha256)),
    getInbound: (iss, jti) => unit('read', (tx) => inbound.getInbound(tx, iss, jti)),
    claimLocalPushes: (request, now) => unit('progress', (tx) => inbound.claimLocalPushes(tx, request, now)),
    completeLocalPush: (claim, outcome, now) =>
      unit('progress', (tx) => inbound.completeLocalPush(tx, claim, outcome, now)),
    requeueLocalPush: (id, now) => unit('progress', (tx) => inbound.requeueLocalPush(tx, id, now)),
    listPull: (localSystem, cursor, limit) =>
      unit('read', (tx) => inbound.listPull(tx, localSystem, cursor, limit)),
    ackPull: (localSystem, cursor, now) =>
      unit('durable', (tx) => inbound.ackPull(tx, localSystem, cursor, now)),
    localCanonical: (localSystem, jti) =>
      unit('read', (tx) => inbound.localCanonicalOf(tx, localSystem, jti)),

    getThread: (threadId) => unit('read', (tx) => threads.getThread(tx, threadId)),
    listThreads: (query) => unit('read', (tx) => threads.listThreads(tx, query)),

    searchMessages: (query) => unit('read', (tx) => admin.searchMessages(tx, query)),
    listDeadLetters: (query) => unit('read', (tx) => admin.listDeadLetters(tx, query)),
    partnerActivity: (since) => unit('read', (tx) => admin.partnerActivity(tx, since)),
    localSystemActivity: () => unit('read', (tx) => admin.localSystemActivity(tx)),
    startConsoleSession: (session, now) =>
      unit('progress', (tx) => admin.startConsoleSession(tx, session, now)),
    touchConsoleSession: (idHash, now, renewTo) =>
      unit('progress', (tx) => admin.touchConsoleSession(tx, idHash, now, renewTo)),
    endConsoleSession: (idHash) => unit('progress', (tx) => admin.endConsoleSession(tx, idHash)),

    appendAudit: (record, now) =>
      unit('progress', async (tx) => {
        const [entry] = await audit.appendAudit(
          tx,
          await audit.lockAuditHead(tx),
          [{ ...record, at: now }],
          sha256,
        );
        return entry!;
      }),
    readAudit: (range) => unit('read', (tx) => audit.readAudit(tx, range)),
    auditForMessage: (messageId) => unit('read', (tx) => audit.auditForMessage(tx, messageId)),
    auditHighWater: () => unit('read', (tx) => audit.auditHighWater(tx)),
    purgePayloads: (cutoffs, now) => unit('progress', (tx) => audit.purgePayloads(tx, cutoffs, now)),

    createUpload: (upload, now) => unit('durable', (tx) => files.createUpload(tx, upload, now)),
    getUpload: (id, localSystem) => unit('read', (tx) => files.getUpload(tx, id, localSystem)),
    setUploadOffset: (id, offset) => unit('progress', (tx) => files.setUploadOffset(tx, id, offset)),
    completeUpload: (id, done, now) => unit('durable', (tx) => files.completeUpload(tx, id, done, now)),
    deleteUpload: (id) => unit('progress', (tx) => files.deleteUpload(tx, id)),
    expiredUploads: (now, limit) => unit('read', (tx) => files.expiredUploads(tx, now, limit)),
    openUploads: (localSystem, now) => unit('read', (tx) => files.openUploads(tx, localSystem, now)),
    outboundFiles: (messageId) => unit('read', (tx) => files.messageFiles(tx, 'out', '', messageId)),
    inboundFiles: (iss, jti) => unit('read', (tx) => files.messageFiles(tx, 'in', iss, jti)),
    filesReceipts: (messageId) => unit('read', (tx) => files.filesReceipts(tx, messageId)),
    fileFetchJob: (iss, jti) => unit('read', (tx) => files.fileFetchJob(tx, iss, jti)),
    filesReceiptOut: (iss, jti) => unit('read', (tx) => files.filesReceiptOut(tx, iss, jti)),
    claimFileFetches: (request, now) => unit('progress', (tx) => files.claimFileFetches(tx, request, now)),
    recordFileProgress: (iss, jti, index, progress, now) =>
      unit('progress', (tx) => files.recordFileProgress(tx, iss, jti, index, progress, now)),
    settleFiles: (claim, settled, now) =>
      unit('durable', (tx) => files.settleFiles(tx, claim, settled, now, sha256)),
    extendFileFetch: (claim, leaseUntil, now) =>
      unit('progress', (tx) => files.extendFileFetch(tx, claim, leaseUntil, now)),
    completeFileFetch: (claim, outcome, now) =>
      unit('progress', (tx) => files.completeFileFetch(tx, claim, outcome, now)),
    requeueFileFetch: (iss, jti, now) => unit('progress', (tx) => files.requeueFileFetch(tx, iss, jti, now)),
    recordFilesReceipt: (receipt, now) =>
      unit('durable', (tx) => files.recordFilesReceipt(tx, receipt, now, sha256)),

    readSealedColumn: (column, after, limit) =>
      unit('read', (tx) => sealed.readSealedColumn(tx, column, after, limit)),
    replaceSealedValues: (column, changes) =>
      unit('progress', (tx) => sealed.replaceSealedValues(tx, column, changes)),
  });
}
