import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createR2BlobStore } from '../../src/runtime/worker/blob-r2.js';
import { blobStoreConformance } from '../attachments/blob-store-conformance.js';
import { blobKey, partId, pattern, readAll, streamOf } from '../attachments/bytes.js';

const CHUNK = 64 * 1024;

blobStoreConformance('r2 (workerd)', () => createR2BlobStore(env.FILES, { chunkBytes: CHUNK }), {
  boundary: CHUNK,
});

const keysUnder = async (prefix: string): Promise<string[]> =>
  (await env.FILES.list({ prefix })).objects.map((o) => o.key);

describe('r2 blob store', () => {
  it('keeps a part as whole chunk objects, the last one shorter, and a blob as a manifest of them', async () => {
    const store = createR2BlobStore(env.FILES, { chunkBytes: CHUNK });
    const part = partId();
    await store.append(part, 0, streamOf(pattern(CHUNK + 10, 1), pattern(CHUNK, 2)), { maxBytes: 1e9 });
    const chunks = await env.FILES.list({ prefix: `parts/${part}/` });
    expect(chunks.objects.map((o) => [o.key.slice(-16), o.size])).toEqual([
      ['0000000000000000', CHUNK],
      ['0000000000065536', CHUNK],
      ['0000000000131072', 10],
    ]);
    const key = blobKey();
    await store.commit(part, key);
    const manifest = JSON.parse(await (await env.FILES.get(`blobs/${key}`))!.text());
    expect(manifest).toMatchObject({
      size: 2 * CHUNK + 10,
      part,
      chunks: [{ size: CHUNK }, { size: CHUNK }, { size: 10 }],
    });
  });

  it('deletes a deduplicated part’s chunks, and a deleted blob’s chunks and marker', async () => {
    const store = createR2BlobStore(env.FILES, { chunkBytes: CHUNK });
    const [first, second] = [partId(), partId()];
    const key = blobKey();
    for (const p of [first, second])
      await store.append(p, 0, streamOf(pattern(CHUNK * 2, 1)), { maxBytes: 1e9 });
    await store.commit(first, key);
    await store.commit(second, key);
    expect(await keysUnder(`parts/${second}/`)).toEqual([]);
    expect(await keysUnder(`parts/${first}/`)).toHaveLength(3);
    await store.deleteBlob(key);
    expect(await keysUnder(`parts/${first}/`)).toEqual([]);
    expect(await keysUnder(`blobs/${key}`)).toEqual([]);
  });

  it('takes a commit cut short between its marker and its manifest as no commit', async () => {
    const store = createR2BlobStore(env.FILES, { chunkBytes: CHUNK });
    const part = partId();
    const key = blobKey();
    await store.append(part, 0, streamOf(pattern(CHUNK + 1, 1)), { maxBytes: 1e9 });
    await env.FILES.put(`parts/${part}/committed`, key);
    expect(await store.partSize(part)).toBe(CHUNK + 1);
    expect(await store.blobSize(key)).toBeUndefined();
    expect(await store.append(part, CHUNK + 1, streamOf(pattern(1, 2)), { maxBytes: 1e9 })).toBe(CHUNK + 2);
    await store.commit(part, key);
    expect(await store.partSize(part)).toBe(0);
    expect(await store.blobSize(key)).toBe(CHUNK + 2);
    // Committed, the id is not reused, and its chunks belong to the blob.
    await expect(store.append(part, 0, streamOf(pattern(1, 2)), { maxBytes: 1e9 })).rejects.toThrow(
      /not reused/,
    );
    await expect(store.commit(part, blobKey())).rejects.toThrow(/not reused/);
    await store.discardPart(part);
    expect(await readAll((await store.readBlob(key))!)).toHaveLength(CHUNK + 2);
  });

  it('counts a part over list pages (more than 1000 chunks)', async () => {
    const store = createR2BlobStore(env.FILES, { chunkBytes: 16 });
    const part = partId();
    const body = pattern(16 * 1100 + 3, 5);
    expect(await store.append(part, 0, streamOf(body), { maxBytes: 1e9 })).toBe(body.length);
    expect(await store.partSize(part)).toBe(body.length);
    const key = blobKey();
    await store.commit(part, key);
    expect(
      await readAll((await store.readBlob(key, { start: 16 * 1050 - 1, end: 16 * 1050 + 17 }))!),
    ).toEqual(body.subarray(16 * 1050 - 1, 16 * 1050 + 17));
    await store.deleteBlob(key);
    expect(await keysUnder(`parts/${part}/`)).toEqual([]);
  });
});
