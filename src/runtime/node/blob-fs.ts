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
 * written as they come, one chunk at a time (memory stays flat whatever the size); reads pull
 * `READ_CHUNK` bytes at a time from a handle opened by the read call (so a blob deleted meanwhile is
 * still read whole), closed at the end or on cancel: a caller reads a stream to its end or cancels
 * it. Names are checked before any path is built.
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

/** Writes `body` to the end of `file` (which holds `size` bytes), then fsyncs, on success or not. */
async function appendTo(
  file: FileHandle,
  size: number,
  body: ReadableStream<Uint8Array>,
  { maxBytes, onBytes, signal }: AppendOptions,
): Promise<number> {
  const reader = body.getReader();
  // A shutdown ends a pending read at once; the bytes already written stay.
  const abort = (): void => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    signal?.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      signal?.throwIfAborted();
      const room = maxBytes - size;
      const kept = value.byteLength > Math.max(room, 0) ? value.subarray(0, Math.max(room, 0)) : value;
      try {
        await writeAll(file, kept);
      } catch (e) {
        // A half-written chunk is not kept: the part holds whole accepted chunks only.
        await file.truncate(size).catch(() => undefined);
        throw e;
      }
      size += kept.byteLength;
      if (kept.byteLength > 0) onBytes?.(kept);
      if (kept !== value) {
        await reader.cancel(new BlobLimitError(size)).catch(() => undefined);
        throw new BlobLimitError(size);
      }
    }
    signal?.throwIfAborted();
    await file.sync();
    return size;
  } catch (e) {
    await file.sync().catch(() => undefined);
    if (!(e instanceof BlobLimitError)) await reader.cancel(e).catch(() => undefined);
    throw e;
  } finally {
    signal?.removeEventListener('abort', abort);
    reader.releaseLock();
  }
}

async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength; ) {
    const { bytesWritten } = await file.write(bytes, at, bytes.byteLength - at);
    at += bytesWritten;
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
    { highWaterMark: 0 },
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
