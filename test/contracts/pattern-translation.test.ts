import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPattern, compiledRegExp } from '../../src/contracts/patterns/engine.js';

// Contract patterns are written in ECMAScript syntax (JSON Schema) and run in RE2: the translation
// must keep ECMAScript's meaning, on every pattern the shipped contracts use and on the constructs
// where the two engines differ.

function shippedPatterns(): string[] {
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string') found.add(v);
      else visit(v);
    }
  };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'build') walk(path);
      } else if (name.endsWith('.schema.json') || name === 'schema.json')
        visit(JSON.parse(readFileSync(path, 'utf8')));
    }
  };
  walk('contracts');
  return [...found];
}

const EDGES = [
  '^\\s*[0-9A-Za-z]{3}\\s*$',
  '^\\S+$',
  '^[\\s\\S]{2}$',
  '^[^\\s]+$',
  '^[^\\S]$',
  '^[a\\S]$',
  '^.$',
  '^.+$',
  '^[]$',
  '^[^]$',
  'a[^]b',
  '\\u3000',
  '^\\u{1F600}$',
  '^\\uD83D\\uDE00$',
  '^[\\u4e00-\\u9fa5]+$',
  '^\\p{L}+$',
  '^\\p{sc=Han}+$',
  '^\\P{Lu}*$',
  '\\bab\\b',
  '^[-a]$',
  '^[a-]$',
  '^[\\-\\]\\[]$',
  '^\\/\\.\\*\\$$',
  '^\\d{2,3}$',
  '^(?:ab|a)*$',
  '^(?<year>\\d{4})年$',
  '^(a|b)+?c$',
  '^[\\w.-]+@[\\w-]+$',
  '^\\t\\n\\v\\f\\r\\0$',
  '^\\cJ$',
  '^\\x41$',
  '^$',
  '',
  '^第([1-9]|[1-3]\\d|4[0-5])类$',
];

/** Characters that tell the two engines' sets apart. */
const ALPHABET = [
  'a',
  'b',
  'c',
  'A',
  'Z',
  '0',
  '5',
  '9',
  '_',
  '-',
  '.',
  '/',
  '*',
  '$',
  '[',
  ']',
  ' ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  '\0',
  '\u00a0',
  '\u1680',
  '\u2003',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u200b',
  '年',
  '第',
  '类',
  '汉',
  'é',
  'Ω',
  '😀',
  '@',
  '+',
  '(',
  ')',
  ',',
  ';',
  '、',
  '吨',
];

describe('contract patterns in RE2 mean what they mean in ECMAScript', () => {
  const patterns = [...shippedPatterns(), ...EDGES];

  it('accepts every pattern of the shipped contracts and each construct above', () => {
    expect(shippedPatterns().length).toBeGreaterThan(30);
    for (const p of patterns)
      expect([p, checkPattern(p)]).toEqual([p, expect.objectContaining({ re2: expect.any(String) })]);
  });

  it('matches exactly the strings ECMAScript matches', () => {
    const compiled = patterns.map((p) => ({ p, native: new RegExp(p, 'u'), re2: compiledRegExp(p, 'u') }));
    const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 8 }).map((a) => a.join(''));
    for (const { p, native, re2 } of compiled) {
      // Strings built from the pattern's own pieces reach its matches, random ones its refusals.
      const pieces = [...new Set([...p.replace(/[\\^$()[\]{}|?*+]/g, ''), ...ALPHABET])];
      const near = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((a) => a.join(''));
      fc.assert(
        fc.property(fc.oneof(text, near), (s) => {
          expect([p, s, re2.test(s)]).toEqual([p, s, native.test(s)]);
        }),
        { numRuns: 150 },
      );
    }
  });

  it.each([
    ['a lookahead', '^(?=a)a$', 'lookahead'],
    ['a lookbehind', '(?<=a)b', 'lookbehind'],
    ['a backreference', '^(a)\\1$', 'backreferences'],
    ['a named backreference', '^(?<x>a)\\k<x>$', 'backreferences'],
    ['a repetition past 1000', '^a{1001}$', '1000'],
    ['nested repetitions', '^(?:(?:a{30}){30})$', '500'],
    ['a long sequence of repetitions', `^${'[^!]{100}'.repeat(6)}$`, '500'],
    ['an unknown property', '^\\p{Script_Extensions=Han}$', 'Unicode property'],
    ['a pattern longer than 1024 characters', `^${'a'.repeat(1030)}$`, '1024'],
    ['a syntax error', '^(a$', 'ECMAScript'],
  ])('refuses %s with the reason', (_what, pattern, reason) => {
    const result = checkPattern(pattern);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
  });
});
