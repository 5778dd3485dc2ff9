import { Hono } from 'hono';
import { BlobLimitError, BlobOffsetError, type BlobStore } from '../../attachments/blob-store.js';
import { type HasherFactory, neutralHasher, type StreamHasher } from '../../attachments/hasher.js';
import { checkMedia, detectMedia, EARLY_HEAD_BYTES, refuseEarly } from '../../attachments/media.js';
import {
  checkTusResumable,
  parseCreation,
  parseUploadOffset,
  tusHeaders,
  tusOptionsHeaders,
  uploadStateHeaders,
} from '../../attachments/tus.js';
import type { LocalSystemConfig } from '../../config/types.js';
import type { DigestAlgorithm } from '../../envelope/digest.js';
import { checkName } from '../../envelope/file-name.js';
import { ulid } from '../../envelope/ulid.js';
import { YrdxError } from '../../errors/errors.js';
import { mediaType } from '../../http/body.js';
import type { UploadRow } from '../../store/port.js';
import type { ExchangeDeps } from '../deps.js';
import type { ExchangeEnv } from './env.js';
import { localSystem } from './local-system.js';

/** Hashers of uploads in progress in this process; a restart (or another instance) recomputes from the part. */
const MAX_KEPT_HASHERS = 256;

/**
 * Uploads of case files by local systems, tus 1.0 (core, creation, creation-with-upload, termination,
 * expiration): `POST /v1/uploads` with `Upload-Length` and `Upload-Metadata` (`filename`, optionally
 * `filetype` and the `sha256` or `sm3` the system expects), then `PATCH` the bytes from `Upload-Offset`
 * (`HEAD` says how many are kept after a break), `DELETE` to abandon. Bytes stream into the blob store
 * while their digest is computed (SM3 under the national profile); the first bytes are checked for a
 * refused format, the finished file for its format, its extension, its declared type and its expected
 * digest — any failure discards the upload. The finished upload is then referenced in
 * `POST /v1/messages` (`attachments: [{"upload": id}]`).
 *
 * Written here rather than with @tus/server: its data stores take Node streams and keep their own
 * metadata, and the digest and content checks belong in the write path, on Node and in a Worker alike.
 */
