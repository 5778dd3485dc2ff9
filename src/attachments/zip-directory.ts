/**
 * The entry names of a ZIP file, read from its central directory at the end of the file — the list
 * every ZIP reader (Office, an OFD reader, unzip) trusts — so that a container is told apart whatever
 * order its entries were written in. Reads are bounded: the end record is looked for in the last
 * 64 KiB + 22 bytes (its comment is at most 65535 bytes), and at most `MAX_DIRECTORY_BYTES` of the
 * directory and `MAX_DIRECTORY_ENTRIES` entries are read; a bigger directory is read in part
 * (`complete: false`). ZIP64 is understood; a file split over several disks is not a ZIP here.
 */

/** Bytes `[start, end)` of the file. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

export const MAX_DIRECTORY_BYTES = 1024 * 1024;
export const MAX_DIRECTORY_ENTRIES = 10_000;

const END_SIGNATURE = 0x06054b50;
const END_LENGTH = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_LENGTH = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_LENGTH = 56;
const ENTRY_SIGNATURE = 0x02014b50;
const ENTRY_LENGTH = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_LENGTH = 30;
const DATA_DESCRIPTOR_LENGTH = 24;
const ZIP64_EXTRA = 0x0001;

export interface ZipEntry {
  readonly name: string;
  /** Where its local header begins. */
  readonly offset: number;
  readonly compressedSize: number;
}

export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
  /** False when the directory was longer than the caps and only its first entries were read. */
  readonly complete: boolean;
}

const texts = new TextDecoder('utf-8');

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A little-endian 64-bit number, or undefined past `Number.MAX_SAFE_INTEGER`. */
function u64(v: DataView, at: number): number | undefined {
  const value = v.getUint32(at + 4, true) * 2 ** 32 + v.getUint32(at, true);
  return Number.isSafeInteger(value) ? value : undefined;
}

interface DirectoryPlace {
  readonly offset: number;
  readonly size: number;
  readonly entries: number;
  /** Where the records after the directory begin: nothing of the directory lies at or past it. */
  readonly limit: number;
}

/** Where the central directory is, from the end record (and the ZIP64 one), or undefined. */
async function placeOf(read: ReadRange, size: number): Promise<DirectoryPlace | undefined> {
  const tailStart = Math.max(0, size - END_LENGTH - MAX_COMMENT);
  const tail = await read(tailStart, size);
  const t = view(tail);
  let at = -1;
  // The last end record whose comment runs exactly to the end of the file (a comment may hold the
  // signature's bytes, but then its own length would not fit).
  for (let i = tail.length - END_LENGTH; i >= 0; i--) {
    if (
      t.getUint32(i, true) === END_SIGNATURE &&
      i + END_LENGTH + t.getUint16(i + 20, true) === tail.length
    ) {
      at = i;
      break;
    }
  }
  if (at < 0) return undefined;
  const endAt = tailStart + at;
  const disk = t.getUint16(at + 4, true);
  const directoryDisk = t.getUint16(at + 6, true);
  const entriesHere = t.getUint16(at + 8, true);
  const entries = t.getUint16(at + 10, true);
  const dirSize = t.getUint32(at + 12, true);
  const dirOffset = t.getUint32(at + 16, true);
  const zip64 =
    disk === 0xffff ||
    directoryDisk === 0xffff ||
    entriesHere === 0xffff ||
    entries === 0xffff ||
    dirSize === 0xffffffff ||
    dirOffset === 0xffffffff;
  if (!zip64) {
    if (disk !== 0 || directoryDisk !== 0 || entriesHere !== entries) return undefined;
    return { offset: dirOffset, size: dirSize, entries, limit: endAt };
  }
  if (endAt < ZIP64_LOCATOR_LENGTH) return undefined;
  const locator = view(await read(endAt - ZIP64_LOCATOR_LENGTH, endAt));
  if (locator.byteLength !== ZIP64_LOCATOR_LENGTH || locator.getUint32(0, true) !== ZIP64_LOCATOR_SIGNATURE)
    return undefined;
  const recordAt = u64(locator, 8);
  if (locator.getUint32(4, true) !== 0 || locator.getUint32(16, true) > 1) return undefined;
  if (recordAt === undefined || recordAt + ZIP64_END_LENGTH > endAt - ZIP64_LOCATOR_LENGTH) return undefined;
  const record = view(await read(recordAt, recordAt + ZIP64_END_LENGTH));
  if (record.byteLength !== ZIP64_END_LENGTH || record.getUint32(0, true) !== ZIP64_END_SIGNATURE)
    return undefined;
  if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) return undefined;
  const entries64 = u64(record, 32);
  const size64 = u64(record, 40);
  const offset64 = u64(record, 48);
  if (entries64 === undefined || size64 === undefined || offset64 === undefined) return undefined;
  if (u64(record, 24) !== entries64) return undefined;
  return { offset: offset64, size: size64, entries: entries64, limit: recordAt };
}

