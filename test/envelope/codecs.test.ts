import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../../src/envelope/base64url.js';
import { parseStrictJson } from '../../src/envelope/strict-json.js';

describe('base64url', () => {
  it('round-trips any bytes and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses non-canonical forms', () => {
    expect(decodeBase64Url('A')).toBe('length');
    expect(decodeBase64Url('AB')).toBe('trailing-bits'); // canonical is "AA"
    expect(decodeBase64Url('AAB')).toBe('trailing-bits'); // canonical is "AAA"
    expect(decodeBase64Url('AA==')).toBe('character');
    expect(decodeBase64Url('A+/A')).toBe('character');
    expect(decodeBase64Url('湖州')).toBe('character');
  });
});

describe('strict JSON', () => {
  it('parses what JSON.parse parses when members are unique', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const parsed = parseStrictJson(text, 64);
        expect(parsed).toEqual({ ok: true, value: JSON.parse(text) });
      }),
    );
  });

  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":{"b":1,"b":1}}', 'b'],
    ['[{"x":1},{"x":2,"y":{"x":0},"x":3}]', 'x'],
    ['{"\\u0061":1,"a":2}', 'a'],
    ['{"名称":1,"\\u540d\\u79f0":2}', '名称'],
    ['{"a\\"b":1,"a\\"b":2}', 'a"b'],
  ])('finds the duplicate in %s', (text, member) => {
    expect(parseStrictJson(text, 64)).toEqual({ ok: false, fault: 'duplicate', member });
  });

  it('does not take string values or nested keys for duplicates', () => {
    expect(parseStrictJson('{"a":"a","b":{"a":1},"c":["a","a"],"d":"\\"a\\""}', 64).ok).toBe(true);
  });

  it('bounds depth before building values', () => {
    expect(parseStrictJson(`${'['.repeat(5)}${']'.repeat(5)}`, 5).ok).toBe(true);
    expect(parseStrictJson(`${'['.repeat(6)}${']'.repeat(6)}`, 5)).toEqual({ ok: false, fault: 'depth' });
    expect(parseStrictJson(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 32)).toEqual({
      ok: false,
      fault: 'depth',
    });
    expect(parseStrictJson('"[[[[[[[[["', 2).ok).toBe(true);
  });

  it('reports syntax errors', () => {
    for (const text of ['', '{', '{"a":1,}', "{'a':1}", '{"a":1} x', '"unterminated']) {
      expect(parseStrictJson(text, 32)).toMatchObject({ ok: false, fault: 'syntax' });
    }
  });
});

describe('ulid', async () => {
  const { ulid, ulidTime, ULID_PATTERN } = await import('../../src/envelope/ulid.js');
  it('is unique, well-formed and sorts by time', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => ulid(1_790_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ULID_PATTERN);
    const times = ids.map(ulidTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(ulidTime(ulid(1_790_000_123_456))).toBe(1_790_000_123_456);
  });
});
