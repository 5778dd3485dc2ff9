import { GmCryptoError } from './errors.js';

/**
 * The little DER that SM2 keys and signatures need (X.690 §10): single-byte tags, definite lengths
 * in their shortest form, and nothing after the outermost value. Anything else is refused, so one
 * key or signature has exactly one encoding.
 */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
} as const;

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

const fault = (what: string): GmCryptoError => new GmCryptoError('gm_encoding_invalid', `DER: ${what}`);

/** Reads the values of a constructed value's content, in order. */
export function readAll(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at]!;
    if ((tag & 0x1f) === 0x1f) throw fault('multi-byte tags are not used here');
    if (at + 1 >= bytes.length) throw fault('truncated length');
    let length = bytes[at + 1]!;
    at += 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0) throw fault('indefinite length');
      if (count > 3 || at + count > bytes.length) throw fault('length too large');
      if (bytes[at] === 0) throw fault('length not in shortest form');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i]!;
      if (length < 0x80) throw fault('length not in shortest form');
      at += count;
    }
    if (at + length > bytes.length) throw fault('value runs past its container');
    out.push({ tag, value: bytes.subarray(at, at + length) });
    at += length;
  }
  return out;
}

/** Exactly one value of the given tag, filling `bytes`. */
export function readOne(bytes: Uint8Array, tag: number): Uint8Array {
  const all = readAll(bytes);
  if (all.length !== 1 || all[0]!.tag !== tag)
    throw fault(`expected a single value of tag 0x${tag.toString(16)}`);
  return all[0]!.value;
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Uint8Array {
  if (tlv === undefined || tlv.tag !== tag) throw fault(`expected ${what}`);
  return tlv.value;
}

/** A non-negative INTEGER's magnitude in minimal two's-complement form. */
export function readUnsigned(value: Uint8Array): Uint8Array {
  if (value.length === 0) throw fault('empty INTEGER');
  if (value[0]! & 0x80) throw fault('negative INTEGER');
  if (value.length > 1 && value[0] === 0 && !(value[1]! & 0x80)) throw fault('INTEGER not in shortest form');
  return value[0] === 0 && value.length > 1 ? value.subarray(1) : value;
}

export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const c of contents) length += c.length;
  const header =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : length < 0x10000
          ? [tag, 0x82, length >> 8, length & 0xff]
          : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** INTEGER from an unsigned big-endian magnitude. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return trimmed[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), trimmed) : tlv(TAG.INTEGER, trimmed);
}

/** The content octets of an OBJECT IDENTIFIER (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return Uint8Array.from(out);
}
