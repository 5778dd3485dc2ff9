import type { AttachmentRef, ReceiveInbound, StoredFilesReceipt } from '../port.js';
import { lossesColumn } from '../rows/local.js';
import { toJson } from '../rows/values.js';

/**
 * The SQL of case files (src/store/ports/files.ts) that every adapter shares, written with `@name`
 * parameters (bound as named by SQLite, by position elsewhere: ./bind.ts). Outbound files have
 * `side = 'out'`, `iss = ''` and the message id in `jti`.
 */

export const UPLOAD_COLUMNS = `id, local_system, name, declared_type, expected_digest, length, algorithm, offset_bytes,
  expires_at, created_at, completed_at, digest, media_type`;

export const INSERT_UPLOAD = `INSERT INTO uploads (id, local_system, name, declared_type, expected_digest, length,
  algorithm, offset_bytes, expires_at, created_at)
  VALUES (@id, @localSystem, @name, @declaredType, @expectedDigest, @length, @algorithm, 0, @expiresAt, @now)`;

export const SELECT_UPLOAD = `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = @id AND local_system = @localSystem`;

export const SET_UPLOAD_OFFSET = `UPDATE uploads SET offset_bytes = @offset WHERE id = @id AND completed_at IS NULL`;

export const COMPLETE_UPLOAD = `UPDATE uploads SET completed_at = @now, offset_bytes = length, digest = @digest,
  media_type = @mediaType WHERE id = @id`;

export const DELETE_UPLOAD = 'DELETE FROM uploads WHERE id = @id';

export const EXPIRED_UPLOADS = `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE expires_at <= @now
  ORDER BY expires_at LIMIT @limit`;

export const OPEN_UPLOADS = `SELECT COALESCE(SUM(CASE WHEN completed_at IS NULL THEN 1 ELSE 0 END), 0) AS count,
  COALESCE(SUM(length), 0) AS bytes FROM uploads WHERE local_system = @localSystem AND expires_at > @now`;

/** The columns of a message's file; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_MESSAGE_FILE = `INSERT INTO message_files (side, iss, jti, idx, name, media_type, size, digest,
  state, bytes, updated_at)`;

/** The values of `INSERT_MESSAGE_FILE`, bound by `outboundFileParams` or `inboundFileParams`. */
export const MESSAGE_FILE_VALUES =
  '@side, @iss, @jti, @idx, @name, @mediaType, @size, @digest, @state, @bytes, @now';

const fileParams = (a: AttachmentRef) => ({
  idx: a.index,
  name: a.name,
  mediaType: a.mediaType,
  size: a.size,
  digest: a.digest,
});

/** A file of outbound message `messageId`: the sender holds it whole. */
export function outboundFileParams(
  messageId: string,
  a: AttachmentRef,
  now: number,
): Record<string, unknown> {
  return { side: 'out', iss: '', jti: messageId, ...fileParams(a), state: 'arrived', bytes: a.size, now };
}

/** A file of inbound message (`iss`, `jti`): to be fetched. */
export function inboundFileParams(
  iss: string,
  jti: string,
  a: AttachmentRef,
  now: number,
): Record<string, unknown> {
  return { side: 'in', iss, jti, ...fileParams(a), state: 'pending', bytes: 0, now };
}

export const SELECT_MESSAGE_FILES = `SELECT idx, name, media_type, size, digest, state, bytes, error, updated_at
  FROM message_files WHERE side = @side AND iss = @iss AND jti = @jti ORDER BY idx`;

export const UPDATE_FILE_PROGRESS = `UPDATE message_files SET state = @state, bytes = @bytes, error = @error,
  updated_at = @now WHERE side = 'in' AND iss = @iss AND jti = @jti AND idx = @idx AND state <> 'arrived'`;

export const SELECT_FILE_FETCH = `SELECT status, attempts, next_attempt_at, last_error, updated_at
  FROM file_fetches WHERE iss = @iss AND jti = @jti`;

