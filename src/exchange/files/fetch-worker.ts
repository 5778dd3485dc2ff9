import type { BlobStore } from '../../attachments/blob-store.js';
import { type FilesReceiptEntry, signFilesReceipt } from '../../attachments/files-receipt.js';
import type { StreamHasher } from '../../attachments/hasher.js';
import type { StreamFetch } from '../../egress/stream-fetch.js';
import { sha256Hex } from '../../envelope/digest.js';
import { YrdxError } from '../../errors/errors.js';
import type { FileFetchClaim, FileFetchOutcome, FileStore } from '../../store/port.js';
import { hopHeaders, traceIdOf } from '../../trace/hop.js';
import { backoffDelay } from '../delivery/backoff.js';
import type { Worker } from '../delivery/worker.js';
import type { StageDeps } from '../deps.js';
import { sweepUploads, UPLOAD_SWEEP_MS } from './attach.js';
import { fileFetcher, Refused } from './fetch-file.js';

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
  const digest = deps.digest ?? deps.sha256 ?? sha256Hex;
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  /** Hashers kept between attempts in this process, by part id (a restart recomputes from the part). */
  const hashers = new Map<string, StreamHasher>();
  let swept = Number.NEGATIVE_INFINITY;

  const fetchFile = fileFetcher(deps, hashers);

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

  /**
   * Renews the job's lease while it runs; a lease found lost (another worker took the job after this
   * one stalled) aborts the job at once, so that two writers never append to the same part for long.
   */
  function keepLease(claim: FileFetchClaim, abort: AbortController): () => void {
    const renew = setInterval(
      () => {
        deps.store.extendFileFetch(claim, deps.now() + leaseMs, deps.now()).then(
          (held) => {
            if (!held) abort.abort(new Error('the transfer lease was lost'));
          },
          (error: unknown) => deps.log?.('warn', 'case file transfer lease not renewed', { err: error }),
        );
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    return () => clearInterval(renew);
  }

  async function transfer(claim: FileFetchClaim, abort: AbortController): Promise<void> {
    const release = keepLease(claim, abort);
    try {
      const outcome = await attempt(claim, abort.signal);
      deps.metrics?.fileTransfers.inc({ outcome: outcome.kind === 'done' ? 'settled' : outcome.kind });
      await deps.store.completeFileFetch(claim, outcome, deps.now());
    } finally {
      release();
    }
  }

  /** One run of the job, and what becomes of it: done, again (at once after progress), or dead. */
  async function attempt(claim: FileFetchClaim, signal: AbortSignal): Promise<FileFetchOutcome> {
    const heldBefore = claim.files.reduce((n, f) => n + f.bytes, 0);
    try {
      return await run(claim, signal);
    } catch (error) {
      const message = (
        error instanceof YrdxError ? error.code : ((error as Error).message ?? String(error))
      ).slice(0, 300);
      const files = await deps.store.inboundFiles(claim.iss, claim.jti);
      const progressed = files.reduce((n, f) => n + f.bytes, 0) > heldBefore;
      const now = deps.now();
      deps.log?.('warn', 'case file transfer interrupted', {
        messageId: claim.jti,
        partner: claim.iss,
        error: message,
      });
      return claim.attempts >= config.delivery.maxAttempts && !progressed && !signal.aborted
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
    }
  }

  return {
    get inFlight() {
      return running.size;
    },
    async runOnce() {
      // Expired uploads (abandoned by local systems) go at most once a minute, on this loop.
      if (deps.now() - swept >= UPLOAD_SWEEP_MS) {
        swept = deps.now();
        const gone = await sweepUploads(deps).catch((error: unknown) => {
          deps.log?.('warn', 'sweeping expired uploads failed', { err: error });
          return 0;
        });
        if (gone > 0) deps.log?.('info', 'expired uploads removed', { uploads: gone });
      }
      const free = settings.transferConcurrency - running.size;
      if (free <= 0) return 0;
      const claims = await deps.store.claimFileFetches(
        { worker: options.worker, leaseMs, limit: free },
        deps.now(),
      );
      for (const claim of claims) {
        const abort = new AbortController();
        // The same job again while this process still runs it (its lease ran out while it stalled):
        // the old run stops, and its bytes are on disk, before the new one appends to the same part.
        const stale = running.get(claim.id);
        stale?.abort.abort(new Error('the transfer lease was lost'));
        const entry = { done: Promise.resolve(), abort };
        entry.done = (stale?.done ?? Promise.resolve())
          .then(() => transfer(claim, abort))
          .catch((error: unknown) => deps.log?.('error', 'case file transfer failed', { err: error }))
          .finally(() => {
            if (running.get(claim.id) === entry) running.delete(claim.id);
          });
        running.set(claim.id, entry);
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
