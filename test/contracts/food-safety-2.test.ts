import { describe, expect, it } from 'vitest';
import type { Contract } from '../../src/contracts/contract.js';
import { measured } from '../../src/contracts/conversions/measured.js';
import type { Conversion } from '../../src/contracts/conversions/op.js';
import { CANONICAL, translate } from '../../src/contracts/translate.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import type { MessageType } from '../../src/vocabulary/messages.js';
import { loadAll } from '../helpers/contracts.js';

/**
 * Issue 16 (points 3 and 6) in food safety: food-safety 2.0.0 carries test results as laboratories
 * write them, 食用农产品 and 餐饮食品 samples, 个体工商户 and every party, in every dialect — one test
 * per real-shaped finding, each value as written.
 */
const { registry } = loadAll(readContractsDir('contracts'));
const contract = registry.get('food-safety', '2.0.0') as Contract;
const DIALECTS = ['sh', 'js', 'zj', 'ah'] as const;
type Doc = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const toCanonical = (dialect: string, type: MessageType, doc: unknown) =>
  translate(contract, dialect, CANONICAL, type, doc) as Doc;
const toDialect = (dialect: string, type: MessageType, doc: unknown) =>
  translate(contract, CANONICAL, dialect, type, doc) as Doc;
const canonicalExample = (type: MessageType) =>
  toCanonical('zj', type, contract.dialects.get('zj')!.examples[type]);

/** The canonical result-recognition example with one test item whose result is `result`. */
function withResult(result: unknown, limit?: unknown): Doc {
  const doc = canonicalExample('result-recognition');
  const sampling = doc.sampling as { items: Doc[] };
  sampling.items = [
    { item: '检验项目', result, ...(limit === undefined ? {} : { limit }), unit: 'mg/kg', qualified: true },
  ];
  return doc;
}

const item = (dialectDoc: Doc, dialect: string): Doc => {
  if (dialect === 'zj') return ((dialectDoc.sampling as Doc).check_items as Doc[])[0]!;
  if (dialect === 'ah') return ((dialectDoc.抽样信息 as Doc).检验项目 as Doc[])[0]!;
  if (dialect === 'sh') return ((dialectDoc.inspection as Doc).testResults as Doc[])[0]!;
  return (dialectDoc.item_list as Doc[])[0]!;
};

describe('the measured conversion', () => {
  const zh = measured('text-zh', {}) as Conversion;
  const en = measured('text-en', {}) as Conversion;
  const split = measured(
    { value: 'v', qualifier: 'q', notDetected: 'nd', detectionLimit: 'lod', text: 't' },
    {},
  ) as Conversion;

  it.each([
    ['<0.005', { value: '0.005', qualifier: '<' }, '<0.005'],
    ['≤0.075', { value: '0.075', qualifier: '≤' }, '≤0.075'],
    ['≥0.80', { value: '0.80', qualifier: '≥' }, '≥0.80'],
    ['1.80', { value: '1.80' }, '1.80'],
    ['3.2×10⁵', { value: '3.2E5' }, '3.2E5'],
    ['3.2E5', { value: '3.2E5' }, '3.2E5'],
    ['1.5×10⁻³', { value: '1.5E-3' }, '1.5E-3'],
    ['<2.2×10²', { value: '2.2E2', qualifier: '<' }, '<2.2E2'],
    ['未检出', { notDetected: true }, 'ND'],
    ['ND', { notDetected: true }, 'ND'],
    ['未检出(检出限0.003)', { notDetected: true, detectionLimit: '0.003' }, 'ND(LOD 0.003)'],
    ['ND(LOD 0.003)', { notDetected: true, detectionLimit: '0.003' }, 'ND(LOD 0.003)'],
    ['检出', '检出', '检出'],
    ['阴性', '阴性', '阴性'],
    ['不得使用', '不得使用', '不得使用'],
  ])('reads %s as written and writes each style', (written, canonical, english) => {
    expect(zh.toCanonical(written)).toEqual(canonical);
    expect(en.toCanonical(written)).toEqual(canonical);
    expect(en.toDialect(canonical)).toBe(english);
    // The Chinese style writes back what a Chinese report prints (ND as 未检出, E as ×10ⁿ).
    expect(zh.toCanonical(zh.toDialect(canonical))).toEqual(canonical);
  });

  it('writes 3.2E5 as 3.2×10⁵ and ND with its detection limit in Chinese', () => {
    expect(zh.toDialect({ value: '3.2E5' })).toBe('3.2×10⁵');
    expect(zh.toDialect({ value: '1.5E-3' })).toBe('1.5×10⁻³');
    expect(zh.toDialect({ notDetected: true, detectionLimit: '0.003' })).toBe('未检出(检出限0.003)');
    expect(zh.toDialect({ value: '1.80' })).toBe('1.80');
  });

  it('maps split members both ways, digits kept', () => {
    for (const [d, c] of [
      [{ v: '1.80' }, { value: '1.80' }],
      [
        { v: '0.005', q: '<' },
        { value: '0.005', qualifier: '<' },
      ],
      [
        { nd: true, lod: '0.003' },
        { notDetected: true, detectionLimit: '0.003' },
      ],
      [{ t: '阳性' }, '阳性'],
    ] as const) {
      expect(split.toCanonical(d)).toEqual(c);
      expect(split.toDialect(c)).toEqual(d);
    }
  });

  it('refuses what is not a result, naming the rule', () => {
    for (const bad of ['abc', '01.2', '3×10⁰', '<', '0.3mg/kg']) {
      expect(() => zh.toCanonical(bad)).toThrow(expect.objectContaining({ rule: 'measured' }));
    }
    expect(() => zh.toDialect({ value: '1', unit: 'mg/kg' })).toThrow(
      expect.objectContaining({ rule: 'measured' }),
    );
    expect(() => measured({ value: 'v' }, {}) as Conversion).not.toThrow();
    expect(typeof measured('text', {})).toBe('string');
  });
});

