import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL, translate } from '../../src/contracts/translate.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import type { MessageType } from '../../src/vocabulary/messages.js';
import { loadAll } from '../helpers/contracts.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

/**
 * ip-protection 2.0.0 (issue 16 points 4 and 6), one test per real-shaped finding: patent numbers
 * with or without ZL, application vs publication numbers (sh wrote CN… as an application number),
 * every party and every right in every dialect, 个体工商户, the lower-case x, 万元 in ah.
 */
const { registry, faults } = loadAll(readContractsDir('contracts'));
const contract = registry.get('ip-protection', '2.0.0')!;
const DIALECTS = ['sh', 'js', 'zj', 'ah'] as const;
// biome-ignore lint/suspicious/noExplicitAny: assertions walk documents by their dialect's keys
type Doc = Record<string, any>;

const example = (dialect: string, type: MessageType) =>
  structuredClone(contract.dialects.get(dialect)!.examples[type]) as Doc;
const toCanonical = (dialect: string, type: MessageType, doc: unknown) =>
  translate(contract, dialect, CANONICAL, type, doc) as Doc;
const fromCanonical = (dialect: string, type: MessageType, doc: unknown) =>
  translate(contract, CANONICAL, dialect, type, doc) as Doc;
/** canonical → dialect → canonical. */
const through = (dialect: string, type: MessageType, doc: unknown) =>
  toCanonical(dialect, type, fromCanonical(dialect, type, doc));

const caseTransfer = () => toCanonical('sh', 'case-transfer', example('sh', 'case-transfer'));

