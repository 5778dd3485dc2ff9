import { BlobLimitError, type BlobStore } from '../../attachments/blob-store.js';
import { signGrant } from '../../attachments/grant.js';
import { type HasherFactory, neutralHasher, type StreamHasher } from '../../attachments/hasher.js';
import { EgressError } from '../../egress/failure.js';
import type { StreamFetch } from '../../egress/stream-fetch.js';
import { digestAlgorithmOf } from '../../envelope/digest.js';
import type { FileFetchClaim, FileStore, MessageFile } from '../../store/port.js';
import { hopHeaders } from '../../trace/hop.js';
import type { StageDeps } from '../deps.js';

/** Progress is recorded at most this often per file while bytes flow. */
export const PROGRESS_BYTES = 16 * 1024 * 1024;

/** A file that cannot arrive as signed: final for this message until an administrator requeues it. */
export class Refused extends Error {
  constructor(
    readonly code: 'attachment_digest_mismatch' | 'attachment_size_mismatch' | 'attachment_not_found',
  ) {
    super(code);
  }
}

/** The sender declared or sent more bytes than the signed size (the bounded stream's refusal). */
export const isTooLarge = (error: unknown): boolean =>
  error instanceof EgressError && error.failure === 'too-large';

/**
 * Fetches one file of a received message from its sender into the blob store, resuming from the bytes
 * held, hashing as it goes, and commits it only when size and digest match the signed claim (see
 * `filesWorker`). Hashers are kept between attempts in `hashers`, by part id.
 */
export function fileFetcher(
  deps: StageDeps<FileStore> & { readonly blobs: BlobStore; readonly stream: StreamFetch },
  hashers: Map<string, StreamHasher>,
) {
  const { config } = deps;
  const settings = config.attachments;
  const hasher: HasherFactory = deps.hasher ?? neutralHasher;

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
      // More bytes than the file may have is a refusal, unless a range was asked for: the sender may
      // have ignored it (a whole file is longer than the rest), so the part goes and the next try
      // starts over — where more is then a refusal.
      const ranged = offset > 0;
      const tooLong = async (error: unknown): Promise<never> => {
        if (!isTooLarge(error)) throw error;
        hashers.delete(partId);
        await deps.blobs.discardPart(partId);
        if (ranged) throw new Error('the sender answered more than the range asked for; starting over');
        throw new Refused('attachment_size_mismatch');
      };
      const answer = await deps
        .stream(url, {
          headers: {
            authorization: `Bearer ${grant}`,
            ...(offset > 0 ? { range: `bytes=${offset}-` } : {}),
            ...hopHeaders(claim.traceparent),
          },
          // One byte more than the file may have, so that a longer answer is seen as such.
          maxBytes: file.size - offset + 1,
          idleTimeoutMs: settings.stallTimeoutMs,
          signal,
        })
        .catch(tooLong);
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
      try {
        held = await deps.blobs.append(partId, offset, answer.body, {
          maxBytes: file.size,
          signal,
          backpressure: () => h.ready?.(),
          onBytes: (chunk) => {
            h.update(chunk);
            held += chunk.byteLength;
            deps.metrics?.fileBytes.inc({ direction: 'in' }, chunk.byteLength);
            if (held - reported >= PROGRESS_BYTES) {
              reported = held;
              // A failed record is only late: the next one, or the end of the append, says more.
              progress(held).catch((error: unknown) =>
                deps.log?.('warn', 'case file progress not recorded', { err: error }),
              );
            }
          },
        });
      } catch (error) {
        if (isTooLarge(error)) await tooLong(error);
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
      }
      await progress(held);
      if (held < file.size) throw new Error(`the transfer ended after ${held} of ${file.size} bytes`);
    }
    const actual = await h.digest();
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

  return fetchFile;
}