describe('food-safety 2.0.0 in every dialect', () => {
  it('leaves 1.0.0 published and loadable beside it', () => {
    expect(registry.get('food-safety', '1.0.0')?.version).toBe('1.0.0');
    expect(registry.list().map((c) => c.id)).toEqual(
      expect.arrayContaining(['food-safety@1.0.0', 'food-safety@2.0.0']),
    );
  });

  const values: [string, unknown, unknown?][] = [
    ['<0.005', { value: '0.005', qualifier: '<' }, { value: '0.01', qualifier: '≤' }],
    [
      '未检出 with its detection limit',
      { notDetected: true, detectionLimit: '0.003' },
      { value: '0.1', qualifier: '≤' },
    ],
    ['ND without a detection limit', { notDetected: true }, { notDetected: true }],
    ['3.2×10⁵ CFU/g', { value: '3.2E5' }, { value: '1E3', qualifier: '≤' }],
    ['1.80 with its trailing zero', { value: '1.80' }, { value: '2.0', qualifier: '≤' }],
    ['a result without a limit', { value: '4.60' }],
    ['a qualitative result against a limit in words', '阳性', '不得检出'],
  ];
  for (const dialect of DIALECTS) {
    it.each(values)(`${dialect}: %s survives the dialect both ways`, (_name, result, limit) => {
      const canonical = withResult(result, limit);
      const written = toDialect(dialect, 'result-recognition', canonical);
      expect(toCanonical(dialect, 'result-recognition', written)).toEqual(canonical);
    });
  }

  it('keeps each value as the dialect writes it', () => {
    const canonical = withResult(
      { notDetected: true, detectionLimit: '0.003' },
      { value: '0.20', qualifier: '≤' },
    );
    expect(item(toDialect('zj', 'result-recognition', canonical), 'zj')).toMatchObject({
      check_result: '未检出(检出限0.003)',
      standard_value: '≤0.20',
    });
    expect(item(toDialect('ah', 'result-recognition', canonical), 'ah')).toMatchObject({
      检验结果: '未检出(检出限0.003)',
    });
    expect(item(toDialect('sh', 'result-recognition', canonical), 'sh')).toMatchObject({
      measuredValue: 'ND(LOD 0.003)',
    });
    expect(item(toDialect('js', 'result-recognition', canonical), 'js')).toMatchObject({
      test_result: { not_detected: true, detection_limit: '0.003' },
      standard_value: { value: '0.20', qualifier: '≤' },
    });
    const big = withResult({ value: '3.2E5' });
    expect(item(toDialect('zj', 'result-recognition', big), 'zj').check_result).toBe('3.2×10⁵');
    expect(item(toDialect('sh', 'result-recognition', big), 'sh').measuredValue).toBe('3.2E5');
  });

  it('reads a zj result written in either scientific notation as the same canonical number', () => {
    const zj = clone(contract.dialects.get('zj')!.examples['result-recognition']) as Doc;
    for (const written of ['3.2×10⁵', '3.2E5', '3.2×10^5']) {
      item(zj, 'zj').check_result = written;
      const canonical = toCanonical('zj', 'result-recognition', zj);
      expect(((canonical.sampling as Doc).items as Doc[])[0]!.result).toEqual({ value: '3.2E5' });
    }
  });

  it('carries the microbial sampling plan (n, c, m, M) of each item', () => {
    const canonical = canonicalExample('result-recognition');
    const items = (canonical.sampling as { items: Doc[] }).items;
    expect(items[0]!.plan).toEqual({ n: 5, c: 1, m: '100', M: '1000' });
    expect(items[1]!.plan).toEqual({ n: 5, c: 0, m: '0' });
    for (const dialect of DIALECTS) {
      const back = toCanonical(
        dialect,
        'result-recognition',
        toDialect(dialect, 'result-recognition', canonical),
      );
      expect((back.sampling as { items: Doc[] }).items.map((i) => i.plan)).toEqual(items.map((i) => i.plan));
    }
  });

  it.each([
    ['edible-agricultural-product', '食用农产品', 'clue-transfer'],
    ['catering-food', '餐饮食品', 'result-recognition'],
    ['food-additive', '食品添加剂', 'result-recognition'],
  ] as const)('sends a sample of %s (%s) through every dialect', (code, name, type) => {
    const canonical = canonicalExample(type);
    (canonical.sampling as Doc).category = { code, name };
    for (const dialect of DIALECTS) {
      expect(toCanonical(dialect, type, toDialect(dialect, type, canonical))).toEqual(canonical);
    }
  });

  it('carries a 个体工商户 with its operator and the operator’s ID number in every dialect', () => {
    const canonical = canonicalExample('notification');
    const parties = canonical.parties as Doc[];
    expect(parties.map((p) => p.kind)).toEqual(['individual-business', 'individual']);
    for (const dialect of DIALECTS) {
      const back = toCanonical(dialect, 'notification', toDialect(dialect, 'notification', canonical));
      expect(back.parties).toEqual(parties);
    }
    expect((toDialect('zj', 'notification', canonical).administrative_cp as Doc[])[0]).toMatchObject({
      administrative_cp_type: '个体工商户',
      administrative_cp_cert_type: '统一社会信用代码',
    });
    expect((toDialect('ah', 'notification', canonical).行政相对人 as Doc[])[0]).toMatchObject({
      CF_XDR_LB: '个体工商户',
      CF_FR_ZJLX: '居民身份证',
    });
  });

  it('reads a lower-case x in an ID number as X in every dialect', () => {
    const paths: Record<string, (d: Doc) => Doc> = {
      zj: (d) => (d.administrative_cp as Doc[])[2]!,
      ah: (d) => (d.行政相对人 as Doc[])[2]!,
      sh: (d) => (d.involvedParties as Doc[])[2]!,
      js: (d) => (d.party_list as Doc[])[2]!,
    };
    const keys: Record<string, string> = {
      zj: 'administrative_cp_cert_code',
      ah: 'CF_XDR_ZJHM',
      sh: 'idCardNo',
      js: 'id_card_no',
    };
    const canonical = canonicalExample('case-transfer');
    (canonical.parties as Doc[])[2]!.idNumber = '33050319800101106X';
    for (const dialect of DIALECTS) {
      const written = toDialect(dialect, 'case-transfer', canonical);
      paths[dialect]!(written)[keys[dialect]!] = '33050319800101106x';
      const back = toCanonical(dialect, 'case-transfer', written);
      expect((back.parties as Doc[])[2]!.idNumber, dialect).toBe('33050319800101106X');
    }
  });

  it('keeps every party of a js case transfer through zj: js → canonical → zj → canonical', () => {
    const js = contract.dialects.get('js')!.examples['case-transfer'] as Doc;
    expect((js.party_list as Doc[]).length).toBe(3);
    const canonical = toCanonical('js', 'case-transfer', js);
    const zj = toDialect('zj', 'case-transfer', canonical);
    expect((zj.administrative_cp as Doc[]).map((p) => p.administrative_cp_type)).toEqual([
      '法人及非法人组织',
      '个体工商户',
      '自然人',
    ]);
    expect(toCanonical('zj', 'case-transfer', zj)).toEqual(canonical);
  });

  it('translates every example through every dialect and back unchanged', () => {
    for (const from of DIALECTS) {
      for (const [type, example] of Object.entries(contract.dialects.get(from)!.examples)) {
        const canonical = toCanonical(from, type as MessageType, example);
        expect(toDialect(from, type as MessageType, canonical), `${from} ${type}`).toEqual(example);
        for (const to of DIALECTS) {
          const there = toDialect(to, type as MessageType, canonical);
          expect(toCanonical(to, type as MessageType, there), `${from} → ${to} ${type}`).toEqual(canonical);
        }
      }
    }
  });

  it('declares nothing of the case core lossy in any dialect', () => {
    for (const dialect of DIALECTS) {
      const lossy = contract.dialects
        .get(dialect)!
        .mapping.paths.filter((p) => p.lossy === 'toDialect')
        .map((p) => p.canonical?.join('/'));
      expect(lossy, dialect).toEqual([]);
    }
  });
});