/** A transfer job, due at `@now`; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_FILE_FETCH = `INSERT INTO file_fetches (iss, jti, fetch_id, status, attempts, next_attempt_at,
  created_at, updated_at)`;

export const FILE_FETCH_VALUES = `@iss, @jti, @fetchId, 'queued', 0, @now, @now, @now`;

export const FILE_FETCH_COLUMNS = `f.fetch_id, f.iss, f.jti, f.attempts, f.receipt_token, f.receipt_sha256,
  m.traceparent`;

/**
 * The jobs `f` a claim leases at `@now`: queued or retrying and due, or sending with an expired
 * lease, the longest waiting first, at most `@limit`.
 */
export const FILE_FETCHES_DUE = `WHERE (f.status IN ('queued', 'retry') AND f.next_attempt_at <= @now)
     OR (f.status = 'sending' AND f.lease_until < @now)
  ORDER BY CASE WHEN f.status = 'sending' THEN f.lease_until ELSE f.next_attempt_at END, f.fetch_id
  LIMIT @limit`;

/** Due jobs with what a claim returns (PostgreSQL appends its row lock). */
export const DUE_FILE_FETCHES = `SELECT ${FILE_FETCH_COLUMNS}
  FROM file_fetches f JOIN inbound_messages m ON m.iss = f.iss AND m.jti = f.jti
  ${FILE_FETCHES_DUE}`;

export const LEASE_FILE_FETCH = `UPDATE file_fetches SET status = 'sending', attempts = attempts + 1,
  next_attempt_at = NULL, lease_owner = @worker, lease_token = @leaseToken, lease_until = @leaseUntil,
  updated_at = @now WHERE fetch_id = @id`;

/** The lease is held: same token, not expired. */
export const HOLDS_FILE_FETCH = `SELECT iss, jti FROM file_fetches WHERE fetch_id = @id AND status = 'sending'
  AND lease_token = @leaseToken AND lease_until >= @now`;

export const STORE_FILES_RECEIPT_OUT = `UPDATE file_fetches SET receipt_token = @token, receipt_sha256 = @sha256,
  updated_at = @now WHERE fetch_id = @id`;

/**
 * Makes the held deliveries of (@iss, @jti) local deliveries, due (push) or pullable at `@now`, when
 * `guard` (SQL) holds. Their ids are `@idPrefix` and the local system; inserted now, they get seqs
 * after every pull cursor already handed out.
 */
export function releaseHeld(guard = '1 = 1'): string {
  return `INSERT INTO local_deliveries (local_delivery_id, iss, jti, local_system, mode, body,
  losses, status, attempts, next_attempt_at, created_at, updated_at)
  SELECT CAST(@idPrefix AS TEXT) || local_system, iss, jti, local_system, mode, body, losses, 'queued', 0,
    CASE WHEN mode = 'push' THEN CAST(@now AS BIGINT) ELSE NULL END, @now, @now
  FROM held_deliveries WHERE iss = @iss AND jti = @jti AND ${guard} ORDER BY local_system`;
}

export const RELEASE_HELD = releaseHeld();

/** Followed by nothing, or `AND` a guard. */
export const DROP_HELD = 'DELETE FROM held_deliveries WHERE iss = @iss AND jti = @jti';

/** A held local delivery; followed by `VALUES (…)` or a guarded `SELECT … WHERE`. */
export const INSERT_HELD =
  'INSERT INTO held_deliveries (iss, jti, local_system, mode, body, losses, created_at)';

export const HELD_VALUES = '@iss, @jti, @localSystem, @mode, @body, @losses, @now';

/** A local delivery of inbound message (`iss`, `jti`), held. */
export function heldParams(
  iss: string,
  jti: string,
  local: ReceiveInbound['localDeliveries'][number],
  now: number,
): Record<string, unknown> {
  return {
    iss,
    jti,
    localSystem: local.localSystem,
    mode: local.mode,
    body: toJson(local.body),
    losses: lossesColumn(local.losses),
    now,
  };
}

export const SELECT_HELD = `SELECT local_system, mode FROM held_deliveries WHERE iss = @iss AND jti = @jti
  ORDER BY local_system`;

export const SETTLE_FILE_FETCH = `UPDATE file_fetches SET status = @status, next_attempt_at = @nextAttemptAt,
  last_error = @error, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = @now
  WHERE fetch_id = @id AND status = 'sending' AND lease_token = @leaseToken AND lease_until >= @now`;

