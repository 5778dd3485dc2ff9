import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFsBlobStore } from '../../src/runtime/node/blob-fs.js';
import { tempDir } from '../helpers/tmp.js';
import { blobStoreConformance } from './blob-store-conformance.js';
import { blobKey, HOSTILE_BLOB_KEYS, HOSTILE_PART_IDS, partId, pattern, readAll, streamOf } from './bytes.js';

blobStoreConformance('filesystem', () => createFsBlobStore(join(tempDir('yrdx-blobs-'), 'files')));

/** Every file and directory under `dir`, relative, with sizes and modification times. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const info = statSync(join(dir, name));
      return `${name} ${info.isDirectory() ? 'dir' : info.size} ${info.mtimeMs}`;
    })
    .sort();
}

describe('filesystem blob store', () => {
  it('lays parts and blobs out under the root, and leaves no part behind a commit', async () => {
    const root = tempDir('yrdx-blobs-');
    const store = createFsBlobStore(root);
    const part = partId();
    await store.append(part, 0, streamOf(pattern(10, 1)), { maxBytes: 100 });
    expect(readFileSync(join(root, 'parts', part))).toEqual(Buffer.from(pattern(10, 1)));
    const key = blobKey();
    await store.commit(part, key);
    const sm3 = blobKey('sm3:');
    await store.commit(partId(), sm3);
    expect(readdirSync(join(root, 'parts'))).toEqual([]);
    expect(readFileSync(join(root, 'blobs', 'sha256', key.slice(0, 2), key))).toEqual(
      Buffer.from(pattern(10, 1)),
    );
    expect(statSync(join(root, 'blobs', 'sm3', sm3.slice(4, 6), sm3.slice(4))).size).toBe(0);
  });

  it('keeps a part across a new store instance on the same root (a restart)', async () => {
    const root = tempDir('yrdx-blobs-');
    const part = partId();
    await createFsBlobStore(root).append(part, 0, streamOf(pattern(1000, 1)), { maxBytes: 1e6 });
    const again = createFsBlobStore(root);
    expect(await again.partSize(part)).toBe(1000);
    await again.append(part, 1000, streamOf(pattern(24, 2)), { maxBytes: 1e6 });
    const key = blobKey();
    await again.commit(part, key);
    const third = createFsBlobStore(root);
    expect(await third.blobSize(key)).toBe(1024);
    expect((await readAll((await third.readBlob(key, { start: 1000, end: 1024 }))!)).length).toBe(24);
  });

  it('never touches a file outside its root, whatever id or key it is given', async () => {
    const outer = tempDir('yrdx-blobs-');
    const root = join(outer, 'a', 'b', 'files');
    mkdirSync(root, { recursive: true });
    // Files a path escape would reach: beside the root, above it, and where `parts/..` lands.
    for (const name of ['x', 'a/x', 'a/b/x', 'a/b/files/x', 'etc/passwd']) {
      mkdirSync(join(outer, name, '..'), { recursive: true });
      writeFileSync(join(outer, name), 'keep');
    }
    const before = snapshot(outer);
    const store = createFsBlobStore(root);
    const ids = [...HOSTILE_PART_IDS, '../../x', '../../../x', 'parts/../x', 'x'];
    const keys = [...HOSTILE_BLOB_KEYS, '../../../../x', 'sm3:../../../../x'];
    const calls: Promise<unknown>[] = [];
    for (const id of ids) {
      calls.push(
        store.partSize(id),
        store.append(id, 0, streamOf(pattern(3, 1)), { maxBytes: 10 }),
        store.append(id, 4, streamOf(pattern(3, 1)), { maxBytes: 10 }),
        store.readPart(id),
        store.commit(id, blobKey()),
        store.discardPart(id),
      );
    }
    for (const key of keys) {
      calls.push(
        store.commit(partId(), key),
        store.blobSize(key),
        store.readBlob(key),
        store.deleteBlob(key),
      );
    }
    const results = await Promise.allSettled(calls);
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { name: 'TypeError' } });
    expect(snapshot(outer)).toEqual(before);
    expect(existsSync(join(root, 'parts'))).toBe(false);
  });

  it('sweeps parts last written before a cut-off, and no others', async () => {
    const root = tempDir('yrdx-blobs-');
    const store = createFsBlobStore(root);
    expect(await store.sweepParts(1000)).toBe(0);
    const [old, fresh] = [partId(), partId()];
    await store.append(old, 0, streamOf(pattern(5, 1)), { maxBytes: 10 });
    await store.append(fresh, 0, streamOf(pattern(5, 2)), { maxBytes: 10 });
    const written = statSync(join(root, 'parts', fresh)).mtimeMs;
    const longAgo = new Date(written - 3_600_000);
    utimesSync(join(root, 'parts', old), longAgo, longAgo);
    expect(await store.sweepParts(60_000, written + 1000)).toBe(1);
    expect(await store.partSize(old)).toBe(0);
    expect(await store.partSize(fresh)).toBe(5);
  });

  it('reads in chunks of 256 KiB, pulled as the reader asks', async () => {
    const root = tempDir('yrdx-blobs-');
    const store = createFsBlobStore(root);
    const part = partId();
    await store.append(part, 0, streamOf(pattern(3 * 256 * 1024, 1)), { maxBytes: 1e7 });
    const reader = (await store.readPart(part)).getReader();
    const first = await reader.read();
    expect(first.value?.length).toBe(256 * 1024);
    await reader.cancel();
  });
});
