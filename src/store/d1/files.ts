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
  type MessageFileDbRow,
  messageFile,
  type UploadDbRow,
  uploadRow,
} from '../rows/files.js';
import {
  COMPLETE_UPLOAD,
  DELETE_UPLOAD,
  DROP_HELD,
  EXPIRED_UPLOADS,
  EXTEND_FILE_FETCH,
  FILE_FETCH_COLUMNS,
  FILE_FETCH_VALUES,
  FILE_FETCHES_DUE,
  FILES_RECEIPT_NEWER,
  FILES_RECEIPT_VALUES,
  filesReceiptParams,
  HAS_FILES_RECEIPT,
  HELD_VALUES,
  heldParams,
  INSERT_FILE_FETCH,
  INSERT_FILES_RECEIPT,
  INSERT_HELD,
  INSERT_MESSAGE_FILE,
  INSERT_UPLOAD,
  inboundFileParams,
  MESSAGE_FILE_VALUES,
  OPEN_UPLOADS,
  outboundFileParams,
  REQUEUE_FILE_FETCH,
  RESET_REFUSED_FILES,
  releaseHeld,
  SELECT_FILE_FETCH,
  SELECT_FILES_RECEIPT_OUT,
  SELECT_FILES_RECEIPTS,
  SELECT_MESSAGE_FILES,
  SELECT_UPLOAD,
  SET_UPLOAD_OFFSET,
  SETTLE_FILE_FETCH,
  STORE_FILES_RECEIPT_OUT,
  UPDATE_FILE_PROGRESS,
  WENT_TO,
} from '../sql/files.js';
import type { AuditOps } from './audit.js';
import { type D1Database, type Guard, rowsOf, type Statement, sql } from './db.js';

type LeasedRow = FileFetchDbRow & { lease_token: string };
type ClaimedFileRow = MessageFileDbRow & { iss: string; jti: string };

/**
 * Case files in the D1 store (src/store/ports/files.ts). As everywhere in D1, a unit is one batch of
 * conditional statements: the submit and receive units add theirs (`attach`, `hold`) under their
 * marker; a claim is one guarded UPDATE; a settlement's statements are conditional on its audit
 * entry, which is inserted only while the lease is held.
 */