/** An entry of the directory at `at`, its ZIP64 sizes and offset read from its extra field. */
function entryOf(d: DataView, at: number, name: string, extra: Uint8Array): ZipEntry | undefined {
  let compressedSize: number | undefined = d.getUint32(at + 20, true);
  let offset: number | undefined = d.getUint32(at + 42, true);
  const uncompressed64 = d.getUint32(at + 24, true) === 0xffffffff;
  if (compressedSize === 0xffffffff || offset === 0xffffffff) {
    const e = view(extra);
    let field = 0;
    while (field + 4 <= extra.length && e.getUint16(field, true) !== ZIP64_EXTRA)
      field += 4 + e.getUint16(field + 2, true);
    if (field + 4 > extra.length) return undefined;
    const end = field + 4 + e.getUint16(field + 2, true);
    let value = field + 4 + (uncompressed64 ? 8 : 0);
    if (compressedSize === 0xffffffff) {
      compressedSize = value + 8 <= end && end <= extra.length ? u64(e, value) : undefined;
      value += 8;
    }
    if (offset === 0xffffffff) offset = value + 8 <= end && end <= extra.length ? u64(e, value) : undefined;
  }
  return compressedSize === undefined || offset === undefined ? undefined : { name, offset, compressedSize };
}

/**
 * The bytes of one entry as it lies in the file — local header, name, extra field, data (and a data
 * descriptor) — for a reader of single entries (file-type reads `[Content_Types].xml` from them), or
 * undefined when the entry is over `max` bytes or its local header is not one.
 */
export async function entryBytes(
  read: ReadRange,
  size: number,
  entry: ZipEntry,
  max: number,
): Promise<Uint8Array | undefined> {
  if (entry.offset + LOCAL_LENGTH > size || entry.compressedSize > max) return undefined;
  const header = await read(entry.offset, entry.offset + LOCAL_LENGTH);
  if (header.length !== LOCAL_LENGTH) return undefined;
  const h = view(header);
  if (h.getUint32(0, true) !== LOCAL_SIGNATURE) return undefined;
  const length = LOCAL_LENGTH + h.getUint16(26, true) + h.getUint16(28, true) + entry.compressedSize;
  return read(entry.offset, Math.min(size, entry.offset + length + DATA_DESCRIPTOR_LENGTH));
}

/**
 * The entries in the central directory of the ZIP file of `size` bytes, or undefined when it has no
 * consistent one (no end record, a directory outside the file, an entry that is not one).
 */
export async function zipDirectory(read: ReadRange, size: number): Promise<ZipDirectory | undefined> {
  if (size < END_LENGTH) return undefined;
  const place = await placeOf(read, size);
  if (place === undefined || place.offset + place.size > place.limit) return undefined;
  const wanted = Math.min(place.size, MAX_DIRECTORY_BYTES);
  const directory = wanted === 0 ? new Uint8Array(0) : await read(place.offset, place.offset + wanted);
  if (directory.length !== wanted) return undefined;
  const d = view(directory);
  const found: ZipEntry[] = [];
  let at = 0;
  const cap = Math.min(place.entries, MAX_DIRECTORY_ENTRIES);
  while (found.length < cap) {
    if (at + ENTRY_LENGTH > directory.length) break;
    if (d.getUint32(at, true) !== ENTRY_SIGNATURE) return undefined;
    const nameLength = d.getUint16(at + 28, true);
    const extraLength = d.getUint16(at + 30, true);
    const next = at + ENTRY_LENGTH + nameLength + extraLength + d.getUint16(at + 32, true);
    if (next > directory.length) break;
    const nameAt = at + ENTRY_LENGTH;
    const entry = entryOf(
      d,
      at,
      texts.decode(directory.subarray(nameAt, nameAt + nameLength)),
      directory.subarray(nameAt + nameLength, nameAt + nameLength + extraLength),
    );
    if (entry === undefined) return undefined;
    found.push(entry);
    at = next;
  }
  const capped = place.size > wanted || place.entries > MAX_DIRECTORY_ENTRIES;
  // Read whole, the directory must hold exactly the entries the end record counts, and end where it said.
  if (!capped && (found.length !== place.entries || at !== place.size)) return undefined;
  return { entries: found, complete: !capped };
}