describe('ip-protection 2.0.0', () => {
  it('loads beside 1.0.0, which stays as published', () => {
    expect([...faults.keys()].filter((base) => base.includes('ip-protection'))).toEqual([]);
    expect(registry.get('ip-protection', '1.0.0')).toBeDefined();
    expect(contract.dialects.size).toBe(4);
  });

  it('accepts the granted patent number ZL201710601862.3 and keeps it as written in every dialect', () => {
    const canonical = caseTransfer();
    expect(canonical.rights[0].applicationNumber).toBe('ZL201710601862.3');
    for (const d of DIALECTS) {
      expect(through(d, 'case-transfer', canonical).rights[0].applicationNumber, d).toBe('ZL201710601862.3');
    }
    // The application number without ZL is as welcome, and stays without it.
    canonical.rights[0].applicationNumber = '201710601862.3';
    for (const d of DIALECTS) {
      expect(through(d, 'case-transfer', canonical).rights[0].applicationNumber, d).toBe('201710601862.3');
    }
  });

  it('carries the publication number CN107123456A in its own field, never as an application number', () => {
    const canonical = caseTransfer();
    expect(canonical.rights[2]).toMatchObject({ publicationNumber: 'CN107123456A', patentType: 'invention' });
    expect(canonical.rights[2].applicationNumber).toBeUndefined();
    for (const d of DIALECTS) {
      const back = through(d, 'case-transfer', canonical);
      expect(back.rights[2].publicationNumber, d).toBe('CN107123456A');
      expect(back.rights[2].applicationNumber, d).toBeUndefined();
    }
  });

  it('sh: application and publication numbers each in their own field; CN… refused as an application number', () => {
    const sh = example('sh', 'case-transfer');
    expect(sh.ipMatter.rights[0].patent).toEqual({ applicationNo: 'ZL201710601862.3', category: 'INV' });
    expect(sh.ipMatter.rights[2].patent).toEqual({ publicationNo: 'CN107123456A', category: 'INV' });
    // 1.0.0 wrote application numbers as CN201710601862.3: the publication-number convention.
    sh.ipMatter.rights[0].patent.applicationNo = 'CN201710601862.3';
    expect(() => toCanonical('sh', 'case-transfer', sh)).toThrow(/document_invalid/);
    sh.ipMatter.rights[0].patent.applicationNo = 'CN107123456A';
    try {
      toCanonical('sh', 'case-transfer', sh);
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error)).toContain('patent-publication-number');
    }
  });

  it('keeps the type digit check with ZL: a utility model number (type digit 2) is refused for an invention', () => {
    const canonical = caseTransfer();
    canonical.rights[0].applicationNumber = 'ZL202120876543.5';
    expect(() => fromCanonical('zj', 'case-transfer', canonical)).toThrow(/document_invalid/);
  });

  it('three parties (incl. a 个体工商户) and three rights survive every dialect pair', () => {
    for (const from of DIALECTS) {
      const canonical = toCanonical(from, 'case-transfer', example(from, 'case-transfer'));
      expect(canonical.parties.map((p: Doc) => p.kind)).toEqual([
        'organisation',
        'individual-business',
        'individual',
      ]);
      expect(canonical.rights).toHaveLength(3);
      for (const to of DIALECTS) {
        const there = fromCanonical(to, 'case-transfer', canonical);
        expect(toCanonical(to, 'case-transfer', there), `${from}→${to}→canonical`).toEqual(canonical);
      }
    }
  });

  it('a js case transfer reaches zj with both parties and every right, and back', () => {
    const js = example('js', 'clue-transfer');
    expect(js.party_list).toHaveLength(2);
    const zj = translate(contract, 'js', 'zj', 'clue-transfer', js) as Doc;
    expect(zj.administrative_cp.map((p: Doc) => p.administrative_cp_type)).toEqual(['个体工商户', '自然人']);
    expect(zj.ip_right.map((r: Doc) => r.right_type)).toEqual(['专利', '商标', '专利']);
    expect(toCanonical('zj', 'clue-transfer', zj)).toEqual(toCanonical('js', 'clue-transfer', js));
  });

  it('the 个体工商户 keeps its kind, USCC and operator in every dialect', () => {
    for (const d of DIALECTS) {
      const biz = toCanonical(d, 'case-transfer', example(d, 'case-transfer')).parties[1];
      expect(biz, d).toMatchObject({
        kind: 'individual-business',
        uscc: '92330502MA2JHQ7K5H',
        legalRepresentative: '沈晓芸',
        legalRepresentativeIdNumber: '33052319910722109X',
      });
    }
  });

  it('a lower-case x in an ID number is accepted in every dialect and written X in canonical', () => {
    for (const d of DIALECTS) {
      const written = JSON.stringify(example(d, 'case-transfer'));
      expect(written, d).toContain('32050919780506103x');
      const canonical = JSON.stringify(toCanonical(d, 'case-transfer', JSON.parse(written)));
      expect(canonical, d).toContain('32050919780506103X');
      expect(canonical, d).not.toMatch(/\d{17}x/);
    }
  });

  it('Nice classes 25 and 35 of one registration survive every dialect', () => {
    const canonical = caseTransfer();
    expect(canonical.rights[1]).toMatchObject({ trademarkNumber: '28615073', niceClasses: [25, 35] });
    for (const d of DIALECTS)
      expect(through(d, 'case-transfer', canonical).rights[1].niceClasses, d).toEqual([25, 35]);
  });

  it('ah reads fines and confiscated gains in 万元 exactly, and a zero-padded date', () => {
    const ah = example('ah', 'case-transfer');
    expect(ah).toMatchObject({ CF_NR_FK: '5.0125', CF_NR_WFFF: '1.86405' });
    ah.立案日期 = '2025年10月09日';
    const canonical = toCanonical('ah', 'case-transfer', ah);
    expect(canonical.decision).toMatchObject({ fine: '50125.00', confiscatedGains: '18640.50' });
    expect(canonical.case.filedOn).toBe('2025-10-09');
  });

  it('dates stay dates and the discovery time keeps its time of day in every dialect', () => {
    const canonical = caseTransfer();
    expect(example('js', 'case-transfer').filing_time).toBe('2025/10/15 00:00:00');
    for (const d of DIALECTS) {
      const back = through(d, 'case-transfer', canonical);
      expect(back.case.filedOn, d).toBe('2025-10-15');
      expect(back.infringement.discoveredAt, d).toBe('2025-10-09T14:32:00+08:00');
    }
  });

  it('writes no provenance constant: cf_sjly / CF_SJLY come from the envelope, not the contract', () => {
    const canonical = caseTransfer();
    expect(fromCanonical('zj', 'case-transfer', canonical)).not.toHaveProperty('cf_sjly');
    expect(fromCanonical('ah', 'case-transfer', canonical)).not.toHaveProperty('CF_SJLY');
    const zj = {
      ...example('zj', 'case-transfer'),
      cf_sjly: '湖州市市场监督管理局',
      cf_sjlydm: '11330500MB1C5736XT',
    };
    expect(toCanonical('zj', 'case-transfer', zj)).toEqual(canonical);
  });

  it.each(DIALECTS)(
    'generated documents (every party kind, patents by application or publication number, trademarks, GIs) survive %s unchanged',
    (d) => {
      const dialect = contract.dialects.get(d)!;
      fc.assert(
        fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
          // The generator knows this schema's conditionals: every document is valid, none skipped.
          expect(contract.validateCanonical(undefined, doc)).toEqual([]);
          const there = dialect.toDialect(doc);
          expect(there.faults).toEqual([]);
          expect(dialect.validate(there.value)).toEqual([]);
          const back = dialect.toCanonical(there.value);
          expect(back.faults).toEqual([]);
          // Nothing is declared lossy towards any dialect: the document comes back whole.
          expect(back.value).toEqual(doc);
        }),
        { numRuns: 60 },
      );
    },
  );

  describe('every example through every dialect and back', () => {
    const cases = DIALECTS.flatMap((from) =>
      contract.dialects
        .get(from)!
        .messageTypes.flatMap((type) => DIALECTS.map((to) => [from, type, to] as const)),
    );
    it.each(cases)('%s %s via %s', (from, type, to) => {
      const canonical = toCanonical(from, type, example(from, type));
      expect(through(to, type, canonical)).toEqual(canonical);
    });
  });
});
