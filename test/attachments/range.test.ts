import { describe, expect, it } from 'vitest';
import { contentRange, parseRange, unsatisfiedRange } from '../../src/attachments/range.js';
import { isYrdxError } from '../../src/errors/errors.js';

/** One range of bytes, or 416: every form a download may ask, and those built to break it. */

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', 1000, { start: 0, end: 100 }],
    ['bytes=0-0', 1000, { start: 0, end: 1 }],
    ['bytes=500-', 1000, { start: 500, end: 1000 }],
    ['bytes=999-', 1000, { start: 999, end: 1000 }],
    ['bytes=-10', 1000, { start: 990, end: 1000 }],
    ['bytes=-5000', 1000, { start: 0, end: 1000 }],
    ['bytes=-99999999999999999999', 1000, { start: 0, end: 1000 }],
    ['bytes=10-5000', 1000, { start: 10, end: 1000 }],
    ['bytes=10-99999999999999999999', 1000, { start: 10, end: 1000 }],
    ['Bytes=0-1', 1000, { start: 0, end: 2 }],
    ['bytes=007-008', 1000, { start: 7, end: 9 }],
  ])('reads %s of %i bytes', (header, size, range) => {
    expect(parseRange(header, size)).toEqual(range);
  });

  it('reads no Range as the whole file', () => {
    expect(parseRange(null, 10)).toBeUndefined();
    expect(parseRange(undefined, 10)).toBeUndefined();
  });

  it.each([
    ['bytes=1000-', 1000],
    ['bytes=1000-1000', 1000],
    ['bytes=99999999999999999999-', 1000],
    ['bytes=5-4', 1000],
    ['bytes=-0', 1000],
    ['bytes=-', 1000],
    ['bytes=0-', 0],
    ['bytes=-1', 0],
    ['bytes=0-1,5-6', 1000],
    ['bytes=0-1, 5-6', 1000],
    ['bytes=0-1,', 1000],
    ['bytes= 0-1', 1000],
    ['bytes=0-1 ', 1000],
    [' bytes=0-1', 1000],
    ['bytes=+0-1', 1000],
    ['bytes=-1-2', 1000],
    ['bytes=1e3-', 10_000],
    ['bytes=0x10-', 1000],
    ['bytes=0.5-1', 1000],
    ['bytes=123456789012345678901-', 1000],
    ['items=0-1', 1000],
    ['bytes 0-1', 1000],
    ['bytes=0-1\r\nX: y', 1000],
    ['', 1000],
    ['bytes=', 1000],
  ])('refuses %j of %i bytes with range_not_satisfiable', (header, size) => {
    try {
      parseRange(header, size);
      expect.unreachable();
    } catch (e) {
      if (!isYrdxError(e)) throw e;
      expect(e.code).toBe('range_not_satisfiable');
      expect(e.status).toBe(416);
      expect(e.params.size).toBe(size);
    }
  });

  it('shows a long header bounded in its refusal', () => {
    try {
      parseRange(`bytes=${'0-1,'.repeat(10_000)}`, 10);
    } catch (e) {
      if (!isYrdxError(e)) throw e;
      expect(String(e.params.range).length).toBeLessThanOrEqual(101);
    }
  });
});

describe('Content-Range', () => {
  it('writes the range it serves, and the size for a 416', () => {
    expect(contentRange(0, 100, 1000)).toBe('bytes 0-99/1000');
    expect(contentRange(999, 1000, 1000)).toBe('bytes 999-999/1000');
    const r = parseRange('bytes=-10', 1000)!;
    expect(contentRange(r.start, r.end, 1000)).toBe('bytes 990-999/1000');
    expect(unsatisfiedRange(1000)).toBe('bytes */1000');
  });

  it('refuses a range that is none', () => {
    for (const [s, e, n] of [
      [0, 0, 10],
      [5, 4, 10],
      [0, 11, 10],
      [-1, 5, 10],
      [0.5, 5, 10],
    ] as const)
      expect(() => contentRange(s, e, n)).toThrow(RangeError);
  });
});
