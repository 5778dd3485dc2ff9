import { randomUUID } from 'node:crypto';
import type {
  ClaimRequest,
  FileFetchClaim,
  FileFetchOutcome,
  FileFetchView,
  FileProgress,
  FilesReceiptView,
  LeaseToken,
  MessageFile,
  NewUpload,
  OpenUploads,
  ReceiveInbound,
  SettleFiles,
  SignedToken,
  StoredFilesReceipt,
  SubmitOutbound,
  UploadRow,
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
import { appendAudit, lockAuditHead } from './audit.js';
import { queryNamed, type Tx } from './db.js';

type Sha256 = (text: string) => string;

// Case files in the PostgreSQL store (src/store/ports/files.ts): each function runs in the caller's
// unit (see `unit` in store.ts); the submit and receive units call the hooks at the top.

/** In the submit unit: the message's files, and its uploads consumed. */
export async function attachOutbound(tx: Tx, input: SubmitOutbound, now: number): Promise<void> {
  for (const a of input.attachments ?? []) {
    await queryNamed(
      tx,
      `${INSERT_MESSAGE_FILE} VALUES (${MESSAGE_FILE_VALUES})`,
      outboundFileParams(input.messageId, a, now),
    );
    if (a.uploadId !== undefined) await queryNamed(tx, DELETE_UPLOAD, { id: a.uploadId });
  }
}

/**
 * In the receive unit: the message's files, its transfer job and its local deliveries, held. Returns
 * false when the message has no files (its deliveries are stored as usual).
 */
export async function holdInbound(tx: Tx, input: ReceiveInbound, now: number): Promise<boolean> {
  const attachments = input.attachments ?? [];
  if (attachments.length === 0) return false;
  for (const a of attachments) {
    await queryNamed(
      tx,
      `${INSERT_MESSAGE_FILE} VALUES (${MESSAGE_FILE_VALUES})`,
      inboundFileParams(input.iss, input.jti, a, now),
    );
  }
  await queryNamed(tx, `${INSERT_FILE_FETCH} VALUES (${FILE_FETCH_VALUES})`, {
    iss: input.iss,
    jti: input.jti,
    fetchId: randomUUID(),
    now,
  });
  for (const local of input.localDeliveries) {
    await queryNamed(
      tx,
      `${INSERT_HELD} VALUES (${HELD_VALUES})`,
      heldParams(input.iss, input.jti, local, now),
    );
  }
  return true;
}

/** The held local deliveries of an inbound message, for its view. */
export async function heldOf(tx: Tx, iss: string, jti: string): Promise<HeldDbRow[]> {
  return (await queryNamed<HeldDbRow>(tx, SELECT_HELD, { iss, jti })).rows;
}

export async function createUpload(tx: Tx, u: NewUpload, now: number): Promise<void> {
  await queryNamed(tx, INSERT_UPLOAD, {
    id: u.id,
    localSystem: u.localSystem,
    name: u.name,
    declaredType: u.declaredType ?? null,
    expectedDigest: u.expectedDigest ?? null,
    length: u.length,
    algorithm: u.algorithm,
    expiresAt: u.expiresAt,
    now,
  });
}

export async function getUpload(tx: Tx, id: string, localSystem: string): Promise<UploadRow | undefined> {
  const [row] = (await queryNamed<UploadDbRow>(tx, SELECT_UPLOAD, { id, localSystem })).rows;
  return row === undefined ? undefined : uploadRow(row);
}

export async function setUploadOffset(tx: Tx, id: string, offset: number): Promise<void> {
  await queryNamed(tx, SET_UPLOAD_OFFSET, { id, offset });
}

export async function completeUpload(
  tx: Tx,
  id: string,
  done: { readonly digest: string; readonly mediaType: string },
  now: number,
): Promise<void> {
  await queryNamed(tx, COMPLETE_UPLOAD, { id, digest: done.digest, mediaType: done.mediaType, now });
}

export async function deleteUpload(tx: Tx, id: string): Promise<void> {
  await queryNamed(tx, DELETE_UPLOAD, { id });
}

export async function expiredUploads(tx: Tx, now: number, limit: number): Promise<UploadRow[]> {
  return (await queryNamed<UploadDbRow>(tx, EXPIRED_UPLOADS, { now, limit })).rows.map(uploadRow);
}

export async function openUploads(tx: Tx, localSystem: string, now: number): Promise<OpenUploads> {
  const row = (await queryNamed<{ count: string; bytes: string }>(tx, OPEN_UPLOADS, { localSystem, now }))
    .rows[0];
  return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
}

export async function messageFiles(
  tx: Tx,
  side: 'in' | 'out',
  iss: string,
  jti: string,
): Promise<MessageFile[]> {
  return (await queryNamed<MessageFileDbRow>(tx, SELECT_MESSAGE_FILES, { side, iss, jti })).rows.map(
    messageFile,
  );
}

export async function fileFetchJob(tx: Tx, iss: string, jti: string): Promise<FileFetchView | undefined> {
  const row = (await queryNamed<FileFetchViewDbRow>(tx, SELECT_FILE_FETCH, { iss, jti })).rows[0];
  return row === undefined ? undefined : fileFetchView(row);
}

export async function filesReceipts(tx: Tx, messageId: string): Promise<FilesReceiptView[]> {
  return (await queryNamed<FilesReceiptDbRow>(tx, SELECT_FILES_RECEIPTS, { messageId })).rows.map(
    filesReceipt,
  );
}

export async function filesReceiptOut(tx: Tx, iss: string, jti: string): Promise<SignedToken | undefined> {
  const [row] = (await queryNamed<SignedToken>(tx, SELECT_FILES_RECEIPT_OUT, { iss, jti })).rows;
  return row === undefined ? undefined : { token: row.token, sha256: row.sha256 };
}

/** Leases due jobs `FOR UPDATE SKIP LOCKED`, so that instances claiming at once each get jobs of their own. */
export async function claimFileFetches(
  tx: Tx,
  request: ClaimRequest,
  now: number,
): Promise<FileFetchClaim[]> {
  if (request.limit <= 0) return [];
  const { rows } = await queryNamed<FileFetchDbRow>(tx, `${DUE_FILE_FETCHES} FOR UPDATE OF f SKIP LOCKED`, {
    now,
    limit: request.limit,
  });
  const claims: FileFetchClaim[] = [];
  for (const row of rows) {
    const leaseToken = randomUUID();
    await queryNamed(tx, LEASE_FILE_FETCH, {
      worker: request.worker,
      leaseToken,
      leaseUntil: now + request.leaseMs,
      now,
      id: row.fetch_id,
    });
    claims.push({
      id: row.fetch_id,
      leaseToken,
      iss: row.iss,
      jti: row.jti,
      attempts: Number(row.attempts) + 1,
      files: await messageFiles(tx, 'in', row.iss, row.jti),
      ...(row.receipt_token === null || row.receipt_sha256 === null
        ? {}
        : { filesReceipt: { token: row.receipt_token, sha256: row.receipt_sha256 } }),
      ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
    });
  }
  return claims;
}

export async function recordFileProgress(
  tx: Tx,
  iss: string,
  jti: string,
  index: number,
  p: FileProgress,
  now: number,
): Promise<void> {
  await queryNamed(tx, UPDATE_FILE_PROGRESS, {
    iss,
    jti,
    idx: index,
    state: p.state,
    bytes: p.bytes,
    error: p.error ?? null,
    now,
  });
}

/**
 * The job's row is locked while the lease is checked, so no claim takes it over meanwhile. The
 * chain's lock is taken before the released deliveries get their seqs (as in a reception), so a
 * pull cursor never passes a row that becomes visible later.
 */
export async function settleFiles(
  tx: Tx,
  claim: LeaseToken,
  settled: SettleFiles,
  now: number,
  sha256: Sha256,
): Promise<boolean> {
  const [held] = (
    await queryNamed<{ iss: string; jti: string }>(tx, `${HOLDS_FILE_FETCH} FOR UPDATE`, {
      id: claim.id,
      leaseToken: claim.leaseToken,
      now,
    })
  ).rows;
  if (held === undefined) return false;
  const head = await lockAuditHead(tx);
  if (settled.outcome === 'arrived') {
    await queryNamed(tx, RELEASE_HELD, { idPrefix: `${randomUUID()}:`, iss: held.iss, jti: held.jti, now });
    await queryNamed(tx, DROP_HELD, { iss: held.iss, jti: held.jti });
  }
  await queryNamed(tx, STORE_FILES_RECEIPT_OUT, {
    id: claim.id,
    token: settled.receipt.token,
    sha256: settled.receipt.sha256,
    now,
  });
  await appendAudit(
    tx,
    head,
    [
      {
        at: now,
        kind: 'files-receipt-out',
        messageId: held.jti,
        partner: held.iss,
        sha256: settled.receipt.sha256,
        detail: settled.detail.slice(0, 200),
      },
    ],
    sha256,
  );
  return true;
}

export async function extendFileFetch(
  tx: Tx,
  claim: LeaseToken,
  leaseUntil: number,
  now: number,
): Promise<boolean> {
  const extended = await queryNamed(tx, EXTEND_FILE_FETCH, {
    id: claim.id,
    leaseToken: claim.leaseToken,
    leaseUntil,
    now,
  });
  return (extended.rowCount ?? 0) > 0;
}

export async function completeFileFetch(
  tx: Tx,
  claim: LeaseToken,
  outcome: FileFetchOutcome,
  now: number,
): Promise<boolean> {
  const settled = await queryNamed(tx, SETTLE_FILE_FETCH, {
    ...fileFetchSettleParams(outcome),
    id: claim.id,
    leaseToken: claim.leaseToken,
    now,
  });
  return (settled.rowCount ?? 0) > 0;
}

/** The requeue reads the refused files before they are reset (see `REQUEUE_FILE_FETCH`). */
export async function requeueFileFetch(tx: Tx, iss: string, jti: string, now: number): Promise<boolean> {
  const requeued = await queryNamed(tx, REQUEUE_FILE_FETCH, { iss, jti, now });
  if ((requeued.rowCount ?? 0) === 0) return false;
  await queryNamed(tx, RESET_REFUSED_FILES, { iss, jti, now });
  return true;
}

/** The upsert's row lock orders concurrent receipts of one recipient; only a later one replaces. */
export async function recordFilesReceipt(
  tx: Tx,
  r: StoredFilesReceipt,
  now: number,
  sha256: Sha256,
): Promise<boolean> {
  const recipient = await queryNamed(tx, IS_RECIPIENT, { messageId: r.messageId, recipient: r.recipient });
  if (recipient.rows.length === 0) return false;
  const stored = await queryNamed(
    tx,
    `${INSERT_FILES_RECEIPT} VALUES (${FILES_RECEIPT_VALUES}) ${FILES_RECEIPT_NEWER}`,
    filesReceiptParams(r, now),
  );
  if ((stored.rowCount ?? 0) === 0) return true;
  await appendAudit(
    tx,
    await lockAuditHead(tx),
    [
      {
        at: now,
        kind: 'files-receipt-in',
        messageId: r.messageId,
        partner: r.recipient,
        sha256: r.sha256,
        detail: r.status,
      },
    ],
    sha256,
  );
  return true;
}
