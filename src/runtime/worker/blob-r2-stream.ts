import { type AppendOptions, BlobLimitError } from '../../attachments/blob-store.js';
import type { R2Bucket } from './r2.js';

/** A chunk object of a part or blob (src/runtime/worker/blob-r2.ts): its key, size and first byte's offset. */
export interface Chunk {
  readonly key: string;
  readonly size: number;
  readonly start: number;
}

/** Streams `body` into chunk objects of `chunkBytes` from `offset`; see the file head. */
export async function appendChunks(
  bucket: R2Bucket,
  prefix: string,
  offset: number,
  chunkBytes: number,
  body: ReadableStream<Uint8Array>,
  { maxBytes, onBytes, signal }: AppendOptions,
): Promise<number> {
  let size = offset;
  let pending: Uint8Array[] = [];
  let buffered = 0;
  const put = async (n: number): Promise<void> => {
    const chunk = new Uint8Array(n);
    let at = 0;
    for (let i = 0; at < n; i++) {
      const piece = pending[i]!.subarray(0, n - at);
      chunk.set(piece, at);
      at += piece.byteLength;
    }
    await bucket.put(prefix + String(size).padStart(16, '0'), chunk);
    // Only a chunk put is taken off the buffer: a failed put is tried again as the last chunk.
    for (let left = n; left > 0; ) {
      const piece = pending[0]!;
      if (piece.byteLength <= left) {
        pending.shift();
        left -= piece.byteLength;
      } else {
        pending[0] = piece.subarray(left);
        left = 0;
      }
    }
    size += n;
    buffered -= n;
    onBytes?.(chunk);
  };

  const reader = body.getReader();
  const abort = (): void => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    signal?.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      signal?.throwIfAborted();
      const room = Math.max(maxBytes - size - buffered, 0);
      const kept = value.byteLength > room ? value.subarray(0, room) : value;
      if (kept.byteLength > 0) pending.push(kept);
      buffered += kept.byteLength;
      while (buffered >= chunkBytes) await put(chunkBytes);
      if (kept !== value) {
        await reader.cancel(new BlobLimitError(size + buffered)).catch(() => undefined);
        throw new BlobLimitError(size + buffered);
      }
    }
    signal?.throwIfAborted();
    if (buffered > 0) await put(buffered);
    return size;
  } catch (e) {
    // What was accepted stays: the bytes buffered so far become the part's last chunk.
    if (buffered > 0) await put(buffered).catch(() => undefined);
    if (e instanceof BlobLimitError) throw new BlobLimitError(size);
    await reader.cancel(e).catch(() => undefined);
    throw e;
  } finally {
    signal?.removeEventListener('abort', abort);
    pending = [];
    reader.releaseLock();
  }
}

/** Bytes `[start, end)` of a blob or part laid out as `chunks`, one ranged `get` at a time. */
export function chunkStream(
  bucket: R2Bucket,
  chunks: readonly Chunk[],
  { start, end }: { start: number; end: number },
): ReadableStream<Uint8Array> {
  let position = start;
  let next = chunks.findIndex((c) => c.start + c.size > start);
  let current: { reader: ReadableStreamDefaultReader<Uint8Array>; left: number; key: string } | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (current !== undefined) {
            const { done, value } = await current.reader.read();
            if (!done) {
              current.left -= value.byteLength;
              if (current.left < 0) throw new Error(`blob chunk ${current.key} is longer than recorded`);
              controller.enqueue(value);
              return;
            }
            if (current.left !== 0) throw new Error(`blob chunk ${current.key} is shorter than recorded`);
            current = undefined;
          }
          if (position >= end) return controller.close();
          const chunk = chunks[next++];
          if (chunk === undefined) throw new Error(`blob chunks end at ${position}, before ${end}`);
          const offset = position - chunk.start;
          const length = Math.min(chunk.start + chunk.size, end) - position;
          const object = await bucket.get(chunk.key, { range: { offset, length } });
          if (object === null) throw new Error(`blob chunk ${chunk.key} is missing`);
          position += length;
          current = { reader: object.body.getReader(), left: length, key: chunk.key };
        }
      },
      async cancel(reason) {
        await current?.reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
