import { BlobLimitError, type BlobStore } from '../../attachments/blob-store.js';
import { type FilesReceiptEntry, signFilesReceipt } from '../../attachments/files-receipt.js';
import { signGrant } from '../../attachments/grant.js';
import { type HasherFactory, neutralHasher, type StreamHasher } from '../../attachments/hasher.js';
import type { StreamFetch } from '../../egress/stream-fetch.js';
import { digestAlgorithmOf, sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import type { FileFetchClaim, FileFetchOutcome, FileStore, MessageFile } from '../../store/port.js';
import { hopHeaders, traceIdOf } from '../../trace/hop.js';
import { backoffDelay } from '../delivery/backoff.js';
import type { Worker } from '../delivery/worker.js';
import type { StageDeps } from '../deps.js';

/** Progress is recorded at most this often per file while bytes flow. */
const PROGRESS_BYTES = 16 * 1024 * 1024;

/** A file that cannot arrive as signed: final for this message until an administrator requeues it. */
class Refused extends Error {
  constructor(
    readonly code: 'attachment_digest_mismatch' | 'attachment_size_mismatch' | 'attachment_not_found',
  ) {
    super(code);
  }
}

export interface FilesWorker extends Worker {
  /** Aborts the transfers in flight (their bytes so far stay) and waits for them to be recorded. */
  stop(): Promise<void>;
  /**
   * Resolves once the transfers in flight now have ended and been recorded (a runtime whose
   * invocation must outlive its transfers waits for it: Workers).
   */
  settled(): Promise<void>;
  /** Transfers in flight now, for metrics and tests. */
  readonly inFlight: number;
}

/**
 * The recipient's side of case files: for each received message with files, fetches every file from
 * the sender (`GET {sender}/v1/attachments/{id}/{index}` with a grant it signs, `Range` from the bytes
 * it already holds), streams it into the blob store while computing its digest, and commits it only
 * when size and digest match the signed `attachments` claim. A file already held (same digest) is not
 * fetched again. When every file arrived — or one was refused — the message's local deliveries are
 * released (or stay held), and a signed files receipt goes to the sender. Transfers run in the
 * background, at most `transferConcurrency` at once; the lease is renewed while bytes flow, so a node
 * that dies mid-transfer lets another (or itself, restarted) resume from the durable bytes.
 */
export function filesWorker(
  deps: StageDeps<FileStore> & { readonly blobs: BlobStore; readonly stream: StreamFetch },
  options: { readonly worker: string },
): FilesWorker {
  const { config } = deps;
  const settings = config.attachments;
  const leaseMs = config.delivery.leaseMs;
  const hasher: HasherFactory = deps.hasher ?? neutralHasher;
  const digest = deps.digest ?? deps.sha256 ?? sha256Hex;
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  /** Hashers kept between attempts in this process, by part id (a restart recomputes from the part). */
  const hashers = new Map<string, StreamHasher>();

  async function hasherFor(partId: string, offset: number, alg: 'SHA-256' | 'SM3'): Promise<StreamHasher> {
    const kept = hashers.get(partId);
    if (kept !== undefined && kept.bytes === offset) return kept;
    const fresh = hasher(alg);
    if (offset > 0) {
      const reader = (await deps.blobs.readPart(partId, 0, offset)).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        fresh.update(value);
      }
    }
    hashers.set(partId, fresh);
    return fresh;
  }

  async function fetchFile(
    claim: FileFetchClaim,
    file: MessageFile,
    signal: AbortSignal,
  ): Promise<'arrived'> {
    const partner = deps.partners.get(claim.iss);
    if (partner === undefined) throw new Error(`partner ${claim.iss} is no longer registered`);
    const partId = `fx-${claim.id.replace(/[^0-9A-Za-z]/g, '')}x${file.index}`;
    const alg = digestAlgorithmOf(file.digest) ?? 'SHA-256';
    let offset = await deps.blobs.partSize(partId);
    if (offset > file.size) {
      await deps.blobs.discardPart(partId);
      offset = 0;
    }
    let h = await hasherFor(partId, offset, alg);
    const progress = (bytes: number) =>
      deps.store.recordFileProgress(
        claim.iss,
        claim.jti,
        file.index,
        { state: 'pending', bytes },
        deps.now(),
      );
    if (offset < file.size) {
      const grant = await signGrant({
        self: config.id,
        sender: claim.iss,
        messageId: claim.jti,
        index: file.index,
        digest: file.digest,
        lifetimeSeconds: settings.grantSeconds,
        now: deps.now(),
        signer: deps.keyring().signer,
      });
      const url = `${partner.baseUrl.replace(/\/+$/, '')}/v1/attachments/${encodeURIComponent(claim.jti)}/${file.index}`;
      const answer = await deps.stream(url, {
        headers: {
          authorization: `Bearer ${grant}`,
          ...(offset > 0 ? { range: `bytes=${offset}-` } : {}),
          ...hopHeaders(claim.traceparent),
        },
        // One byte more than the file may have, so that a longer answer is seen as such.
        maxBytes: file.size - offset + 1,
        idleTimeoutMs: settings.stallTimeoutMs,
        signal,
      });
      if (answer.status === 404) {
        answer.cancel();
        throw new Refused('attachment_not_found');
      }
      if (answer.status === 416) {
        answer.cancel();
        throw new Refused('attachment_size_mismatch');
      }
      if (answer.status !== 200 && answer.status !== 206) {
        answer.cancel();
        throw new Error(`the sender answered ${answer.status}`);
      }
      if (answer.status === 200 && offset > 0) {
        // The sender ignored the range: start over with the whole file.
        await deps.blobs.discardPart(partId);
        offset = 0;
        h = hasher(alg);
        hashers.set(partId, h);
      } else if (answer.status === 206) {
        const start = /^bytes (\d+)-/.exec(answer.headers.get('content-range') ?? '')?.[1];
        if (start === undefined || Number(start) !== offset) {
          answer.cancel();
          throw new Error('the sender answered another range');
        }
      }
      if (answer.body === null) throw new Error('the sender answered without a body');
      let reported = offset;
      let held = offset;
      const renew = setInterval(
        () => {
          void deps.store.extendFileFetch(claim, deps.now() + leaseMs, deps.now());
        },
        Math.max(250, Math.floor(leaseMs / 3)),
      );
      try {
        held = await deps.blobs.append(partId, offset, answer.body, {
          maxBytes: file.size,
          signal,
          onBytes: (chunk) => {
            h.update(chunk);
            held += chunk.byteLength;
            deps.metrics?.fileBytes.inc({ direction: 'in' }, chunk.byteLength);
            if (held - reported >= PROGRESS_BYTES) {
              reported = held;
              void progress(held);
            }
          },
        });
      } catch (error) {
        if (error instanceof BlobLimitError) {
          hashers.delete(partId);
          await deps.blobs.discardPart(partId);
          throw new Refused('attachment_size_mismatch');
        }
        // What arrived is kept; the hasher saw exactly the bytes kept only if the counts agree.
        const kept = await deps.blobs.partSize(partId);
        if (kept !== h.bytes) hashers.delete(partId);
        await progress(kept);
        throw error;
      } finally {
        clearInterval(renew);
      }
      await progress(held);
      if (held < file.size) throw new Error(`the transfer ended after ${held} of ${file.size} bytes`);
    }
    const actual = h.digest();
    hashers.delete(partId);
    if (actual !== file.digest) {
      await deps.blobs.discardPart(partId);
      deps.log?.('warn', 'a case file does not match its signed digest', {
        messageId: claim.jti,
        partner: claim.iss,
        index: file.index,
        expected: file.digest,
        actual,
      });
      throw new Refused('attachment_digest_mismatch');
    }
    await deps.blobs.commit(partId, file.digest);
    await deps.store.recordFileProgress(
      claim.iss,
      claim.jti,
      file.index,
      { state: 'arrived', bytes: file.size },
      deps.now(),
    );
    return 'arrived';
  }

  async function sendReceipt(claim: FileFetchClaim, token: string): Promise<void> {
    const partner = deps.partners.get(claim.iss);
    if (partner === undefined) throw new Error(`partner ${claim.iss} is no longer registered`);
    const url = `${partner.baseUrl.replace(/\/+$/, '')}/v1/attachments/receipts`;
    const answer = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/jose', ...hopHeaders(claim.traceparent) },
      body: token,
    });
    // 404: the sender no longer has the message (retention): nothing more to tell it.
    if (answer.status >= 300 && answer.status !== 404)
      throw new Error(`the sender answered ${answer.status} to the files receipt`);
  }

  async function run(claim: FileFetchClaim, signal: AbortSignal): Promise<FileFetchOutcome> {
    if (claim.filesReceipt !== undefined) {
      await sendReceipt(claim, claim.filesReceipt.token);
      return { kind: 'done' };
    }
    const entries: FilesReceiptEntry[] = [];
    let refused: string | undefined;
    for (const file of claim.files) {
      let status = file.state;
      let reason = file.error;
      if (status === 'pending') {
        // Held already (another message carried the same file): nothing to fetch.
        if ((await deps.blobs.blobSize(file.digest)) === file.size) {
          await deps.store.recordFileProgress(
            claim.iss,
            claim.jti,
            file.index,
            { state: 'arrived', bytes: file.size },
            deps.now(),
          );
          status = 'arrived';
        } else {
          try {
            status = await fetchFile(claim, file, signal);
          } catch (error) {
            if (!(error instanceof Refused)) throw error;
            status = 'refused';
            reason = error.code;
            await deps.store.recordFileProgress(
              claim.iss,
              claim.jti,
              file.index,
              { state: 'refused', bytes: 0, error: error.code },
              deps.now(),
            );
          }
        }
      }
      if (status === 'refused') refused ??= reason ?? 'attachment_refused';
      entries.push({
        index: file.index,
        status,
        digest: file.digest,
        ...(reason === undefined || status !== 'refused' ? {} : { reason }),
      });
    }
    const outcome = refused === undefined ? 'arrived' : 'refused';
    const token = await signFilesReceipt(
      { iss: config.id, aud: claim.iss, messageId: claim.jti, status: outcome, files: entries },
      {
        now: deps.now(),
        lifetimeSeconds: config.envelope.receiptLifetimeSeconds,
        signer: deps.keyring().signer,
      },
    );
    const settled = await deps.store.settleFiles(
      claim,
      {
        outcome,
        receipt: { token, sha256: await digest(token) },
        detail: refused === undefined ? `${entries.length} arrived` : `refused: ${refused}`,
      },
      deps.now(),
    );
    if (!settled) throw new Error('the transfer lease was lost');
    deps.log?.(
      outcome === 'arrived' ? 'info' : 'warn',
      outcome === 'arrived' ? 'case files arrived' : 'case files refused',
      {
        messageId: claim.jti,
        partner: claim.iss,
        files: entries.length,
        ...(refused === undefined ? {} : { code: refused }),
        ...traceIdOf(claim.traceparent),
      },
    );
    if (outcome === 'arrived') deps.notify?.('local-push');
    await sendReceipt(claim, token);
    return { kind: 'done' };
  }

  async function transfer(claim: FileFetchClaim, signal: AbortSignal): Promise<void> {
    const heldBefore = claim.files.reduce((n, f) => n + f.bytes, 0);
    let outcome: FileFetchOutcome;
    try {
      outcome = await run(claim, signal);
    } catch (error) {
      const message = (
        error instanceof YrdxError ? error.code : ((error as Error).message ?? String(error))
      ).slice(0, 300);
      const files = await deps.store.inboundFiles(claim.iss, claim.jti);
      const progressed = files.reduce((n, f) => n + f.bytes, 0) > heldBefore;
      const now = deps.now();
      outcome =
        claim.attempts >= config.delivery.maxAttempts && !progressed && !signal.aborted
          ? { kind: 'dead', error: message }
          : {
              kind: 'retry',
              // A transfer that made progress (a cut connection) resumes at once; a failing one backs off.
              nextAttemptAt:
                now +
                (progressed || signal.aborted
                  ? 0
                  : backoffDelay(claim.attempts, config.delivery.baseDelayMs, config.delivery.maxDelayMs)),
              error: message,
            };
      deps.log?.('warn', 'case file transfer interrupted', {
        messageId: claim.jti,
        partner: claim.iss,
        error: message,
      });
    }
    deps.metrics?.fileTransfers.inc({ outcome: outcome.kind === 'done' ? 'settled' : outcome.kind });
    await deps.store.completeFileFetch(claim, outcome, deps.now());
  }

  return {
    get inFlight() {
      return running.size;
    },
    async runOnce() {
      const free = settings.transferConcurrency - running.size;
      if (free <= 0) return 0;
      const claims = await deps.store.claimFileFetches(
        { worker: options.worker, leaseMs, limit: free },
        deps.now(),
      );
      for (const claim of claims) {
        const abort = new AbortController();
        const done = transfer(claim, abort.signal)
          .catch((error: unknown) => deps.log?.('error', 'case file transfer failed', { err: error }))
          .finally(() => running.delete(claim.id));
        running.set(claim.id, { done, abort });
      }
      return claims.length;
    },
    async stop() {
      for (const r of running.values()) r.abort.abort(new DOMException('the node is stopping', 'AbortError'));
      await Promise.all([...running.values()].map((r) => r.done));
    },
    async settled() {
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
