import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Store } from '../port.js';
import { guardText } from '../text-guard.js';
import { adminOps } from './admin.js';
import { auditOps } from './audit.js';
import type { Db } from './db.js';
import { fileOps } from './files.js';
import { GroupCommit } from './group-commit.js';
import { inboundOps } from './inbound.js';
import { migrate } from './migrations.js';
import { outboundOps } from './outbound.js';
import { sealedOps } from './sealed.js';
import { threadOps } from './threads.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /** SQLite's page cache per connection, in KiB (default 65536: 64 MiB). */
  readonly cacheKiB?: number;
  /**
   * The synchronous SHA-256 (lower-case hex) that chains audit entries inside a transaction unit
   * (default: Node's `crypto.createHash`).
   */
  readonly sha256?: (text: string) => string;
  /** Opens an existing file read-only (offline audit and evidence tools); writes then fail. */
  readonly readOnly?: boolean;
}

/**
 * The embedded store: one SQLite file in WAL mode. Every method is one transaction unit (IMMEDIATE
 * for writes, so the write lock is taken before anything is read); write units called in the same
 * turn of the event loop share one commit (see `GroupCommit`). The units whose success is
 * acknowledged to someone else — a submission (202), a received message (its receipt) — commit with
 * `synchronous = FULL`, durable before the method resolves. Progress records (claims, outcomes)
 * commit with `synchronous = NORMAL`: in WAL mode they survive a crash of the process, and after a
 * power loss the last of them may be lost, which the leases already handle (the work is redone, the
 * partner answers a re-sent message with its stored receipt). Several connections (or processes on one host) may share the
 * file: the write lock serialises claims, and the busy timeout makes the losers wait.
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const db = openDatabase(path, options);

  // Statements are prepared on first use, after `migrate()` has created the tables.
  let prepared: ReturnType<typeof prepare> | undefined;
  const ops = () => {
    prepared ??= prepare(db, options.sha256 ?? ((text) => createHash('sha256').update(text).digest('hex')));
    return prepared;
  };

  const group = new GroupCommit(db);
  const write = <T>(unit: () => T) => group.run(unit, false);
  const durable = <T>(unit: () => T) => group.run(unit, true);

  return guardText({
    capabilities: { transactions: 'interactive', multiInstance: false },
    async migrate() {
      migrate(db);
    },
    async close() {
      // Units already called are committed (and their callers answered) before the file closes.
      group.flush();
      if (db.open) db.close();
    },

    async submitOutbound(input, now) {
      return durable(() => ops().outbound.submit(input, now));
    },
    async findIdempotencyKey(localSystem, key) {
      return ops().outbound.findKey(localSystem, key);
    },
    async getOutbound(messageId) {
      return ops().outbound.view(messageId);
    },
    async claimDeliveries(request, now) {
      return write(() => ops().outbound.claim(request, now));
    },
    async completeDelivery(claim, outcome, now) {
      return write(() => ops().outbound.complete(claim, outcome, now));
    },
    async requeueDelivery(deliveryId, now) {
      return write(() => ops().outbound.requeue(deliveryId, now));
    },

    async receiveInbound(input, now) {
      return durable(() => ops().inbound.receive(input, now));
    },
    async getInbound(iss, jti) {
      return ops().inbound.view(iss, jti);
    },
    async claimLocalPushes(request, now) {
      return write(() => ops().inbound.claimPushes(request, now));
    },
    async completeLocalPush(claim, outcome, now) {
      return write(() => ops().inbound.completePush(claim, outcome, now));
    },
    async requeueLocalPush(localDeliveryId, now) {
      return write(() => ops().inbound.requeuePush(localDeliveryId, now));
    },
    async listPull(localSystem, cursor, limit) {
      return ops().inbound.listPull(localSystem, cursor, limit);
    },
    async ackPull(localSystem, cursor, now) {
      return durable(() => ops().inbound.ackPull(localSystem, cursor, now));
    },
    async localCanonical(localSystem, jti) {
      return ops().inbound.localCanonical(localSystem, jti);
    },

    async getThread(threadId) {
      return ops().threads.get(threadId);
    },
    async listThreads(query) {
      return ops().threads.list(query);
    },

    async appendAudit(record, now) {
      return write(() => ops().audit.appendUnit({ ...record, at: now }));
    },
    async readAudit(range) {
      return ops().audit.read(range);
    },
    async auditForMessage(messageId) {
      return ops().audit.forMessage(messageId);
    },
    async auditHighWater() {
      return ops().audit.highWater();
    },
    async purgePayloads(cutoffs, now) {
      return write(() => ops().audit.purge(cutoffs, now));
    },
    async searchMessages(query) {
      return ops().admin.search(query);
    },
    async listDeadLetters(query) {
      return ops().admin.deadLetters(query);
    },
    async partnerActivity(since) {
      return ops().admin.activity(since);
    },
    async localSystemActivity() {
      return ops().admin.localActivity();
    },
    async startConsoleSession(session, now) {
      return write(() => ops().admin.startSession(session, now));
    },
    async touchConsoleSession(idHash, now, renewTo) {
      return write(() => ops().admin.touchSession(idHash, now, renewTo));
    },
    async endConsoleSession(idHash) {
      return write(() => ops().admin.endSession(idHash));
    },
    async createUpload(upload, now) {
      return durable(() => ops().files.createUpload(upload, now));
    },
    async getUpload(id, localSystem) {
      return ops().files.getUpload(id, localSystem);
    },
    async setUploadOffset(id, offset) {
      return write(() => ops().files.setUploadOffset(id, offset));
    },
    async completeUpload(id, done, now) {
      return durable(() => ops().files.completeUpload(id, done, now));
    },
    async deleteUpload(id) {
      return write(() => ops().files.deleteUpload(id));
    },
    async expiredUploads(now, limit) {
      return ops().files.expiredUploads(now, limit);
    },
    async openUploads(localSystem, now) {
      return ops().files.openUploads(localSystem, now);
    },
    async outboundFiles(messageId) {
      return ops().files.outboundFiles(messageId);
    },
    async inboundFiles(iss, jti) {
      return ops().files.inboundFiles(iss, jti);
    },
    async filesReceipts(messageId) {
      return ops().files.filesReceipts(messageId);
    },
    async fileFetchJob(iss, jti) {
      return ops().files.fetchJob(iss, jti);
    },
    async filesReceiptOut(iss, jti) {
      return ops().files.filesReceiptOut(iss, jti);
    },
    async claimFileFetches(request, now) {
      return write(() => ops().files.claim.immediate(request, now));
    },
    async recordFileProgress(iss, jti, index, progress, now) {
      return write(() => ops().files.progress(iss, jti, index, progress, now));
    },
    async settleFiles(claim, settled, now) {
      return durable(() => ops().files.settle.immediate(claim, settled, now));
    },
    async extendFileFetch(claim, leaseUntil, now) {
      return write(() => ops().files.extend(claim, leaseUntil, now));
    },
    async completeFileFetch(claim, outcome, now) {
      return write(() => ops().files.complete(claim, outcome, now));
    },
    async requeueFileFetch(iss, jti, now) {
      return write(() => ops().files.requeue.immediate(iss, jti, now));
    },
    async recordFilesReceipt(receipt, now) {
      return durable(() => ops().files.recordReceipt.immediate(receipt, now));
    },
    async readSealedColumn(column, after, limit) {
      return ops().sealed.read(column, after, limit);
    },
    async replaceSealedValues(column, changes) {
      return write(() => ops().sealed.replace(column, changes));
    },
  });
}

/** A connection configured as the store needs it (exported for tests of that configuration). */
export function openDatabase(path: string, options: SqliteStoreOptions = {}): Db {
  const db: Db = new Database(path, {
    timeout: options.busyTimeoutMs ?? 5000,
    ...(options.readOnly ? { readonly: true, fileMustExist: true } : {}),
  });
  if (options.readOnly) return db;
  db.pragma('journal_mode = WAL');
  // NORMAL for progress records; a group with an acknowledged unit commits with FULL (see GroupCommit).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // A page cache of 64 MiB (SQLite's default is 2 MiB): with 10⁵ messages stored the indexes of
  // random keys no longer fit in the default, and every insert would read its pages from the OS.
  db.pragma(`cache_size = -${options.cacheKiB ?? 65_536}`);
  return db;
}

function prepare(db: Db, sha256: (text: string) => string) {
  const threads = threadOps(db);
  const audit = auditOps(db, sha256);
  const files = fileOps(db, audit);
  return {
    threads,
    audit,
    files,
    outbound: outboundOps(db, threads, audit, files),
    inbound: inboundOps(db, threads, audit, files),
    admin: adminOps(db),
    sealed: sealedOps(db),
  };
}