export function uploadRoutes(deps: ExchangeDeps): Hono<ExchangeEnv> {
  const app = new Hono<ExchangeEnv>();
  const settings = deps.config.attachments;
  const algorithm: DigestAlgorithm = deps.config.cryptoProfile === 'gm' ? 'SM3' : 'SHA-256';
  const hasher: HasherFactory = deps.hasher ?? neutralHasher;
  const hashers = new Map<string, StreamHasher>();
  const busy = new Set<string>();

  /** Serialises the quota check and creation per local system, so that parallel POSTs cannot overshoot it. */
  const creating = new Map<string, Promise<unknown>>();

  const find = async (system: LocalSystemConfig, id: string): Promise<UploadRow> => {
    const upload = id.length <= 80 ? await deps.store.getUpload(id, system.id) : undefined;
    // An expired upload is gone for its client (tus expiration), even before the sweep removed it.
    if (upload === undefined || upload.expiresAt <= deps.now())
      throw new YrdxError('upload_not_found', { params: { id: id.slice(0, 80) } });
    return upload;
  };

  /**
   * A local system may keep only so many unfinished uploads (maxOpenUploads), and its uploads not yet
   * sent — finished or not — may declare only 2 × maxMessageBytes together: abandoned uploads cannot
   * fill the disk before they expire and are swept.
   */
  async function checkQuota(system: LocalSystemConfig, length: number): Promise<void> {
    const open = await deps.store.openUploads(system.id, deps.now());
    const limit = settings.maxOpenUploads;
    const byteLimit = 2 * settings.maxMessageBytes;
    if (open.count >= limit || open.bytes + length > byteLimit)
      throw new YrdxError('uploads_too_many', {
        params: { count: open.count, bytes: open.bytes, length, limit, byteLimit },
      });
  }

  function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = creating.get(key) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.catch(() => undefined);
    creating.set(key, tail);
    void tail.then(() => {
      if (creating.get(key) === tail) creating.delete(key);
    });
    return run;
  }

  const discard = async (blobs: BlobStore, id: string) => {
    hashers.delete(id);
    await blobs.discardPart(id);
    await deps.store.deleteUpload(id);
  };

  async function hasherAt(blobs: BlobStore, upload: UploadRow, offset: number): Promise<StreamHasher> {
    const kept = hashers.get(upload.id);
    if (kept !== undefined && kept.bytes === offset) return kept;
    const h = hasher(upload.algorithm);
    if (offset > 0) {
      const reader = (await blobs.readPart(upload.id, 0, offset)).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        h.update(value);
      }
    }
    if (hashers.size >= MAX_KEPT_HASHERS) hashers.delete(hashers.keys().next().value!);
    hashers.set(upload.id, h);
    return h;
  }

  /** The first bytes of a new upload are judged before they are kept: an executable is refused at once. */
  function withEarlyCheck(body: ReadableStream<Uint8Array>, upload: UploadRow): ReadableStream<Uint8Array> {
    const head: Uint8Array[] = [];
    let size = 0;
    let judged = false;
    const judge = async (controller: TransformStreamDefaultController<Uint8Array>) => {
      judged = true;
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of head) {
        bytes.set(c, at);
        at += c.byteLength;
      }
      await refuseEarly(bytes, settings.mediaTypes, { name: upload.name, size: upload.length });
      controller.enqueue(bytes);
    };
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        async transform(chunk, controller) {
          if (judged) return controller.enqueue(chunk);
          head.push(chunk);
          size += chunk.byteLength;
          if (size >= EARLY_HEAD_BYTES) await judge(controller);
        },
        async flush(controller) {
          if (!judged && size > 0) await judge(controller);
        },
      }),
    );
  }

  /** Checks a finished upload and makes it a blob; on any refusal the upload is gone. */
  async function finish(blobs: BlobStore, upload: UploadRow, h: StreamHasher): Promise<void> {
    try {
      const detected = await detectMedia(async (start, end) => {
        const reader = (await blobs.readPart(upload.id, start, end)).getReader();
        const out = new Uint8Array(end - start);
        let at = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          out.set(value, at);
          at += value.byteLength;
        }
        return out.subarray(0, at);
      }, upload.length);
      const media = checkMedia({
        name: upload.name,
        declared: upload.declaredType,
        detected,
        allowed: settings.mediaTypes,
      });
      hashers.delete(upload.id);
      const digest = await h.digest();
      if (upload.expectedDigest !== undefined && upload.expectedDigest !== digest)
        throw new YrdxError('attachment_digest_mismatch', {
          params: { name: upload.name, expected: upload.expectedDigest, actual: digest },
        });
      await blobs.commit(upload.id, digest);
      await deps.store.completeUpload(upload.id, { digest, mediaType: media }, deps.now());
    } catch (error) {
      await discard(blobs, upload.id);
      throw error;
    }
  }

  /** Appends the request body at `offset`; finishes the upload when it is whole. Returns the new offset. */
  async function append(
    blobs: BlobStore,
    upload: UploadRow,
    offset: number,
    body: ReadableStream<Uint8Array>,
  ): Promise<number> {
    if (busy.has(upload.id))
      throw new YrdxError('upload_offset_mismatch', { params: { id: upload.id, offset, given: offset } });
    busy.add(upload.id);
    try {
      const h = await hasherAt(blobs, upload, offset);
      let held: number;
      try {
        held = await blobs.append(upload.id, offset, offset === 0 ? withEarlyCheck(body, upload) : body, {
          maxBytes: upload.length,
          backpressure: () => h.ready?.(),
          onBytes: (chunk) => {
            h.update(chunk);
            deps.metrics?.fileBytes.inc({ direction: 'upload' }, chunk.byteLength);
          },
        });
      } catch (error) {
        if (error instanceof BlobLimitError) {
          await discard(blobs, upload.id);
          throw new YrdxError('attachment_size_mismatch', {
            params: { name: upload.name, expected: upload.length, actual: `> ${upload.length}` },
          });
        }
        if (error instanceof BlobOffsetError)
          throw new YrdxError('upload_offset_mismatch', {
            params: { id: upload.id, offset: error.size, given: offset },
          });
        if (error instanceof YrdxError) {
          // A refused format: nothing of it is kept.
          await discard(blobs, upload.id);
          throw error;
        }
        // A broken connection: what arrived is kept, and HEAD tells the client where to resume.
        const kept = await blobs.partSize(upload.id);
        if (kept !== h.bytes) hashers.delete(upload.id);
        await deps.store.setUploadOffset(upload.id, kept, deps.now());
        throw error;
      }
      await deps.store.setUploadOffset(upload.id, held, deps.now());
      if (held === upload.length) await finish(blobs, upload, h);
      return held;
    } finally {
      busy.delete(upload.id);
    }
  }

  app.options('/uploads', (c) => c.body(null, 204, tusOptionsHeaders(settings.maxFileBytes)));

  app.post('/uploads', async (c) => {
    const system = localSystem(c);
    const blobs = uploadBlobs(deps);
    const creation = parseCreation((name) => c.req.header(name));
    const { metadata } = creation;
    if (metadata.name === undefined)
      throw new YrdxError('attachment_name_invalid', {
        params: { reason: { zh: 'Upload-Metadata 缺少 filename。', en: 'Upload-Metadata has no filename.' } },
      });
    const name = checkName(metadata.name);
    if (creation.length > settings.maxFileBytes)
      throw new YrdxError('attachment_too_large', {
        params: { name, size: creation.length, limit: settings.maxFileBytes },
      });
    const expected =
      metadata.sm3 !== undefined
        ? `sm3:${metadata.sm3}`
        : metadata.sha256 !== undefined
          ? metadata.sha256
          : undefined;
    if (expected !== undefined && (expected.startsWith('sm3:') ? 'SM3' : 'SHA-256') !== algorithm)
      throw new YrdxError('upload_header_invalid', {
        params: {
          header: 'Upload-Metadata',
          reason: {
            zh: `本节点以 ${algorithm} 计算附件摘要，请给出该算法的摘要（${algorithm === 'SM3' ? 'sm3' : 'sha256'}）。`,
            en: `this node digests attachments with ${algorithm}; give the digest of that algorithm (${algorithm === 'SM3' ? 'sm3' : 'sha256'}).`,
          },
        },
      });
    const now = deps.now();
    const id = `up-${ulid(now)}${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const expiresAt = now + settings.uploadExpiryHours * 3600_000;
    await serialised(system.id, async () => {
      await checkQuota(system, creation.length);
      await deps.store.createUpload(
        {
          id,
          localSystem: system.id,
          name,
          ...(metadata.mediaType === undefined ? {} : { declaredType: metadata.mediaType.slice(0, 127) }),
          ...(expected === undefined ? {} : { expectedDigest: expected }),
          length: creation.length,
          algorithm,
          expiresAt,
        },
        now,
      );
    });
    const upload = await find(system, id);
    let offset = 0;
    // creation-with-upload: the first bytes may come with the creation.
    if (c.req.raw.body !== null && mediaType(c.req.raw) === 'application/offset+octet-stream')
      offset = await append(blobs, upload, 0, c.req.raw.body);
    else if (creation.length === 0) await finish(blobs, upload, await hasherAt(blobs, upload, 0));
    c.var.log?.('info', 'upload created', { uploadId: id, localSystem: system.id, length: creation.length });
    return c.body(null, 201, {
      ...uploadStateHeaders({ offset, length: creation.length, expires: expiresAt }),
      Location: `/v1/uploads/${id}`,
    });
  });

  // Hono answers HEAD with the GET route (body dropped): a HEAD-only route would never be reached.
  app.get('/uploads/:id', async (c) => {
    if (c.req.method !== 'HEAD') throw new YrdxError('not_found');
    const system = localSystem(c);
    checkTusResumable(c.req.header('tus-resumable'));
    const upload = await find(system, c.req.param('id'));
    const offset =
      upload.completedAt !== undefined ? upload.length : await uploadBlobs(deps).partSize(upload.id);
    return c.body(
      null,
      200,
      uploadStateHeaders({ offset, length: upload.length, expires: upload.expiresAt }),
    );
  });

  app.patch('/uploads/:id', async (c) => {
    const system = localSystem(c);
    const blobs = uploadBlobs(deps);
    checkTusResumable(c.req.header('tus-resumable'));
    if (mediaType(c.req.raw) !== 'application/offset+octet-stream')
      throw new YrdxError('unsupported_media_type', {
        params: { expected: 'application/offset+octet-stream' },
      });
    const given = parseUploadOffset(c.req.header('upload-offset'));
    const upload = await find(system, c.req.param('id'));
    if (upload.completedAt !== undefined) {
      if (given === upload.length)
        return c.body(null, 204, uploadStateHeaders({ offset: given, length: upload.length }));
      throw new YrdxError('upload_offset_mismatch', {
        params: { id: upload.id, offset: upload.length, given },
      });
    }
    const held = await blobs.partSize(upload.id);
    if (held !== given)
      throw new YrdxError('upload_offset_mismatch', { params: { id: upload.id, offset: held, given } });
    const body = c.req.raw.body;
    const offset = body === null ? held : await append(blobs, upload, given, body);
    return c.body(
      null,
      204,
      uploadStateHeaders({ offset, length: upload.length, expires: upload.expiresAt }),
    );
  });

  app.delete('/uploads/:id', async (c) => {
    const system = localSystem(c);
    checkTusResumable(c.req.header('tus-resumable'));
    const upload = await find(system, c.req.param('id'));
    if (busy.has(upload.id))
      throw new YrdxError('upload_offset_mismatch', {
        params: { id: upload.id, offset: upload.offset, given: upload.offset },
      });
    if (upload.completedAt === undefined) await discard(uploadBlobs(deps), upload.id);
    // A finished upload's blob may already belong to a message (or another upload): only the row goes.
    else await deps.store.deleteUpload(upload.id);
    return c.body(null, 204, tusHeaders());
  });

  return app;
}

/** The node's blob store, or `attachments_unavailable` on a node that keeps no case files (a Worker without FILES). */
function uploadBlobs(deps: Pick<ExchangeDeps, 'blobs'>): BlobStore {
  if (deps.blobs === undefined) throw new YrdxError('attachments_unavailable');
  return deps.blobs;
}
