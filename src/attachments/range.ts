import { YrdxError } from '../errors/errors.js';
import type { ByteRange } from './blob-store.js';

/**
 * The one `Range` form yrdx serves (RFC 9110 §14.1.2): a single byte range `bytes=a-b`, `bytes=a-` or
 * `bytes=-n`. Undefined for no header (the whole file); anything else, or a range outside the file,
 * is `range_not_satisfiable`. Returns a half-open range.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const refuse = () =>
    new YrdxError('range_not_satisfiable', { params: { range: header.slice(0, 64), size } });
  const m = /^bytes=(\d{0,16})-(\d{0,16})$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) throw refuse();
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw refuse();
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || last < start) throw refuse();
  return { start, end: last + 1 };
}

/** `Content-Range` of a partial answer. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`;
}
