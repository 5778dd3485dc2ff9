import { describe, expect, it } from 'vitest';
import { BlobLimitError, BlobOffsetError, type BlobStore } from '../../src/attachments/blob-store.js';
import { neutralHasher } from '../../src/attachments/hasher.js';
import {
  blobKey,
  concat,
  generated,
  HOSTILE_BLOB_KEYS,
  HOSTILE_PART_IDS,
  iterate,
  partId,
  pattern,
  readAll,
  streamOf,
} from './bytes.js';

/**
 * The conformance suite of the attachment byte store (src/attachments/blob-store.ts): every adapter
 * runs it, on Node and in workerd, so it uses Web APIs only. Each test makes its own part ids and blob
 * keys (random), so tests never see each other's bytes on a shared store. `boundary` is a size at
 * which an adapter splits what it keeps (R2's chunk objects): ranged reads are tried across it.
 */
export function blobStoreConformance(
  name: string,
  makeStore: () => BlobStore | Promise<BlobStore>,
  options: { boundary?: number } = {},
): void {
  const boundary = options.boundary ?? 64 * 1024;

  describe(`blob store conformance: ${name}`, () => {
    it('holds nothing for a part never written, and reads it as empty', async () => {
      const store = await makeStore();
      const part = partId();
      expect(await store.partSize(part)).toBe(0);
      expect(await readAll(await store.readPart(part))).toEqual(new Uint8Array());
      await expect(store.readPart(part, 0, 1)).rejects.toThrow(RangeError);
    });

    it('appends across several calls, each at the size the part holds', async () => {
      const store = await makeStore();
      const part = partId();
      const [a, b, c] = [pattern(1000, 1), pattern(boundary + 17, 2), pattern(3, 3)];
      expect(await store.append(part, 0, streamOf(a), { maxBytes: 1e9 })).toBe(1000);
      expect(
        await store.append(part, 1000, streamOf(b.subarray(0, 5), b.subarray(5)), { maxBytes: 1e9 }),
      ).toBe(1000 + b.length);
      expect(await store.append(part, 1000 + b.length, streamOf(c), { maxBytes: 1e9 })).toBe(1003 + b.length);
      expect(await store.append(part, 1003 + b.length, streamOf(), { maxBytes: 1e9 })).toBe(1003 + b.length);
      expect(await store.partSize(part)).toBe(1003 + b.length);
      expect(await readAll(await store.readPart(part))).toEqual(concat(a, b, c));
      expect(await readAll(await store.readPart(part, 999, 1002))).toEqual(concat(a, b).subarray(999, 1002));
    });

    it('refuses an append at any other offset than the size held, keeping the part as it was', async () => {
      const store = await makeStore();
      const part = partId();
      await store.append(part, 0, streamOf(pattern(10, 1)), { maxBytes: 100 });
      for (const offset of [0, 9, 11, 1000]) {
        const error = await store
          .append(part, offset, streamOf(pattern(5, 2)), { maxBytes: 100 })
          .catch((e) => e);
        expect(error).toBeInstanceOf(BlobOffsetError);
        expect((error as BlobOffsetError).size).toBe(10);
      }
      expect(
        await store.append(partId(), 3, streamOf(pattern(5, 2)), { maxBytes: 100 }).catch((e) => e),
      ).toMatchObject({ name: 'BlobOffsetError', size: 0 });
      expect(await readAll(await store.readPart(part))).toEqual(pattern(10, 1));
    });

    it('stops at the limit, keeping the bytes up to it (and onBytes sees exactly those)', async () => {
      const store = await makeStore();
      const part = partId();
      const body = concat(pattern(400, 1), pattern(400, 2), pattern(400, 3));
      const seen: Uint8Array[] = [];
      let pulledAfterLimit = false;
      const chunks = [body.subarray(0, 400), body.subarray(400, 800), body.subarray(800)];
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) pulledAfterLimit = true;
            else controller.enqueue(next);
          },
        },
        { highWaterMark: 0 },
      );
      const error = await store
        .append(part, 0, stream, { maxBytes: 1000, onBytes: (c) => seen.push(c.slice()) })
        .catch((e) => e);
      expect(error).toBeInstanceOf(BlobLimitError);
      expect((error as BlobLimitError).size).toBe(1000);
      expect(pulledAfterLimit).toBe(false);
      expect(await store.partSize(part)).toBe(1000);
      expect(concat(...seen)).toEqual(body.subarray(0, 1000));
      expect(await readAll(await store.readPart(part))).toEqual(body.subarray(0, 1000));
      // A full part takes no more, and an empty body still fits.
      await expect(store.append(part, 1000, streamOf(pattern(1, 4)), { maxBytes: 1000 })).rejects.toThrow(
        BlobLimitError,
      );
      expect(await store.append(part, 1000, streamOf(), { maxBytes: 1000 })).toBe(1000);
      expect(await store.partSize(part)).toBe(1000);
    });

    it('takes a body of exactly the limit', async () => {
      const store = await makeStore();
      const part = partId();
      expect(
        await store.append(part, 0, streamOf(pattern(600, 1), pattern(400, 2)), { maxBytes: 1000 }),
      ).toBe(1000);
    });

    it('keeps the bytes accepted before a stream broke, and resumes after them', async () => {
      const store = await makeStore();
      const part = partId();
      const [a, b] = [pattern(boundary - 1, 1), pattern(300, 2)];
      const broken = new Error('connection reset');
      const seen: Uint8Array[] = [];
      const error = await store
        .append(part, 0, streamOf(a, b, broken), { maxBytes: 1e9, onBytes: (c) => seen.push(c.slice()) })
        .catch((e) => e);
      expect(error).toBe(broken);
      const size = await store.partSize(part);
      expect(size).toBe(a.length + b.length);
      expect(concat(...seen)).toEqual(concat(a, b));
      const c = pattern(10, 3);
      expect(await store.append(part, size, streamOf(c), { maxBytes: 1e9 })).toBe(size + 10);
      expect(await readAll(await store.readPart(part))).toEqual(concat(a, b, c));
    });

    it('keeps the bytes accepted before an abort (a shutdown), and rejects with its reason', async () => {
      const store = await makeStore();
      const part = partId();
      const a = pattern(700, 1);
      const shutdown = new AbortController();
      const reason = new Error('shutting down');
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulls++ === 0) controller.enqueue(a);
            else {
              shutdown.abort(reason);
              return new Promise<void>(() => undefined); // a peer that went quiet
            }
          },
        },
        { highWaterMark: 0 },
      );
      const seen: Uint8Array[] = [];
      const error = await store
        .append(part, 0, stream, {
          maxBytes: 1e9,
          signal: shutdown.signal,
          onBytes: (c) => seen.push(c.slice()),
        })
        .catch((e) => e);
      expect(error).toBe(reason);
      expect(await store.partSize(part)).toBe(700);
      expect(concat(...seen)).toEqual(a);
    });

    it('lets onBytes see every byte, in order, whatever the chunking', async () => {
      const store = await makeStore();
      const part = partId();
      const body = pattern(3 * boundary + 5, 7);
      const chunks: Uint8Array[] = [];
      for (let at = 0, n = 1; at < body.length; at += n, n = (n * 7 + 3) % 20_011)
        chunks.push(body.subarray(at, at + n));
      const seen: Uint8Array[] = [];
      const size = await store.append(part, 0, streamOf(...chunks), {
        maxBytes: 1e9,
        onBytes: (c) => seen.push(c.slice()),
      });
      expect(size).toBe(body.length);
      expect(concat(...seen)).toEqual(body);
    });

    it('commits a part to a blob, read whole and by ranges', async () => {
      const store = await makeStore();
      const part = partId();
      const body = pattern(2 * boundary + 333, 9);
      await store.append(part, 0, streamOf(body.subarray(0, 100)), { maxBytes: 1e9 });
      await store.append(part, 100, streamOf(body.subarray(100)), { maxBytes: 1e9 });
      const key = blobKey();
      expect(await store.blobSize(key)).toBeUndefined();
      expect(await store.readBlob(key)).toBeUndefined();
      await store.commit(part, key);
      expect(await store.partSize(part)).toBe(0);
      expect(await store.blobSize(key)).toBe(body.length);
      expect(await readAll(await read(store, key))).toEqual(body);
      const n = body.length;
      const ranges: [number, number][] = [
        [0, 1],
        [n - 1, n],
        [0, n],
        [5, 5],
        [n, n],
        [1000, 1234],
        [boundary - 1, boundary + 1],
        [boundary, 2 * boundary],
        [boundary - 10, 2 * boundary + 10],
        [2 * boundary, n],
        [1, n - 1],
      ];
      for (const [start, end] of ranges) {
        expect(await readAll(await read(store, key, { start, end })), `[${start}, ${end})`).toEqual(
          body.subarray(start, end),
        );
      }
      await expect(store.readBlob(key, { start: 0, end: n + 1 })).rejects.toThrow(RangeError);
      await expect(store.readBlob(key, { start: 10, end: 9 })).rejects.toThrow(RangeError);
      await expect(store.readBlob(key, { start: -1, end: 9 })).rejects.toThrow(RangeError);
    });

    it('commits an empty part (a file of no bytes) and an SM3 key', async () => {
      const store = await makeStore();
      const empty = blobKey('sm3:');
      await store.commit(partId(), empty);
      expect(await store.blobSize(empty)).toBe(0);
      expect(await readAll(await read(store, empty))).toEqual(new Uint8Array());
      const part = partId();
      await store.append(part, 0, streamOf(pattern(5, 1)), { maxBytes: 10 });
      const key = blobKey('sm3:');
      await store.commit(part, key);
      expect(await readAll(await read(store, key, { start: 4, end: 5 }))).toEqual(pattern(5, 1).subarray(4));
    });

    it('keeps the first blob when a second part is committed under the same key (dedupe)', async () => {
      const store = await makeStore();
      const [first, second] = [partId(), partId()];
      const key = blobKey();
      await store.append(first, 0, streamOf(pattern(boundary + 1, 1)), { maxBytes: 1e9 });
      await store.append(second, 0, streamOf(pattern(boundary + 1, 2)), { maxBytes: 1e9 });
      await store.commit(first, key);
      await store.commit(second, key);
      expect(await store.partSize(second)).toBe(0);
      expect(await readAll(await read(store, key))).toEqual(pattern(boundary + 1, 1));
    });

    it('takes a commit repeated (a retry after a crash) and a discard after it without harm to the blob', async () => {
      const store = await makeStore();
      const part = partId();
      const key = blobKey();
      await store.append(part, 0, streamOf(pattern(boundary * 2, 1)), { maxBytes: 1e9 });
      await store.commit(part, key);
      await store.commit(part, key);
      await store.discardPart(part);
      expect(await readAll(await read(store, key))).toEqual(pattern(boundary * 2, 1));
    });

    it('discards a part, and takes a discard of none', async () => {
      const store = await makeStore();
      const part = partId();
      await store.append(part, 0, streamOf(pattern(boundary + 1, 1)), { maxBytes: 1e9 });
      await store.discardPart(part);
      expect(await store.partSize(part)).toBe(0);
      expect(await readAll(await store.readPart(part))).toEqual(new Uint8Array());
      await store.discardPart(part);
      await store.discardPart(partId());
      // The id can start over.
      expect(await store.append(part, 0, streamOf(pattern(3, 2)), { maxBytes: 1e9 })).toBe(3);
      expect(await readAll(await store.readPart(part))).toEqual(pattern(3, 2));
    });

    it('deletes a blob, and takes a delete of none', async () => {
      const store = await makeStore();
      const part = partId();
      const key = blobKey();
      await store.append(part, 0, streamOf(pattern(boundary + 1, 1)), { maxBytes: 1e9 });
      await store.commit(part, key);
      await store.deleteBlob(key);
      expect(await store.blobSize(key)).toBeUndefined();
      expect(await store.readBlob(key)).toBeUndefined();
      await store.deleteBlob(key);
      // The same file can be kept again later.
      const again = partId();
      await store.append(again, 0, streamOf(pattern(10, 3)), { maxBytes: 1e9 });
      await store.commit(again, key);
      expect(await readAll(await read(store, key))).toEqual(pattern(10, 3));
    });

    it('refuses part ids and blob keys the node did not make, in every method', async () => {
      const store = await makeStore();
      const refused = (p: Promise<unknown>) => expect(p).rejects.toThrow(/blob_name_invalid/);
      for (const bad of HOSTILE_PART_IDS) {
        await refused(store.partSize(bad));
        await refused(store.append(bad, 0, streamOf(pattern(3, 1)), { maxBytes: 10 }));
        await refused(store.readPart(bad));
        await refused(store.commit(bad, blobKey()));
        await refused(store.discardPart(bad));
      }
      const part = partId();
      await store.append(part, 0, streamOf(pattern(3, 1)), { maxBytes: 10 });
      for (const bad of HOSTILE_BLOB_KEYS) {
        await refused(store.commit(part, bad));
        await refused(store.blobSize(bad));
        await refused(store.readBlob(bad));
        await refused(store.deleteBlob(bad));
      }
      expect(await store.partSize(part)).toBe(3);
    });

    it('keeps a multi-MiB streamed body byte for byte (by digest), appended in two calls', async () => {
      const store = await makeStore();
      const part = partId();
      const total = 5 * 1024 * 1024 + 123;
      const split = 3 * 1024 * 1024 + 7;
      const source = neutralHasher('SHA-256');
      const seen = neutralHasher('SHA-256');
      const opts = { maxBytes: total, onBytes: (c: Uint8Array) => seen.update(c) };
      await store.append(part, 0, generated(0, split, source), opts);
      await store.append(part, split, generated(split, total, source), opts);
      const digest = await source.digest();
      expect(await seen.digest()).toBe(digest);
      const tail = neutralHasher('SHA-256');
      for await (const c of iterate(await store.readPart(part, split))) tail.update(c);
      expect(tail.bytes).toBe(total - split);
      await store.commit(part, digest);
      expect(await store.blobSize(digest)).toBe(total);
      const back = neutralHasher('SHA-256');
      for await (const c of iterate(await read(store, digest))) back.update(c);
      expect(back.bytes).toBe(total);
      expect(await back.digest()).toBe(digest);
    });
  });
}

async function read(store: BlobStore, key: string, range?: { start: number; end: number }) {
  const stream = await store.readBlob(key, range);
  if (stream === undefined) throw new Error(`no blob ${key}`);
  return stream;
}