/** Some file of inbound message (@iss, @jti) was refused. */
const HAS_REFUSED = `EXISTS (SELECT 1 FROM message_files WHERE side = 'in' AND iss = @iss AND jti = @jti
    AND state = 'refused')`;

/**
 * Queues a dead job, or a finished one that refused a file, again: attempts counted afresh. The files
 * receipt is kept to be sent again, unless it reported a refusal (the files are fetched again first).
 * Never for a message whose payload was removed after retention (its files are gone with it).
 */
export const REQUEUE_FILE_FETCH = `UPDATE file_fetches SET status = 'queued', next_attempt_at = @now, attempts = 0,
  last_error = NULL,
  receipt_token = CASE WHEN ${HAS_REFUSED} THEN NULL ELSE receipt_token END,
  receipt_sha256 = CASE WHEN ${HAS_REFUSED} THEN NULL ELSE receipt_sha256 END,
  updated_at = @now
  WHERE iss = @iss AND jti = @jti AND (status = 'dead' OR (status = 'done' AND ${HAS_REFUSED}))
    AND NOT EXISTS (SELECT 1 FROM inbound_messages m WHERE m.iss = @iss AND m.jti = @jti
      AND m.purged_at IS NOT NULL)`;

/** After `REQUEUE_FILE_FETCH` took effect: the refused files are to be fetched afresh. */
export const RESET_REFUSED_FILES = `UPDATE message_files SET state = 'pending', bytes = 0, error = NULL, updated_at = @now
  WHERE side = 'in' AND iss = @iss AND jti = @jti AND state = 'refused'`;

/** A files receipt; followed by `VALUES (…)` or a guarded `SELECT … WHERE`, then `FILES_RECEIPT_NEWER`. */
export const INSERT_FILES_RECEIPT = `INSERT INTO files_receipts (message_id, recipient, token, sha256, status, files,
  issued_at, received_at)`;

export const FILES_RECEIPT_VALUES =
  '@messageId, @recipient, @token, @sha256, @status, @files, @issuedAt, @now';

/** Replaces a stored receipt only with one issued later. */
export const FILES_RECEIPT_NEWER = `ON CONFLICT (message_id, recipient) DO UPDATE SET token = excluded.token,
  sha256 = excluded.sha256, status = excluded.status, files = excluded.files, issued_at = excluded.issued_at,
  received_at = excluded.received_at
  WHERE files_receipts.issued_at < excluded.issued_at`;

export function filesReceiptParams(r: StoredFilesReceipt, now: number): Record<string, unknown> {
  return {
    messageId: r.messageId,
    recipient: r.recipient,
    token: r.token,
    sha256: r.sha256,
    status: r.status,
    files: JSON.stringify(r.files),
    issuedAt: r.issuedAt,
    now,
  };
}

/** A receipt from @recipient for @messageId issued at @issuedAt or later is stored. */
export const HAS_FILES_RECEIPT = `EXISTS (SELECT 1 FROM files_receipts WHERE message_id = @messageId
  AND recipient = @recipient AND issued_at >= @issuedAt)`;

export const SELECT_FILES_RECEIPTS = `SELECT message_id, recipient, token, sha256, status, files, issued_at, received_at
  FROM files_receipts WHERE message_id = @messageId ORDER BY recipient`;

/** The files receipt signed for inbound message (@iss, @jti), once settled. */
export const SELECT_FILES_RECEIPT_OUT = `SELECT receipt_token AS token, receipt_sha256 AS sha256 FROM file_fetches
  WHERE iss = @iss AND jti = @jti AND receipt_token IS NOT NULL AND receipt_sha256 IS NOT NULL`;

/** Message @messageId went to @recipient. */
export const WENT_TO =
  'EXISTS (SELECT 1 FROM deliveries WHERE message_id = @messageId AND recipient = @recipient)';

export const IS_RECIPIENT = `SELECT 1 AS yes FROM deliveries WHERE message_id = @messageId AND recipient = @recipient`;

export const EXTEND_FILE_FETCH = `UPDATE file_fetches SET lease_until = @leaseUntil, updated_at = @now
  WHERE fetch_id = @id AND status = 'sending' AND lease_token = @leaseToken AND lease_until >= @now`;
