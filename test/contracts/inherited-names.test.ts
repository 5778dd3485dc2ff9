import { describe, expect, it } from 'vitest';
import { type CompiledMapping, compileMapping } from '../../src/contracts/compile.js';
import type { TranslationFault } from '../../src/contracts/faults.js';
import type { MappingDocument } from '../../src/contracts/mapping-types.js';
import { SchemaWalker } from '../../src/contracts/schema-walk.js';

/**
 * Field names that `Object.prototype` also has (`toString`, `valueOf`, …) are legal JSON Pointer
 * segments: a document's own member of that name is translated, an inherited one is never read.
 */

const text = { type: 'string' };
const canonicalSchema = {
  type: 'object',
  properties: {
    toString: text,
    plain: text,
    kind: text,
    when: { type: 'string', format: 'date' },
    valueOf: { type: 'object', properties: { hasOwnProperty: text, other: text } },
    items: { type: 'array', items: { type: 'object', properties: { isPrototypeOf: text, name: text } } },
  },
};
const dialectSchema = {
  type: 'object',
  properties: {
    A: text,
    toLocaleString: text,
    K: text,
    D: text,
    nested: { type: 'object', properties: { valueOf: text, B: text } },
    list: { type: 'array', items: { type: 'object', properties: { toString: text, N: text } } },
  },
};
const mapping: MappingDocument = {
  domain: 'd',
  dialect: 'x',
  codeTables: { kinds: { a: '1', b: '2' } },
  rules: [
    { canonical: '/plain', dialect: '/A' },
    { canonical: '/toString', dialect: '/toLocaleString', default: { canonical: 'none' } },
    { canonical: '/kind', dialect: '/K', codes: 'kinds' },
    { canonical: '/valueOf/hasOwnProperty', dialect: '/nested/valueOf' },
    { canonical: '/valueOf/other', dialect: '/nested/B' },
    { canonical: '/when', dialect: '/D', date: 'yyyyMMdd' },
    {
      canonical: '/items',
      dialect: '/list',
      each: [
        { canonical: '/isPrototypeOf', dialect: '/toString' },
        { canonical: '/name', dialect: '/N' },
      ],
    },
  ],
};

function compiled(): CompiledMapping {
  const result = compileMapping({
    mapping,
    canonicalSchema,
    dialectSchema,
    walker: new SchemaWalker([canonicalSchema]),
  });
  if (Array.isArray(result)) throw new Error(JSON.stringify(result));
  return result;
}

function run(m: CompiledMapping, direction: 'toCanonical' | 'toDialect', document: unknown) {
  const value: Record<string, unknown> = {};
  const faults: TranslationFault[] = [];
  const gathered = m.gather[direction](document);
  for (const rule of m.rules) rule[direction](document, value, faults, '', gathered);
  // Serialised, so that key order counts too.
  return JSON.stringify({ value, faults });
}

describe('field names that Object.prototype also has', () => {
  const m = compiled();

  it('translates a document’s own members of those names, both ways', () => {
    const dialect: Record<string, unknown> = {
      A: 'p',
      toLocaleString: 't',
      K: '2',
      D: '20250102',
      nested: { valueOf: 'v', B: 'o' },
      list: [{ toString: 'i0', N: 'n0' }, { N: 'n1' }],
    };
    expect(run(m, 'toCanonical', dialect)).toBe(
      JSON.stringify({
        value: {
          plain: 'p',
          toString: 't',
          kind: 'b',
          valueOf: { hasOwnProperty: 'v', other: 'o' },
          when: '2025-01-02',
          items: [{ isPrototypeOf: 'i0', name: 'n0' }, { name: 'n1' }],
        },
        faults: [],
      }),
    );
    const canonical = JSON.parse(run(m, 'toCanonical', dialect)).value;
    expect(JSON.parse(run(m, 'toDialect', canonical))).toEqual({ value: dialect, faults: [] });
  });

  it('never reads an inherited member: an absent name is absent (or takes its default)', () => {
    const cases: [unknown, unknown][] = [
      [{}, { toString: 'none' }],
      [
        { nested: {}, list: [{}] },
        { toString: 'none', items: [{}] },
      ],
      [
        { nested: { B: 'o' }, list: [] },
        { toString: 'none', valueOf: { other: 'o' }, items: [] },
      ],
    ];
    for (const [document, expected] of cases)
      expect(run(m, 'toCanonical', document)).toBe(JSON.stringify({ value: expected, faults: [] }));
    expect(run(m, 'toDialect', { items: [{}] })).toBe(JSON.stringify({ value: { list: [{}] }, faults: [] }));
  });

  it('reports a bad value at the pointer of that name', () => {
    expect(
      JSON.parse(run(m, 'toCanonical', { K: 'zz', D: 'x' })).faults.map((f: TranslationFault) => f.pointer),
    ).toEqual(['/K', '/D']);
  });
});
