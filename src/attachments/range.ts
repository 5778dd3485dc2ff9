import { YrdxError } from '../errors/errors.js';
import type { ByteRange } from './blob-store.js';

/**
 * `Range` of a download (RFC 9110 §14): one range of bytes only — `bytes=a-b`, `bytes=a-` (what a
 * recipient resuming a transfer sends) or `bytes=-n` (the last n bytes). Several ranges, other units,
 * signs, spaces or ranges that start past the end are refused with `range_not_satisfiable` (416, with
 * `Content-Range: bytes *\/size`); an end past the last byte is cut to it, as RFC 9110 says.
 */

const SINGLE = /^bytes=([0-9]{0,20})-([0-9]{0,20})$/i;

const unsatisfiable = (header: string, size: number) =>
  new YrdxError('range_not_satisfiable', {
    params: { range: header.length > 100 ? `${header.slice(0, 100)}…` : header, size },
  });

/** The range asked of a file of `size` bytes, half-open; undefined when there is no `Range` (the whole file). */
export function parseRange(header: string | null | undefined, size: number): ByteRange | undefined {
  if (header === null || header === undefined) return undefined;
  const m = SINGLE.exec(header);
  if (m === null || size <= 0) throw unsatisfiable(header, size);
  const [, first = '', last = ''] = m;
  if (first === '') {
    // bytes=-n: the last n bytes (all of them when n is past the size).
    const n = Number(last);
    if (last === '' || n === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) throw unsatisfiable(header, size);
  if (last === '') return { start, end: size };
  const end = Number(last);
  if (end < start) throw unsatisfiable(header, size);
  return { start, end: Math.min(end + 1, size) };
}

/** `Content-Range` of a 206 answer with bytes `[start, end)` of `size`. */
export function contentRange(start: number, end: number, size: number): string {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start < end && end <= size))
    throw new RangeError(`no range of ${size} bytes: [${start}, ${end})`);
  return `bytes ${start}-${end - 1}/${size}`;
}

/** `Content-Range` of a 416 answer. */
export const unsatisfiedRange = (size: number): string => `bytes */${size}`;
