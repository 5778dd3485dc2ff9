import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  type AppendOptions,
  BlobLimitError,
  BlobOffsetError,
  type BlobStore,
  checkBlobKey,
  checkByteRange,
  checkPartId,
} from '../../attachments/blob-store.js';

/**
 * The attachment byte store on the filesystem (src/attachments/blob-store.ts):
 *
 *   <root>/parts/<partId>                 an unfinished part, appended to and fsynced
 *   <root>/blobs/sha256/<2 hex>/<64 hex>  a finished file under its SHA-256
 *   <root>/blobs/sm3/<2 hex>/<64 hex>     a finished file under its SM3
 *
 * A part becomes a blob by `rename` (atomic within one filesystem) after an fsync of the part, and the
 * blob's directory is fsynced after it, so a crash leaves the part or the whole blob. Bytes are
 * written as they come, the chunks that arrived during a write together with the next one (memory
 * stays flat whatever the size: at most `WRITE_QUEUE_BYTES` wait), fsynced once at the end of an
 * append; reads pull `READ_CHUNK` bytes at a time, one chunk ahead of the reader, from a handle opened
 * by the read call (so a blob deleted meanwhile is still read whole), closed at the end or on cancel:
 * a caller reads a stream to its end or cancels it. Names are checked before any path is built.
 */
export interface FsBlobStore extends BlobStore {
  /** Removes parts last written before `now - olderThanMs` (abandoned uploads at startup); returns how many. */
  sweepParts(olderThanMs: number, now?: number): Promise<number>;
}

const READ_CHUNK = 256 * 1024;

