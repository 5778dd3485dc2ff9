import { randomUUID } from 'node:crypto';
import type {
  ClaimRequest,
  FileFetchClaim,
  FileFetchOutcome,
  FileProgress,
  LeaseToken,
  NewUpload,
  ReceiveInbound,
  SettleFiles,
  SignedToken,
  StoredFilesReceipt,
  SubmitOutbound,
} from '../port.js';
import {
  type FileFetchDbRow,
  type FileFetchViewDbRow,
  type FilesReceiptDbRow,
  fileFetchSettleParams,
  fileFetchView,
  filesReceipt,
  type HeldDbRow,
  type MessageFileDbRow,
  messageFile,
  type UploadDbRow,
  uploadRow,
} from '../rows/files.js';
import {
  COMPLETE_UPLOAD,
  DELETE_UPLOAD,
  DROP_HELD,
  DUE_FILE_FETCHES,
  EXPIRED_UPLOADS,
  EXTEND_FILE_FETCH,
  FILE_FETCH_VALUES,
  FILES_RECEIPT_NEWER,
  FILES_RECEIPT_VALUES,
  filesReceiptParams,
  HELD_VALUES,
  HOLDS_FILE_FETCH,
  heldParams,
  INSERT_FILE_FETCH,
  INSERT_FILES_RECEIPT,
  INSERT_HELD,
  INSERT_MESSAGE_FILE,
  INSERT_UPLOAD,
  IS_RECIPIENT,
  inboundFileParams,
  LEASE_FILE_FETCH,
  MESSAGE_FILE_VALUES,
  OPEN_UPLOADS,
  outboundFileParams,
  RELEASE_HELD,
  REQUEUE_FILE_FETCH,
  RESET_REFUSED_FILES,
  SELECT_FILE_FETCH,
  SELECT_FILES_RECEIPT_OUT,
  SELECT_FILES_RECEIPTS,
  SELECT_HELD,
  SELECT_MESSAGE_FILES,
  SELECT_UPLOAD,
  SET_UPLOAD_OFFSET,
  SETTLE_FILE_FETCH,
  STORE_FILES_RECEIPT_OUT,
  UPDATE_FILE_PROGRESS,
} from '../sql/files.js';
import type { AuditOps } from './audit.js';
import type { Db } from './db.js';

