import {
  BLOB_KEY,
  BlobOffsetError,
  type BlobStore,
  checkBlobKey,
  checkByteRange,
  checkPartId,
} from '../../attachments/blob-store.js';
import { appendChunks, type Chunk, chunkStream } from './blob-r2-stream.js';
import type { R2Bucket, R2Object } from './r2.js';

/**
 * The attachment byte store on R2 (src/attachments/blob-store.ts).
 *
 * Why not R2 multipart uploads: a multipart upload's object key is fixed when the upload starts (a
 * blob's key is its digest, known only at the end), and the parts of an unfinished upload cannot be
 * read back (a node recomputes a digest from the bytes kept after a restart). So:
 *
 *   parts/<partId>/<start offset, 16 digits>  a chunk of a part: `chunkBytes` bytes (8 MiB by default),
 *                                             the last one shorter, each put whole (R2 puts are atomic)
 *   parts/<partId>/committed                  the blob key the part was committed to
 *   blobs/<key>                               a blob: its manifest `{size, part, chunks: [{key, size}]}`
 *
 * `append` buffers up to `chunkBytes` and puts each full chunk; `onBytes` sees a chunk once it is
 * put, so what it saw is what survives. An append that stops early (a broken stream, an abort, the
 * limit) puts what it buffered as a last, shorter chunk before it rejects. A part's size is the sum
 * of its chunks, listed in key order, each starting where the one before ended.
 *
 * `commit` writes the marker, then the manifest: the blob exists once its manifest does, and it names
 * chunks that are all there (never a truncated blob). The chunks stay where they are, owned by the
 * blob from then on; a marker whose manifest names the part tells later calls on the part id (a
 * retried commit, a discard of an upload already committed) not to touch them: the part is gone
 * (size 0), its id not reused. A marker without that manifest (a commit cut short) counts for
 * nothing. A manifest already under the key wins (dedupe): the part's chunks are deleted.
 * `deleteBlob` deletes the manifest, then the part's chunks and marker. Reads walk the chunks, each
 * with a ranged `get`, one at a time as the reader pulls.
 *
 * One writer per part (the caller serializes an upload's requests), as for the filesystem store. Two
 * parts committed under one key at the same moment may both write the manifest: the last one wins and
 * the other part stays a part (not committed) until it is discarded.
 */
export function createR2BlobStore(bucket: R2Bucket, options: { chunkBytes?: number } = {}): BlobStore {
  const chunkBytes = options.chunkBytes ?? 8 * 1024 * 1024;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes ${chunkBytes}`);

  const listAll = async (prefix: string): Promise<R2Object[]> => {
    const out: R2Object[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await bucket.list({ prefix, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      out.push(...page.objects);
      if (!page.truncated) return out;
      cursor = page.cursor;
    }
  };
  const deleteAll = async (keys: string[]): Promise<void> => {
    for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
  };

  const manifest = async (key: string): Promise<Manifest | undefined> => {
    const object = await bucket.get(manifestKey(key));
    if (object === null) return undefined;
    const m = JSON.parse(await object.text()) as Manifest;
    checkPartId(m.part);
    return m;
  };

  const partState = async (partId: string): Promise<PartState> => {
    const prefix = partPrefix(partId);
    const objects = await listAll(prefix);
    const chunks: Chunk[] = [];
    let size = 0;
    let marked = false;
    for (const o of objects.sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const name = o.key.slice(prefix.length);
      if (name === COMMITTED) marked = true;
      else if (CHUNK_NAME.test(name)) {
        // Keys are zero-padded offsets, so key order is offset order; a gap is a bug, never skipped.
        if (Number(name) !== size)
          throw new Error(`part ${partId}: chunk ${o.key} does not start at ${size}`);
        chunks.push({ key: o.key, size: o.size, start: size });
        size += o.size;
      }
    }
    // The marker counts once the manifest naming this part is there: a commit cut short between the
    // two leaves a part like any other, committed again by a retry.
    let committed = false;
    if (marked) {
      const key = await (await bucket.get(prefix + COMMITTED))?.text();
      committed = key !== undefined && BLOB_KEY.test(key) && (await manifest(key))?.part === partId;
    }
    return { prefix, chunks, size, committed, keys: objects.map((o) => o.key) };
  };

  return {
    async partSize(partId) {
      const state = await partState(partId);
      return state.committed ? 0 : state.size;
    },

    async append(partId, offset, body, options) {
      const state = await partState(partId);
      if (state.committed)
        throw new TypeError(`blob_name_invalid: part ${partId} was committed; ids are not reused`);
      if (state.size !== offset) throw new BlobOffsetError(state.size);
      return appendChunks(bucket, state.prefix, offset, chunkBytes, body, options);
    },

    async readPart(partId, start, end) {
      const state = await partState(partId);
      return chunkStream(
        bucket,
        state.committed ? [] : state.chunks,
        checkByteRange(start ?? 0, end, state.committed ? 0 : state.size),
      );
    },

    async commit(partId, key) {
      checkPartId(partId);
      const existing = await manifest(key);
      if (existing?.part === partId) return; // committed already: a retry
      const state = await partState(partId);
      if (state.committed)
        throw new TypeError(`blob_name_invalid: part ${partId} was committed; ids are not reused`);
      if (existing !== undefined) {
        // Another part held the same bytes first (dedupe).
        await deleteAll(state.keys);
        return;
      }
      await bucket.put(state.prefix + COMMITTED, key);
      const chunks = state.chunks.map((c) => ({ key: c.key, size: c.size }));
      await bucket.put(
        manifestKey(key),
        JSON.stringify({ size: state.size, part: partId, chunks } satisfies Manifest),
      );
    },

    async discardPart(partId) {
      const state = await partState(partId);
      // A part committed is a blob now: its chunks are the blob's.
      if (!state.committed) await deleteAll(state.keys);
    },

    async blobSize(key) {
      return (await manifest(key))?.size;
    },

    async readBlob(key, range) {
      const m = await manifest(key);
      if (m === undefined) return undefined;
      let start = 0;
      const chunks = m.chunks.map((c) => {
        const chunk = { ...c, start };
        start += c.size;
        return chunk;
      });
      return chunkStream(bucket, chunks, checkByteRange(range?.start ?? 0, range?.end, m.size));
    },

    async deleteBlob(key) {
      const m = await manifest(key);
      if (m === undefined) return;
      // The manifest first: no reader finds a blob whose chunks are going.
      await bucket.delete(manifestKey(key));
      await deleteAll((await listAll(partPrefix(m.part))).map((o) => o.key));
    },
  };
}

const COMMITTED = 'committed';
const CHUNK_NAME = /^[0-9]{16}$/;

interface PartState {
  readonly prefix: string;
  readonly chunks: Chunk[];
  readonly size: number;
  readonly committed: boolean;
  /** Every object under the part's prefix. */
  readonly keys: string[];
}

interface Manifest {
  readonly size: number;
  readonly part: string;
  readonly chunks: { readonly key: string; readonly size: number }[];
}

function partPrefix(partId: string): string {
  checkPartId(partId);
  return `parts/${partId}/`;
}

function manifestKey(key: string): string {
  checkBlobKey(key);
  return `blobs/${key}`;
}
