import { deflateRawSync } from 'node:zlib';

/**
 * A tiny ZIP writer for tests: stored (or deflated) entries with real local headers, CRC-32, a central
 * directory and the end record; optionally ZIP64 end records, a comment, and a central directory that
 * lists other names than the local headers (a polyglot).
 */

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
  /** The name the central directory gives it (default: `name`). */
  readonly centralName?: string;
  /** Store it deflated (method 8) rather than as is. */
  readonly deflate?: boolean;
}

export interface ZipOptions {
  readonly comment?: Uint8Array | string;
  /** Write ZIP64 end records and extra fields, and mark the classic fields as "see ZIP64". */
  readonly zip64?: boolean;
  /** Claim this many entries in the end record (a damaged file). */
  readonly claimEntries?: number;
  /** Claim the directory starts here (a damaged file). */
  readonly claimOffset?: number;
}

const encoder = new TextEncoder();
const bytesOf = (x: Uint8Array | string) => (typeof x === 'string' ? encoder.encode(x) : x);

class Out {
  private readonly parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    this.bytes(new Uint8Array([v & 0xff, (v >>> 8) & 0xff]));
  }
  u32(v: number): void {
    this.bytes(new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]));
  }
  u64(v: number): void {
    this.u32(v % 2 ** 32);
    this.u32(Math.floor(v / 2 ** 32));
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const UTF8_FLAG = 0x0800;
const DOS_TIME = 0x6000; // 12:00:00
const DOS_DATE = 0x5a21; // 2025-01-01

export function zip(entries: readonly ZipEntry[], options: ZipOptions = {}): Uint8Array {
  const out = new Out();
  const central: {
    name: Uint8Array;
    crc: number;
    method: number;
    size: number;
    rawSize: number;
    offset: number;
  }[] = [];
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const raw = bytesOf(entry.data);
    const crc = crc32(raw);
    const data = entry.deflate ? new Uint8Array(deflateRawSync(raw)) : raw;
    const method = entry.deflate ? 8 : 0;
    const offset = out.length;
    out.u32(0x04034b50);
    out.u16(20);
    out.u16(UTF8_FLAG);
    out.u16(method);
    out.u16(DOS_TIME);
    out.u16(DOS_DATE);
    out.u32(crc);
    out.u32(data.length);
    out.u32(raw.length);
    out.u16(name.length);
    out.u16(0);
    out.bytes(name);
    out.bytes(data);
    central.push({
      name: encoder.encode(entry.centralName ?? entry.name),
      crc,
      method,
      size: data.length,
      rawSize: raw.length,
      offset,
    });
  }
  const directoryOffset = out.length;
  for (const c of central) {
    out.u32(0x02014b50);
    out.u16(20);
    out.u16(20);
    out.u16(UTF8_FLAG);
    out.u16(c.method);
    out.u16(DOS_TIME);
    out.u16(DOS_DATE);
    out.u32(c.crc);
    // ZIP64 entries keep their sizes and offset in the extra field (id 1), in that order.
    out.u32(options.zip64 ? 0xffffffff : c.size);
    out.u32(options.zip64 ? 0xffffffff : c.rawSize);
    out.u16(c.name.length);
    out.u16(options.zip64 ? 28 : 0);
    out.u16(0);
    out.u16(0);
    out.u16(0);
    out.u32(0);
    out.u32(options.zip64 ? 0xffffffff : c.offset);
    out.bytes(c.name);
    if (options.zip64) {
      out.u16(1);
      out.u16(24);
      out.u64(c.rawSize);
      out.u64(c.size);
      out.u64(c.offset);
    }
  }
  const directorySize = out.length - directoryOffset;
  const count = options.claimEntries ?? central.length;
  const offset = options.claimOffset ?? directoryOffset;
  if (options.zip64) {
    const recordAt = out.length;
    out.u32(0x06064b50);
    out.u64(44);
    out.u16(45);
    out.u16(45);
    out.u32(0);
    out.u32(0);
    out.u64(count);
    out.u64(count);
    out.u64(directorySize);
    out.u64(offset);
    out.u32(0x07064b50);
    out.u32(0);
    out.u64(recordAt);
    out.u32(1);
  }
  const comment = bytesOf(options.comment ?? '');
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(options.zip64 ? 0xffff : count);
  out.u16(options.zip64 ? 0xffff : count);
  out.u32(options.zip64 ? 0xffffffff : directorySize);
  out.u32(options.zip64 ? 0xffffffff : offset);
  out.u16(comment.length);
  out.bytes(comment);
  return out.done();
}
