import type { DigestAlgorithm } from '../../envelope/digest.js';
import type { ClaimRequest, LeaseToken } from './lease.js';

/**
 * Case files (attachments): the uploads of local systems, the files of each message in and out, the
 * recipient's transfer jobs and the files receipts. The bytes themselves are in the blob store
 * (src/attachments/blob-store.ts); these rows say which blob belongs to which message, how far a
 * transfer got and what the other side confirmed.
 */
export interface FileStore {
  createUpload(upload: NewUpload, now: number): Promise<void>;
  /** The upload, if it exists and belongs to `localSystem`. */
  getUpload(id: string, localSystem: string): Promise<UploadRow | undefined>;
  /** Records the durable offset after a PATCH (the blob store's part size is the truth). */
  setUploadOffset(id: string, offset: number, now: number): Promise<void>;
  /** Marks the upload finished: its bytes are the blob `digest`, whose content reads as `mediaType`. */
  completeUpload(
    id: string,
    done: { readonly digest: string; readonly mediaType: string },
    now: number,
  ): Promise<void>;
  /** Removes the upload row (termination, or after a refusal). */
  deleteUpload(id: string): Promise<void>;
  /** Unfinished or unreferenced uploads past their expiry, oldest first (their parts are discarded). */
  expiredUploads(now: number, limit: number): Promise<readonly UploadRow[]>;
  /**
   * What `localSystem` holds in uploads not yet expired nor consumed by a submission: how many are
   * unfinished, and the bytes all of them (finished or not) declared.
   */
  openUploads(localSystem: string, now: number): Promise<OpenUploads>;

  /** The files of an outbound message, by index (the order of its `attachments` claim). */
  outboundFiles(messageId: string): Promise<readonly MessageFile[]>;
  /** The files of an inbound message, by index. */
  inboundFiles(iss: string, jti: string): Promise<readonly MessageFile[]>;
  /** Which recipients confirmed which files of an outbound message (their files receipts). */
  filesReceipts(messageId: string): Promise<readonly FilesReceiptView[]>;
  /** The transfer job of an inbound message's files, as administrators see it; none without files. */
  fileFetchJob(iss: string, jti: string): Promise<FileFetchView | undefined>;
  /**
   * The recipient's side: the files receipt this node signed for inbound message (`iss`, `jti`) once
   * its files were settled (the last one, when a requeue fetched refused files again), or undefined.
   */
  filesReceiptOut(iss: string, jti: string): Promise<SignedToken | undefined>;

  /**
   * Leases due transfer jobs of inbound messages (same lease rules as `claimDeliveries`): the
   * recipient fetches the files from the sender, verifies them, then releases the message's held
   * local deliveries and sends the files receipt.
   */
  claimFileFetches(request: ClaimRequest, now: number): Promise<FileFetchClaim[]>;
  /** Progress of one file (bytes held, state); kept whatever the lease (it only moves forward). */
  recordFileProgress(
    iss: string,
    jti: string,
    index: number,
    progress: FileProgress,
    now: number,
  ): Promise<void>;
  /**
   * Settles the files of the claimed message in one unit, while the lease is held: every file
   * `arrived` releases the held local deliveries (they become due or pullable now, after every pull
   * cursor already handed out); any `refused` keeps them held (nothing is delivered unless the job is
   * requeued and the files then arrive). Stores the files receipt to send and appends
   * `files-receipt-out` to the audit log. Returns false when the lease was lost (nothing written).
   */
  settleFiles(claim: LeaseToken, settled: SettleFiles, now: number): Promise<boolean>;
  /** Extends a held lease to `leaseUntil` (a long transfer renews it as it goes); false when lost. */
  extendFileFetch(claim: LeaseToken, leaseUntil: number, now: number): Promise<boolean>;
  /** Ends or reschedules the job (after the files receipt was sent, or failed to be). */
  completeFileFetch(claim: LeaseToken, outcome: FileFetchOutcome, now: number): Promise<boolean>;
  /**
   * Makes a dead job, or a finished one that refused a file, due again (an administrator, after the
   * sender fixed its side): refused files are fetched afresh (and the refusing receipt forgotten),
   * arrived ones kept. False when the job is neither.
   */
  requeueFileFetch(iss: string, jti: string, now: number): Promise<boolean>;

