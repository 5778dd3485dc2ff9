import { describe, expect, it } from 'vitest';
import { CANONICAL, translate } from '../../src/contracts/translate.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { checkIdNumber } from '../../src/vocabulary/identifiers/id-number.js';
import type { MessageType } from '../../src/vocabulary/messages.js';
import { loadAll } from '../helpers/contracts.js';

/**
 * Issue 16: an ID number with a lower-case check character `x` passed in zj and failed in ah and
 * js. Every dialect now accepts it and every one yields the same canonical `X`.
 */
const { registry } = loadAll(readContractsDir('contracts'));
const WRITTEN = '34052419800101001x';
const CANONICAL_FORM = '34052419800101001X';

/** A copy of `doc` whose every ID number is replaced by `WRITTEN`; how many were replaced. */
function withLowerX(doc: unknown): { doc: unknown; replaced: number } {
  let replaced = 0;
  const copy = JSON.parse(JSON.stringify(doc), (_key, value: unknown) => {
    if (typeof value === 'string' && value.length === 18 && checkIdNumber(value) === undefined) {
      replaced++;
      return WRITTEN;
    }
    return value;
  }) as unknown;
  return { doc: copy, replaced };
}

/**
 * Every canonical ID number (members named idNumber, and core 2's legalRepresentativeIdNumber); free
 * text such as a certificate number is kept as written.
 */
function idNumbers(value: unknown, out: unknown[] = []): unknown[] {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'idNumber' || k === 'legalRepresentativeIdNumber') out.push(v);
      else idNumbers(v, out);
    }
  }
  return out;
}

/**
 * Dialect fields that carry an ID number under a pattern of their own rather than the shared
 * format: pollution@1.0.0 js `zjhm` (USCC or ID number, `^[0-9A-HJ-NPQRTUWXY]{18}$`). Published
 * versions are immutable; 1.1.0 (a minor: new pollutant codes in zj) keeps it, because the registry
 * counts any changed pattern as breaking, so widening it waited for the next major: 2.0.0 takes the x.
 */
const NARROW_PATTERNS = new Set(['pollution@1.0.0 js', 'pollution@1.1.0 js']);

describe('a lower-case x in an ID number, in every dialect', () => {
  const cases = registry
    .list()
    .flatMap((contract) =>
      [...contract.dialects.values()].flatMap((dialect) =>
        Object.entries(dialect.examples).map(([type, example]) => ({ contract, dialect, type, example })),
      ),
    );
  const withIds = cases.filter(
    (c) => withLowerX(c.example).replaced > 0 && !NARROW_PATTERNS.has(`${c.contract.id} ${c.dialect.name}`),
  );

  it('is exercised in zj, ah and js alike', () => {
    const dialects = new Set(withIds.map((c) => c.dialect.name));
    for (const name of ['zj', 'ah', 'js']) expect(dialects.has(name), name).toBe(true);
  });

  it.each(withIds.map((c) => [`${c.contract.id} ${c.dialect.name} ${c.type}`, c] as const))(
    '%s: accepted and normalised to X',
    (_name, { contract, dialect, type, example }) => {
      const { doc } = withLowerX(example);
      const canonical = translate(contract, dialect.name, CANONICAL, type as MessageType, doc);
      const ids = idNumbers(canonical);
      expect(ids).toContain(CANONICAL_FORM);
      expect(ids).not.toContain(WRITTEN);
      // And on to every other dialect that carries the type.
      for (const other of contract.dialects.values()) {
        if (!other.messageTypes.includes(type as MessageType)) continue;
        // Validated against the other dialect's schema inside translate; free text (a 从业资格证号
        // written as an ID number) keeps its x as written.
        expect(() =>
          translate(contract, CANONICAL, other.name, type as MessageType, canonical),
        ).not.toThrow();
      }
    },
  );

  it('is still refused by the one dialect field with a pattern of its own (pollution js zjhm)', () => {
    const contract = registry.get('pollution', '1.0.0')!;
    const { doc } = withLowerX(contract.dialects.get('js')!.examples['case-transfer']);
    expect(() => translate(contract, 'js', CANONICAL, 'case-transfer', doc)).toThrow(/document_invalid/);
  });
});
