import type { Digester } from '../../envelope/digest.js';
import type { Store } from '../port.js';
import { guardText } from '../text-guard.js';
import { adminOps } from './admin.js';
import { auditOps } from './audit.js';
import type { D1Database } from './db.js';
import { fileOps } from './files.js';
import { inboundOps } from './inbound.js';
import { migrate } from './migrations.js';
import { outboundOps } from './outbound.js';
import { sealedOps } from './sealed.js';
import { threadOps } from './threads.js';

/**
 * The edge store: Cloudflare D1 (SQLite behind a binding), same schema as the SQLite store.
 *
 * D1 has no interactive transactions, only `batch()`: a list of statements run in order in one
 * transaction. So every unit of the port is one batch whose writes are conditional — `INSERT …
 * SELECT … WHERE`, `ON CONFLICT DO NOTHING`, `UPDATE … WHERE` guards — and whose outcome is read
 * from the rows the batch returns, never decided in JavaScript between two round trips:
 * - a submission or reception inserts its first audit entry only if the idempotency key, or
 *   (iss, jti), is new; every other statement is conditional on that entry being there (see
 *   `auditOps` for how entries are chained without forks);
 * - a claim is one guarded `UPDATE … RETURNING` over the due rows;
 * - an outcome inserts its events under the lease condition, then the guarded UPDATE ends the lease.
 * Reads that need several statements run as one batch too, so they see one state.
 *
 * `digest` chains the audit log, in the kept form (envelope/digest.ts): the node's profile's digest,
 * SM3 under the national profile; Web Crypto's SHA-256 by default.
 */
export function d1Store(db: D1Database, options: { readonly digest?: Digester } = {}): Store {
  const threads = threadOps(db);
  const audit = auditOps(db, options.digest);
  const files = fileOps(db, audit);
  const outbound = outboundOps(db, threads, audit, files);
  const inbound = inboundOps(db, threads, audit, files);
  const admin = adminOps(db);
  const sealed = sealedOps(db);

  return guardText({
    capabilities: { transactions: 'batch', multiInstance: true },
    migrate: () => migrate(db),
    // The binding belongs to the Workers runtime; there is nothing to close.
    async close() {},

    submitOutbound: (input, now) => outbound.submit(input, now),
    findIdempotencyKey: (localSystem, key) => outbound.findKey(localSystem, key),
    getOutbound: (messageId) => outbound.view(messageId),
    claimDeliveries: (request, now) => outbound.claim(request, now),
    completeDelivery: (claim, outcome, now) => outbound.complete(claim, outcome, now),
    requeueDelivery: (deliveryId, now) => outbound.requeue(deliveryId, now),

    receiveInbound: (input, now) => inbound.receive(input, now),
    getInbound: (iss, jti) => inbound.view(iss, jti),
    claimLocalPushes: (request, now) => inbound.claimPushes(request, now),
    completeLocalPush: (claim, outcome, now) => inbound.completePush(claim, outcome, now),
    requeueLocalPush: (localDeliveryId, now) => inbound.requeuePush(localDeliveryId, now),
    listPull: (localSystem, cursor, limit) => inbound.listPull(localSystem, cursor, limit),
    ackPull: (localSystem, cursor, now) => inbound.ackPull(localSystem, cursor, now),
    localCanonical: (localSystem, jti) => inbound.localCanonical(localSystem, jti),

    getThread: (threadId) => threads.get(threadId),
    listThreads: (query) => threads.list(query),

    appendAudit: (record, now) => audit.append({ ...record, at: now }),
    readAudit: (range) => audit.read(range),
    auditForMessage: (messageId) => audit.forMessage(messageId),
    auditHighWater: () => audit.highWater(),
    purgePayloads: (cutoffs, now) => audit.purge(cutoffs, now),

    searchMessages: (query) => admin.search(query),
    listDeadLetters: (query) => admin.deadLetters(query),
    partnerActivity: (since) => admin.activity(since),
    localSystemActivity: () => admin.localActivity(),
    startConsoleSession: (session, now) => admin.startSession(session, now),
    touchConsoleSession: (idHash, now, renewTo) => admin.touchSession(idHash, now, renewTo),
    endConsoleSession: (idHash) => admin.endSession(idHash),
    readSealedColumn: (column, after, limit) => sealed.read(column, after, limit),

    createUpload: (upload, now) => files.createUpload(upload, now),
    getUpload: (id, localSystem) => files.getUpload(id, localSystem),
    setUploadOffset: (id, offset) => files.setUploadOffset(id, offset),
    completeUpload: (id, done, now) => files.completeUpload(id, done, now),
    deleteUpload: (id) => files.deleteUpload(id),
    expiredUploads: (now, limit) => files.expiredUploads(now, limit),
    openUploads: (localSystem, now) => files.openUploads(localSystem, now),
    outboundFiles: (messageId) => files.outboundFiles(messageId),
    inboundFiles: (iss, jti) => files.inboundFiles(iss, jti),
    filesReceipts: (messageId) => files.filesReceipts(messageId),
    fileFetchJob: (iss, jti) => files.fetchJob(iss, jti),
    filesReceiptOut: (iss, jti) => files.filesReceiptOut(iss, jti),
    claimFileFetches: (request, now) => files.claim(request, now),
    recordFileProgress: (iss, jti, index, progress, now) => files.progress(iss, jti, index, progress, now),
    settleFiles: (claim, settled, now) => files.settle(claim, settled, now),
    extendFileFetch: (claim, leaseUntil, now) => files.extend(claim, leaseUntil, now),
    completeFileFetch: (claim, outcome, now) => files.complete(claim, outcome, now),
    requeueFileFetch: (iss, jti, now) => files.requeue(iss, jti, now),
    recordFilesReceipt: (receipt, now) => files.recordReceipt(receipt, now),
    replaceSealedValues: (column, changes) => sealed.replace(column, changes),
  });
}