export function fileOps(db: D1Database, audit: AuditOps) {
  /** In the submit unit, under its marker: the message's files, and its uploads consumed. */
  function attach(input: SubmitOutbound, now: number, marker: Guard): Statement[] {
    return (input.attachments ?? []).flatMap((a) => [
      sql(db, `${INSERT_MESSAGE_FILE} SELECT ${MESSAGE_FILE_VALUES} WHERE ${marker.sql}`, {
        ...marker.params,
        ...outboundFileParams(input.messageId, a, now),
      }),
      ...(a.uploadId === undefined
        ? []
        : [sql(db, `${DELETE_UPLOAD} AND ${marker.sql}`, { ...marker.params, id: a.uploadId })]),
    ]);
  }

  /**
   * In the receive unit, under its marker: the message's files, its transfer job and its local
   * deliveries, held. Undefined when the message has no files (its deliveries are stored as usual).
   */
  function hold(input: ReceiveInbound, now: number, marker: Guard): Statement[] | undefined {
    const attachments = input.attachments ?? [];
    if (attachments.length === 0) return undefined;
    return [
      ...attachments.map((a) =>
        sql(db, `${INSERT_MESSAGE_FILE} SELECT ${MESSAGE_FILE_VALUES} WHERE ${marker.sql}`, {
          ...marker.params,
          ...inboundFileParams(input.iss, input.jti, a, now),
        }),
      ),
      sql(db, `${INSERT_FILE_FETCH} SELECT ${FILE_FETCH_VALUES} WHERE ${marker.sql}`, {
        ...marker.params,
        iss: input.iss,
        jti: input.jti,
        fetchId: crypto.randomUUID(),
        now,
      }),
      ...input.localDeliveries.map((local) =>
        sql(db, `${INSERT_HELD} SELECT ${HELD_VALUES} WHERE ${marker.sql}`, {
          ...marker.params,
          ...heldParams(input.iss, input.jti, local, now),
        }),
      ),
    ];
  }

  const files = async (side: 'in' | 'out', iss: string, jti: string): Promise<MessageFile[]> =>
    (await sql(db, SELECT_MESSAGE_FILES, { side, iss, jti }).all<MessageFileDbRow>()).results.map(
      messageFile,
    );

  async function createUpload(u: NewUpload, now: number): Promise<void> {
    await sql(db, INSERT_UPLOAD, {
      id: u.id,
      localSystem: u.localSystem,
      name: u.name,
      declaredType: u.declaredType ?? null,
      expectedDigest: u.expectedDigest ?? null,
      length: u.length,
      algorithm: u.algorithm,
      expiresAt: u.expiresAt,
      now,
    }).run();
  }

  async function getUpload(id: string, localSystem: string): Promise<UploadRow | undefined> {
    const row = await sql(db, SELECT_UPLOAD, { id, localSystem }).first<UploadDbRow>();
    return row === null ? undefined : uploadRow(row);
  }

  /**
   * A claim is one guarded UPDATE over the due jobs: each gets a lease token made of a new claim id
   * and its own fetch id, so the batch's next statements read exactly the jobs (and their files) this
   * claim leased.
   */
  async function claim(request: ClaimRequest, now: number): Promise<FileFetchClaim[]> {
    if (request.limit <= 0) return [];
    const params = {
      claim: crypto.randomUUID(),
      worker: request.worker,
      until: now + request.leaseMs,
      now,
      limit: request.limit,
    };
    const mine = `f.status = 'sending' AND f.lease_until = @until AND substr(f.lease_token, 1, 36) = @claim`;
    const results = await db.batch([
      sql(
        db,
        `UPDATE file_fetches SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL,
           lease_owner = @worker, lease_token = @claim || ':' || fetch_id, lease_until = @until,
           updated_at = @now
         WHERE fetch_id IN (SELECT f.fetch_id FROM file_fetches f ${FILE_FETCHES_DUE})`,
        params,
      ),
      sql(
        db,
        `SELECT ${FILE_FETCH_COLUMNS}, f.lease_token
         FROM file_fetches f JOIN inbound_messages m ON m.iss = f.iss AND m.jti = f.jti
         WHERE ${mine} ORDER BY f.fetch_id`,
        params,
      ),
      sql(
        db,
        `SELECT mf.iss, mf.jti, mf.idx, mf.name, mf.media_type, mf.size, mf.digest, mf.state, mf.bytes,
           mf.error, mf.updated_at
         FROM message_files mf JOIN file_fetches f ON f.iss = mf.iss AND f.jti = mf.jti
         WHERE mf.side = 'in' AND ${mine} ORDER BY mf.iss, mf.jti, mf.idx`,
        params,
      ),
    ]);
    const filesOf = new Map<string, MessageFile[]>();
    for (const row of rowsOf<ClaimedFileRow>(results, 2)) {
      const key = JSON.stringify([row.iss, row.jti]);
      filesOf.set(key, [...(filesOf.get(key) ?? []), messageFile(row)]);
    }
    return rowsOf<LeasedRow>(results, 1).map((row) => ({
      id: row.fetch_id,
      leaseToken: row.lease_token,
      iss: row.iss,
      jti: row.jti,
      attempts: Number(row.attempts),
      files: filesOf.get(JSON.stringify([row.iss, row.jti])) ?? [],
      ...(row.receipt_token === null || row.receipt_sha256 === null
        ? {}
        : { filesReceipt: { token: row.receipt_token, sha256: row.receipt_sha256 } }),
      ...(row.traceparent === null ? {} : { traceparent: row.traceparent }),
    }));
  }

  /**
   * The files-receipt-out entry is inserted only while the lease is held, and every other statement
   * is conditional on it (settling does not end the lease, so the guard holds the whole batch long).
   * Released deliveries get their seqs now, after every pull cursor handed out: D1 has one writer.
   */
  async function settle(token: LeaseToken, settled: SettleFiles, now: number): Promise<boolean> {
    const job = await sql(db, 'SELECT iss, jti FROM file_fetches WHERE fetch_id = @id', {
      id: token.id,
    }).first<{ iss: string; jti: string }>();
    if (job === null) return false;
    const held: Guard = {
      sql: `EXISTS (SELECT 1 FROM file_fetches WHERE fetch_id = @leaseId AND status = 'sending'
        AND lease_token = @leaseToken AND lease_until >= @leaseNow)`,
      params: { leaseId: token.id, leaseToken: token.leaseToken, leaseNow: now },
    };
    const record = {
      at: now,
      kind: 'files-receipt-out',
      messageId: job.jti,
      partner: job.iss,
      sha256: settled.receipt.sha256,
      detail: settled.detail.slice(0, 200),
    } as const;
    return audit.run([record], ([entry]) => {
      if (entry === undefined) throw new Error('no entry chained');
      const marker = audit.written(entry);
      const key = { ...marker.params, iss: job.iss, jti: job.jti };
      const statements: Statement[] = [audit.insertEntry(entry, held)];
      if (settled.outcome === 'arrived') {
        statements.push(
          sql(db, releaseHeld(marker.sql), { ...key, idPrefix: `${crypto.randomUUID()}:`, now }),
          sql(db, `${DROP_HELD} AND ${marker.sql}`, key),
        );
      }
      statements.push(
        sql(db, `${STORE_FILES_RECEIPT_OUT} AND ${marker.sql}`, {
          ...marker.params,
          id: token.id,
          token: settled.receipt.token,
          sha256: settled.receipt.sha256,
          now,
        }),
        sql(db, `SELECT ${marker.sql} AS settled`, marker.params),
      );
      return {
        statements,
        outcome: (results) => rowsOf<{ settled: number }>(results, results.length - 1)[0]?.settled === 1,
      };
    });
  }

  async function extend(token: LeaseToken, leaseUntil: number, now: number): Promise<boolean> {
    const result = await sql(db, `${EXTEND_FILE_FETCH} RETURNING fetch_id`, {
      id: token.id,
      leaseToken: token.leaseToken,
      leaseUntil,
      now,
    }).all();
    return result.results.length > 0;
  }

  async function complete(token: LeaseToken, outcome: FileFetchOutcome, now: number): Promise<boolean> {
    const result = await sql(db, `${SETTLE_FILE_FETCH} RETURNING fetch_id`, {
      ...fileFetchSettleParams(outcome),
      id: token.id,
      leaseToken: token.leaseToken,
      now,
    }).all();
    return result.results.length > 0;
  }

  /**
   * The requeue reads the refused files before they are reset; the reset is conditional on the job
   * being queued (a queued job's refused files are always to be fetched afresh).
   */
  async function requeue(iss: string, jti: string, now: number): Promise<boolean> {
    const params = { iss, jti, now };
    const results = await db.batch([
      sql(db, `${REQUEUE_FILE_FETCH} RETURNING fetch_id`, params),
      sql(
        db,
        `${RESET_REFUSED_FILES}
         AND EXISTS (SELECT 1 FROM file_fetches WHERE iss = @iss AND jti = @jti AND status = 'queued')`,
        params,
      ),
    ]);
    return rowsOf(results, 0).length > 0;
  }

  /**
   * The files-receipt-in entry is inserted only when the message went to the recipient and no receipt
   * of it issued as late is stored; the receipt is stored under that entry.
   */
  async function recordReceipt(r: StoredFilesReceipt, now: number): Promise<boolean> {
    const params = filesReceiptParams(r, now);
    const about = { messageId: r.messageId, recipient: r.recipient };
    const fresh: Guard = {
      sql: `${WENT_TO} AND NOT ${HAS_FILES_RECEIPT}`,
      params: { ...about, issuedAt: r.issuedAt },
    };
    const record = {
      at: now,
      kind: 'files-receipt-in',
      messageId: r.messageId,
      partner: r.recipient,
      sha256: r.sha256,
      detail: r.status,
    } as const;
    return audit.run([record], ([entry]) => {
      if (entry === undefined) throw new Error('no entry chained');
      const marker = audit.written(entry);
      return {
        statements: [
          audit.insertEntry(entry, fresh),
          sql(
            db,
            `${INSERT_FILES_RECEIPT} SELECT ${FILES_RECEIPT_VALUES} WHERE ${marker.sql} ${FILES_RECEIPT_NEWER}`,
            { ...marker.params, ...params },
          ),
          sql(db, `SELECT ${WENT_TO} AS recipient`, about),
        ],
        outcome: (results) => rowsOf<{ recipient: number }>(results, results.length - 1)[0]?.recipient === 1,
      };
    });
  }

  return {
    attach,
    hold,
    createUpload,
    getUpload,
    setUploadOffset: async (id: string, offset: number) => {
      await sql(db, SET_UPLOAD_OFFSET, { id, offset }).run();
    },
    completeUpload: async (id: string, done: { digest: string; mediaType: string }, now: number) => {
      await sql(db, COMPLETE_UPLOAD, { id, digest: done.digest, mediaType: done.mediaType, now }).run();
    },
    deleteUpload: async (id: string) => {
      await sql(db, DELETE_UPLOAD, { id }).run();
    },
    expiredUploads: async (now: number, limit: number) =>
      (await sql(db, EXPIRED_UPLOADS, { now, limit }).all<UploadDbRow>()).results.map(uploadRow),
    openUploads: async (localSystem: string, now: number) => {
      const row = await sql(db, OPEN_UPLOADS, { localSystem, now }).first<{ count: number; bytes: number }>();
      return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) };
    },
    outboundFiles: (messageId: string) => files('out', '', messageId),
    inboundFiles: (iss: string, jti: string) => files('in', iss, jti),
    fetchJob: async (iss: string, jti: string): Promise<FileFetchView | undefined> => {
      const row = await sql(db, SELECT_FILE_FETCH, { iss, jti }).first<FileFetchViewDbRow>();
      return row === null ? undefined : fileFetchView(row);
    },
    filesReceipts: async (messageId: string): Promise<FilesReceiptView[]> =>
      (await sql(db, SELECT_FILES_RECEIPTS, { messageId }).all<FilesReceiptDbRow>()).results.map(
        filesReceipt,
      ),
    filesReceiptOut: async (iss: string, jti: string): Promise<SignedToken | undefined> => {
      const row = await sql(db, SELECT_FILES_RECEIPT_OUT, { iss, jti }).first<SignedToken>();
      return row === null ? undefined : { token: row.token, sha256: row.sha256 };
    },
    claim,
    progress: async (iss: string, jti: string, index: number, p: FileProgress, now: number) => {
      await sql(db, UPDATE_FILE_PROGRESS, {
        iss,
        jti,
        idx: index,
        state: p.state,
        bytes: p.bytes,
        error: p.error ?? null,
        now,
      }).run();
    },
    settle,
    extend,
    complete,
    requeue,
    recordReceipt,
  };
}

export type FileOps = ReturnType<typeof fileOps>;
