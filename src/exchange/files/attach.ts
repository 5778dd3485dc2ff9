import type { LocalSystemConfig } from '../../config/types.js';
import { type Attachment, attachmentDigestClaim } from '../../envelope/claims.js';
import { YrdxError } from '../../errors/errors.js';
import type { AttachmentRef, FileStore } from '../../store/port.js';
import type { StageDeps } from '../deps.js';

/**
 * The uploads a submission references, as the message's signed `attachments` claim and the rows the
 * outbox keeps: each must be a finished upload of the submitting system whose bytes are in the blob
 * store; together within the per-message limit.
 */
export async function resolveUploads(
  deps: StageDeps<FileStore>,
  system: LocalSystemConfig,
  uploads: readonly { readonly upload: string }[],
): Promise<{ claims: Attachment[]; refs: (AttachmentRef & { uploadId: string })[] }> {
  const claims: Attachment[] = [];
  const refs: (AttachmentRef & { uploadId: string })[] = [];
  if (uploads.length === 0) return { claims, refs };
  let total = 0;
  for (const [index, { upload: id }] of uploads.entries()) {
    const upload = await deps.store.getUpload(id, system.id);
    if (upload === undefined || upload.expiresAt <= deps.now())
      throw new YrdxError('upload_not_found', { params: { id } });
    if (upload.digest === undefined || upload.mediaType === undefined)
      throw new YrdxError('upload_incomplete', {
        params: { id, offset: upload.offset, length: upload.length },
      });
    if ((await deps.blobs?.blobSize(upload.digest)) !== upload.length)
      throw new YrdxError('upload_not_found', { params: { id } });
    total += upload.length;
    const ref = {
      index,
      name: upload.name,
      mediaType: upload.mediaType,
      size: upload.length,
      digest: upload.digest,
    };
    refs.push({ ...ref, uploadId: id });
    claims.push({
      name: ref.name,
      mediaType: ref.mediaType,
      ...attachmentDigestClaim(ref.digest),
      size: ref.size,
    });
  }
  const limit = deps.config.attachments.maxMessageBytes;
  if (total > limit)
    throw new YrdxError('attachments_too_large', { params: { size: total, count: uploads.length, limit } });
  return { claims, refs };
}

/**
 * A received message's files against this node's own limits and formats: what it would refuse from
 * its own local systems it does not accept from a partner either (the message is refused, nothing kept).
 */
export function admitAttachments(
  deps: Pick<StageDeps<unknown>, 'config' | 'blobs'>,
  refs: readonly AttachmentRef[],
): void {
  if (refs.length === 0) return;
  if (deps.blobs === undefined) throw new YrdxError('attachments_unavailable');
  const { maxFileBytes, maxMessageBytes, mediaTypes } = deps.config.attachments;
  let total = 0;
  for (const r of refs) {
    if (r.size > maxFileBytes)
      throw new YrdxError('attachment_too_large', {
        params: { name: r.name, size: r.size, limit: maxFileBytes },
      });
    if (!mediaTypes.includes(r.mediaType))
      throw new YrdxError('attachment_type_refused', {
        params: { name: r.name, detected: r.mediaType, allowed: mediaTypes.join(', ') },
      });
    total += r.size;
  }
  if (total > maxMessageBytes)
    throw new YrdxError('attachments_too_large', {
      params: { size: total, count: refs.length, limit: maxMessageBytes },
    });
}

/** How often the node sweeps expired uploads, at most. */
export const UPLOAD_SWEEP_MS = 60_000;

/**
 * Removes uploads past their expiry: an unfinished one with its part, a finished one that no
 * submission consumed with its row (its blob may be shared with a message). Returns how many went.
 */
export async function sweepUploads(
  deps: Pick<StageDeps<FileStore>, 'store' | 'blobs' | 'now'>,
  limit = 100,
): Promise<number> {
  if (deps.blobs === undefined) return 0;
  const expired = await deps.store.expiredUploads(deps.now(), limit);
  for (const upload of expired) {
    if (upload.completedAt === undefined) await deps.blobs.discardPart(upload.id);
    await deps.store.deleteUpload(upload.id);
  }
  return expired.length;
}