  /**
   * The sender's side: stores a verified files receipt from `recipient` for `messageId` and appends
   * `files-receipt-in`. A second receipt from the same recipient replaces the first only if it was
   * issued later (the same receipt again writes nothing). Returns false if the message did not go to
   * that recipient.
   */
  recordFilesReceipt(receipt: StoredFilesReceipt, now: number): Promise<boolean>;
}

export interface NewUpload {
  /** The node's id for it, also the blob store's part id (`up-<ulid>`). */
  readonly id: string;
  readonly localSystem: string;
  /** The file name as the local system wrote it (checked, never a path). */
  readonly name: string;
  /** The media type the local system declared, if any (checked against the content). */
  readonly declaredType?: string;
  /** The digest the local system expects, in the kept form, if it gave one. */
  readonly expectedDigest?: string;
  readonly length: number;
  readonly algorithm: DigestAlgorithm;
  readonly expiresAt: number;
}

export interface OpenUploads {
  /** Unfinished uploads. */
  readonly count: number;
  /** The sum of the `Upload-Length`s of every upload not consumed, finished ones included. */
  readonly bytes: number;
}

export interface UploadRow extends NewUpload {
  readonly offset: number;
  readonly createdAt: number;
  readonly completedAt?: number;
  /** Once finished: the kept digest of its bytes and the media type read from its content. */
  readonly digest?: string;
  readonly mediaType?: string;
}

/** A file as a message's `attachments` claim lists it, with the state of its bytes on this node. */
export interface AttachmentRef {
  readonly index: number;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  /** Kept form: bare hex SHA-256 or `sm3:` hex. */
  readonly digest: string;
}

export type FileState = 'pending' | 'arrived' | 'refused';

export interface MessageFile extends AttachmentRef {
  /** Outbound files are `arrived` (the sender holds them). */
  readonly state: FileState;
  /** Bytes held so far (inbound transfers). */
  readonly bytes: number;
  /** The problem code that refused it. */
  readonly error?: string;
  readonly updatedAt: number;
}

export interface FileProgress {
  readonly state: FileState;
  readonly bytes: number;
  readonly error?: string;
}

export interface FileFetchClaim extends LeaseToken {
  readonly iss: string;
  readonly jti: string;
  readonly attempts: number;
  readonly files: readonly MessageFile[];
  /** Set once the files were settled: the files receipt to (re)send. */
  readonly filesReceipt?: { readonly token: string; readonly sha256: string };
  /** W3C `traceparent` of the message's hop. */
  readonly traceparent?: string;
}

/** A transfer job's state: `dead` after its attempts ran out, `done` once the files receipt was sent. */
export type FileFetchStatus = 'queued' | 'sending' | 'retry' | 'done' | 'dead';

export interface FileFetchView {
  readonly status: FileFetchStatus;
  readonly attempts: number;
  readonly nextAttemptAt?: number;
  readonly lastError?: string;
  readonly updatedAt: number;
}

export interface SettleFiles {
  readonly outcome: 'arrived' | 'refused';
  readonly receipt: { readonly token: string; readonly sha256: string };
  /** For the audit entry: e.g. `3 arrived` or `refused: attachment_digest_mismatch`. */
  readonly detail: string;
}

export type FileFetchOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly nextAttemptAt: number; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

export interface StoredFilesReceipt {
  readonly messageId: string;
  readonly recipient: string;
  readonly token: string;
  readonly sha256: string;
  readonly status: 'arrived' | 'refused';
  readonly files: readonly { readonly index: number; readonly status: FileState; readonly reason?: string }[];
  /** The receipt's `iat`, ms. */
  readonly issuedAt: number;
}

/** A compact JWS and its digest in the kept form. */
export interface SignedToken {
  readonly token: string;
  readonly sha256: string;
}

export interface FilesReceiptView extends StoredFilesReceipt {
  readonly receivedAt: number;
}