export function createFsBlobStore(rootDir: string): FsBlobStore {
  const root = resolve(rootDir);
  const partsDir = join(root, 'parts');
  const partPath = (partId: string): string => {
    checkPartId(partId);
    return join(partsDir, partId);
  };
  const blobPath = (key: string): string => {
    checkBlobKey(key);
    const [alg, hex] = key.startsWith('sm3:') ? ['sm3', key.slice(4)] : ['sha256', key];
    return join(root, 'blobs', alg, hex.slice(0, 2), hex);
  };

  return {
    async partSize(partId) {
      return (await sizeOf(partPath(partId))) ?? 0;
    },

    async append(partId, offset, body, options) {
      const path = partPath(partId);
      await mkdir(partsDir, { recursive: true });
      const file = await open(path, 'a');
      try {
        const size = (await file.stat()).size;
        if (size !== offset) throw new BlobOffsetError(size);
        return await appendTo(file, size, body, options);
      } finally {
        await file.close();
      }
    },

    async readPart(partId, start, end) {
      const path = partPath(partId);
      const stream = await readRange(path, start, end);
      return stream ?? readRangeOfEmpty(start, end);
    },

    async commit(partId, key) {
      const from = partPath(partId);
      const to = blobPath(key);
      if ((await sizeOf(to)) !== undefined) {
        await rm(from, { force: true });
        return;
      }
      // A part never written is an empty part: the empty file's blob.
      await mkdir(partsDir, { recursive: true });
      const file = await open(from, 'a');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      const first = await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      // The rename's entry, and any directory made for it, reach the disk before commit resolves.
      await syncDir(dirname(to));
      if (first !== undefined) {
        for (let dir = dirname(to); dir !== dirname(first); dir = dirname(dir)) await syncDir(dirname(dir));
      }
    },

    async discardPart(partId) {
      await rm(partPath(partId), { force: true });
    },

    async blobSize(key) {
      return sizeOf(blobPath(key));
    },

    async readBlob(key, range) {
      return readRange(blobPath(key), range?.start, range?.end);
    },

    async deleteBlob(key) {
      await rm(blobPath(key), { force: true });
    },

    async sweepParts(olderThanMs, now = Date.now()) {
      let names: string[];
      try {
        names = await readdir(partsDir);
      } catch (e) {
        if (isMissing(e)) return 0;
        throw e;
      }
      let removed = 0;
      for (const name of names) {
        const path = join(partsDir, name);
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile() && info.mtimeMs < now - olderThanMs) {
          await rm(path, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}

/**
 * Bytes read from the body but not yet written, at most (beyond one chunk): reading goes on while a
 * write is in flight up to this, then waits for the disk.
 */
const WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * Writes `body` to the end of `file` (which holds `size` bytes), then fsyncs, on success or not.
 *
 * Reading, writing and `onBytes` overlap: while one write is in flight (on libuv's thread pool) the
 * next chunks are read and queued (up to `WRITE_QUEUE_BYTES`), and written together with one
 * `writev` when it is done; the chunks of a finished write go to `onBytes` (a digest, on this thread)
 * only once they are written, after the next write has started. So a chunk is accepted (counted in
 * the size, seen by `onBytes`) only once written whole; a failed write is truncated away (and the
 * chunks queued behind it are never accepted), while the chunks read before the body broke are.
 */
async function appendTo(
  file: FileHandle,
  size: number,
  body: ReadableStream<Uint8Array>,
  { maxBytes, onBytes, signal, backpressure }: AppendOptions,
): Promise<number> {
  const reader = body.getReader();
  // A shutdown ends a pending read at once; the bytes already written stay.
  const abort = (): void => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  let queued: Uint8Array[] = [];
  let queuedBytes = 0;
  let writing: Promise<void> | undefined;
  let writingBytes = 0;
  let failed: { error: unknown } | undefined;
  /** Starts writing the queued chunks unless a write is in flight (or one failed). */
  const pump = (): void => {
    if (writing !== undefined || failed !== undefined || queuedBytes === 0) return;
    const chunks = queued;
    const bytes = queuedBytes;
    queued = [];
    queuedBytes = 0;
    writingBytes = bytes;
    writing = writeAll(file, chunks, bytes).then(
      () => {
        size += bytes;
        writing = undefined;
        writingBytes = 0;
        pump();
        if (onBytes !== undefined) for (const chunk of chunks) onBytes(chunk);
      },
      async (error: unknown) => {
        // A half-written write is not kept: the part holds whole accepted chunks only.
        await file.truncate(size).catch(() => undefined);
        failed = { error };
        writing = undefined;
        writingBytes = 0;
      },
    );
  };
  const throwIfFailed = (): void => {
    if (failed !== undefined) throw failed.error;
  };
  /** Waits until every queued chunk is written (or a write failed: then throws its error). */
  const drain = async (): Promise<void> => {
    while (writing !== undefined) await writing;
    throwIfFailed();
  };
  try {
    signal?.throwIfAborted();
    for (;;) {
      throwIfFailed();
      const { done, value } = await reader.read();
      if (done) break;
      signal?.throwIfAborted();
      throwIfFailed();
      const room = Math.max(maxBytes - size - writingBytes - queuedBytes, 0);
      const kept = value.byteLength > room ? value.subarray(0, room) : value;
      if (kept.byteLength > 0) {
        queued.push(kept);
        queuedBytes += kept.byteLength;
        pump();
      }
      if (kept !== value) {
        await drain();
        await reader.cancel(new BlobLimitError(size)).catch(() => undefined);
        throw new BlobLimitError(size);
      }
      // The disk is behind: wait for the write in flight before reading more.
      if (queuedBytes >= WRITE_QUEUE_BYTES) await writing;
      // So is the digest: wait for it to catch up (memory stays bounded).
      const behind = backpressure?.();
      if (behind !== undefined) await behind;
    }
    signal?.throwIfAborted();
    await drain();
    await file.sync();
    return size;
  } catch (e) {
    // What was read before the stream broke (or the node began to stop) is kept, as if written as it
    // came: the queue is written out, unless a write failed (then what is queued was never accepted).
    pump();
    while (writing !== undefined) await writing;
    await file.sync().catch(() => undefined);
    if (!(e instanceof BlobLimitError)) await reader.cancel(e).catch(() => undefined);
    throw e;
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}

/** Writes `chunks` (`bytes` in all) at the end of `file`, in one `writev` unless it writes less. */
async function writeAll(file: FileHandle, chunks: readonly Uint8Array[], bytes: number): Promise<void> {
  let { bytesWritten } = await file.writev(chunks as Uint8Array[]);
  if (bytesWritten === bytes) return;
  const rest = Buffer.concat(chunks as Uint8Array[], bytes);
  while (bytesWritten < bytes) {
    const { bytesWritten: n } = await file.write(rest, bytesWritten, bytes - bytesWritten);
    bytesWritten += n;
  }
}

/** `[start, end)` of the file at `path` as a pull stream, or undefined if there is no file. */
async function readRange(
  path: string,
  start = 0,
  end?: number,
): Promise<ReadableStream<Uint8Array> | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  let position: number;
  let last: number;
  try {
    ({ start: position, end: last } = checkByteRange(start, end, (await file.stat()).size));
  } catch (e) {
    await file.close();
    throw e;
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const want = Math.min(READ_CHUNK, last - position);
          const buffer = new Uint8Array(want);
          const { bytesRead } = want > 0 ? await file.read(buffer, 0, want, position) : { bytesRead: 0 };
          if (bytesRead === 0) {
            await file.close();
            // The file shrank under the reader (it never should): an error, not a short read.
            if (position < last)
              controller.error(new Error(`blob file ${path} ended at ${position}, before ${last}`));
            else controller.close();
            return;
          }
          position += bytesRead;
          controller.enqueue(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
        } catch (e) {
          await file.close().catch(() => undefined);
          throw e;
        }
      },
      async cancel() {
        await file.close();
      },
    },
    // One chunk read ahead: the next file read runs while the reader sends the last one on.
    { highWaterMark: 1 },
  );
}

function readRangeOfEmpty(start?: number, end?: number): ReadableStream<Uint8Array> {
  checkByteRange(start ?? 0, end, 0);
  return new ReadableStream({ start: (c) => c.close() });
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; its rename is durable by the filesystem's journal.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