/** Case files in the SQLite store (src/store/ports/files.ts); the submit and receive units call its hooks. */
export function fileOps(db: Db, audit: AuditOps) {
  const insertUpload = db.prepare(INSERT_UPLOAD);
  const selectUpload = db.prepare<{ id: string; localSystem: string }, UploadDbRow>(SELECT_UPLOAD);
  const setOffset = db.prepare(SET_UPLOAD_OFFSET);
  const completeUpload = db.prepare(COMPLETE_UPLOAD);
  const deleteUpload = db.prepare(DELETE_UPLOAD);
  const expired = db.prepare<{ now: number; limit: number }, UploadDbRow>(EXPIRED_UPLOADS);
  const open = db.prepare<{ localSystem: string; now: number }, { count: number; bytes: number }>(
    OPEN_UPLOADS,
  );
  const insertFile = db.prepare(`${INSERT_MESSAGE_FILE} VALUES (${MESSAGE_FILE_VALUES})`);
  const selectFiles = db.prepare<{ side: string; iss: string; jti: string }, MessageFileDbRow>(
    SELECT_MESSAGE_FILES,
  );
  const progress = db.prepare(UPDATE_FILE_PROGRESS);
  const insertFetch = db.prepare(`${INSERT_FILE_FETCH} VALUES (${FILE_FETCH_VALUES})`);
  const due = db.prepare<{ now: number; limit: number }, FileFetchDbRow>(DUE_FILE_FETCHES);
  const lease = db.prepare(LEASE_FILE_FETCH);
  const holds = db.prepare<{ id: string; leaseToken: string; now: number }, { iss: string; jti: string }>(
    HOLDS_FILE_FETCH,
  );
  const storeReceipt = db.prepare(STORE_FILES_RECEIPT_OUT);
  const release = db.prepare(RELEASE_HELD);
  const dropHeld = db.prepare(DROP_HELD);
  const insertHeld = db.prepare(`${INSERT_HELD} VALUES (${HELD_VALUES})`);
  const selectHeld = db.prepare<{ iss: string; jti: string }, HeldDbRow>(SELECT_HELD);
  const settle = db.prepare(SETTLE_FILE_FETCH);
  const extend = db.prepare(EXTEND_FILE_FETCH);
  const requeue = db.prepare(REQUEUE_FILE_FETCH);
  const resetRefused = db.prepare(RESET_REFUSED_FILES);
  const upsertReceipt = db.prepare(
    `${INSERT_FILES_RECEIPT} VALUES (${FILES_RECEIPT_VALUES}) ${FILES_RECEIPT_NEWER}`,
  );
  const selectReceipts = db.prepare<{ messageId: string }, FilesReceiptDbRow>(SELECT_FILES_RECEIPTS);
  const selectFetch = db.prepare<{ iss: string; jti: string }, FileFetchViewDbRow>(SELECT_FILE_FETCH);
  const selectReceiptOut = db.prepare<{ iss: string; jti: string }, SignedToken>(SELECT_FILES_RECEIPT_OUT);
  const isRecipient = db.prepare<{ messageId: string; recipient: string }, { yes: number }>(IS_RECIPIENT);

  const files = (side: 'in' | 'out', iss: string, jti: string) =>
    selectFiles.all({ side, iss, jti }).map(messageFile);

  return {
    /** In the submit unit: the message's files, and its uploads consumed. */
    attachOutbound(input: SubmitOutbound, now: number): void {
      for (const a of input.attachments ?? []) {
        insertFile.run(outboundFileParams(input.messageId, a, now));
        if (a.uploadId !== undefined) deleteUpload.run({ id: a.uploadId });
      }
    },
    /**
     * In the receive unit: the message's files and its transfer job; the local deliveries are held.
     * Returns false when the message has no files (its deliveries are stored as usual).
     */
    holdInbound(input: ReceiveInbound, now: number): boolean {
      const attachments = input.attachments ?? [];
      if (attachments.length === 0) return false;
      for (const a of attachments) insertFile.run(inboundFileParams(input.iss, input.jti, a, now));
      insertFetch.run({ iss: input.iss, jti: input.jti, fetchId: randomUUID(), now });
      for (const local of input.localDeliveries) insertHeld.run(heldParams(input.iss, input.jti, local, now));
      return true;
    },
    heldOf: (iss: string, jti: string) => selectHeld.all({ iss, jti }),

    createUpload: (u: NewUpload, now: number) =>
      void insertUpload.run({
        id: u.id,
        localSystem: u.localSystem,
        name: u.name,
        declaredType: u.declaredType ?? null,
        expectedDigest: u.expectedDigest ?? null,
        length: u.length,
        algorithm: u.algorithm,
        expiresAt: u.expiresAt,
        now,
      }),
    getUpload: (id: string, localSystem: string) => {
      const row = selectUpload.get({ id, localSystem });
      return row === undefined ? undefined : uploadRow(row);
    },
    setUploadOffset: (id: string, offset: number) => void setOffset.run({ id, offset }),
    completeUpload: (id: string, done: { digest: string; mediaType: string }, now: number) =>
      void completeUpload.run({ id, digest: done.digest, mediaType: done.mediaType, now }),
    deleteUpload: (id: string) => void deleteUpload.run({ id }),
    expiredUploads: (now: number, limit: number) => expired.all({ now, limit }).map(uploadRow),
    openUploads: (localSystem: string, now: number) => {
      const row = open.get({ localSystem, now });
      return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
    },

    outboundFiles: (messageId: string) => files('out', '', messageId),
    inboundFiles: (iss: string, jti: string) => files('in', iss, jti),
    filesReceipts: (messageId: string) => selectReceipts.all({ messageId }).map(filesReceipt),
    fetchJob: (iss: string, jti: string) => {
      const row = selectFetch.get({ iss, jti });
      return row === undefined ? undefined : fileFetchView(row);
    },
    filesReceiptOut: (iss: string, jti: string): SignedToken | undefined => {
      const row = selectReceiptOut.get({ iss, jti });
      return row === undefined ? undefined : { token: row.token, sha256: row.sha256 };
    },

    claim: db.transaction((request: ClaimRequest, now: number): FileFetchClaim[] => {
      if (request.limit <= 0) return [];
      return due.all({ now, limit: request.limit }).map((row) => {
        const leaseToken = randomUUID();
        lease.run({
          worker: request.worker,
          leaseToken,
          leaseUntil: now + request.leaseMs,
          now,
          id: row.fetch_id,
        });
        return {
          id: row.fetch_id,
          leaseToken,
          iss: row.iss,
          jti: row.jti,
          attempts: Number(row.attempts) + 1,
          files: files('in', row.iss, row.jti),
          ...(row.receipt_token === null || row.receipt_sha256 === null
            ? {}
            : { filesReceipt: { token: row.receipt_token, sha256: row.receipt_sha256 } }),
          ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
        };
      });
    }),
    progress: (iss: string, jti: string, index: number, p: FileProgress, now: number) =>
      void progress.run({
        iss,
        jti,
        idx: index,
        state: p.state,
        bytes: p.bytes,
        error: p.error ?? null,
        now,
      }),
    settle: db.transaction((claim: LeaseToken, settled: SettleFiles, now: number): boolean => {
      const held = holds.get({ id: claim.id, leaseToken: claim.leaseToken, now });
      if (held === undefined) return false;
      if (settled.outcome === 'arrived') {
        release.run({ idPrefix: `${randomUUID()}:`, iss: held.iss, jti: held.jti, now });
        dropHeld.run({ iss: held.iss, jti: held.jti });
      }
      storeReceipt.run({ id: claim.id, token: settled.receipt.token, sha256: settled.receipt.sha256, now });
      audit.append({
        at: now,
        kind: 'files-receipt-out',
        messageId: held.jti,
        partner: held.iss,
        sha256: settled.receipt.sha256,
        detail: settled.detail.slice(0, 200),
      });
      return true;
    }),
    extend: (claim: LeaseToken, leaseUntil: number, now: number): boolean =>
      extend.run({ id: claim.id, leaseToken: claim.leaseToken, leaseUntil, now }).changes > 0,
    complete: (claim: LeaseToken, outcome: FileFetchOutcome, now: number): boolean =>
      settle.run({ ...fileFetchSettleParams(outcome), id: claim.id, leaseToken: claim.leaseToken, now })
        .changes > 0,
    requeue: db.transaction((iss: string, jti: string, now: number): boolean => {
      if (requeue.run({ iss, jti, now }).changes === 0) return false;
      resetRefused.run({ iss, jti, now });
      return true;
    }),
    recordReceipt: db.transaction((r: StoredFilesReceipt, now: number): boolean => {
      if (isRecipient.get({ messageId: r.messageId, recipient: r.recipient }) === undefined) return false;
      // An older receipt (or the same one again) changes nothing and appends nothing.
      if (upsertReceipt.run(filesReceiptParams(r, now)).changes === 0) return true;
      audit.append({
        at: now,
        kind: 'files-receipt-in',
        messageId: r.messageId,
        partner: r.recipient,
        sha256: r.sha256,
        detail: r.status,
      });
      return true;
    }),
  };
}

export type FileOps = ReturnType<typeof fileOps>;
