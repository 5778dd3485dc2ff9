import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codes } from '../../src/contracts/conversions/codes.js';
import { date } from '../../src/contracts/conversions/date.js';
import { join } from '../../src/contracts/conversions/join.js';
import { money } from '../../src/contracts/conversions/money.js';
import { normalize } from '../../src/contracts/conversions/normalize.js';
import type { Conversion } from '../../src/contracts/conversions/op.js';
import { patent } from '../../src/contracts/conversions/patent.js';
import { number, shift } from '../../src/contracts/conversions/shift.js';
import { template } from '../../src/contracts/conversions/template.js';
import { normalise, shiftDecimal } from '../../src/contracts/decimal.js';

const ok = (c: Conversion | string): Conversion => {
  if (typeof c === 'string') throw new Error(c);
  return c;
};
const both = (c: Conversion, canonical: unknown, dialect: unknown) => {
  expect(c.toDialect(canonical)).toEqual(dialect);
  expect(c.toCanonical(dialect)).toEqual(canonical);
};

describe('date conversions', () => {
  const asDate = (form: string) => ok(date(form, { format: 'date' }));
  const asDateTime = (form: string) => ok(date(form, { format: 'date-time' }));
  it('covers the five dialect forms', () => {
    both(asDate('yyyy-MM-dd'), '2024-05-16', '2024-05-16');
    both(asDate('yyyyMMdd'), '2024-05-16', '20240516');
    both(asDate('yyyy/MM/dd HH:mm:ss'), '2024-05-16', '2024/05/16 00:00:00');
    both(asDate('iso-offset'), '2024-05-16', '2024-05-16T00:00:00+08:00');
    both(asDate('yyyy年M月d日'), '2024-05-16', '2024年5月16日');
    both(asDateTime('yyyy/MM/dd HH:mm:ss'), '2024-05-16T09:30:00+08:00', '2024/05/16 09:30:00');
    both(asDateTime('iso-offset'), '2024-05-16T09:30:00+08:00', '2024-05-16T09:30:00+08:00');
  });
  it('moves other offsets to China time and drops times for date-only forms', () => {
    expect(asDateTime('iso-offset').toCanonical('2024-05-16T01:30:00Z')).toBe('2024-05-16T09:30:00+08:00');
    expect(asDateTime('iso-offset').toCanonical('2024-05-15T20:30:00-05:00')).toBe(
      '2024-05-16T09:30:00+08:00',
    );
    expect(asDateTime('yyyyMMdd').toDialect('2024-05-16T23:59:59+08:00')).toBe('20240516');
  });
  it('refuses impossible dates with the expected form', () => {
    expect(() => asDate('yyyyMMdd').toCanonical('20240230')).toThrow(/20240516/);
    expect(() => asDate('yyyy年M月d日').toCanonical('2024-05-16')).toThrow(/2024年5月16日/);
    expect(() => asDate('yyyy-MM-dd').toDialect('2024-13-01')).toThrow(/YYYY-MM-DD/);
  });
  it('checks its option and the canonical format', () => {
    expect(date('dd.MM.yyyy', { format: 'date' })).toMatch(/must be one of/);
    expect(date('yyyyMMdd', {})).toMatch(/format date or date-time/);
  });
});

describe('money conversions', () => {
  it('converts 元, 分 and 万元 exactly', () => {
    both(ok(money('yuan', {})), '12000.50', '12000.50');
    both(ok(money('fen', {})), '12000.50', 1200050);
    both(ok(money('wanyuan', {})), '12000.00', '1.2');
    both(ok(money('wanyuan', {})), '12345.67', '1.234567');
    both(ok(money('wanyuan', {})), '0.00', '0');
    expect(ok(money('wanyuan', {})).toCanonical(1.2)).toBe('12000.00');
    expect(ok(money('yuan', {})).toCanonical('12000')).toBe('12000.00');
  });
  it('never goes through a binary float', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), (fen) => {
        const canonical = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        for (const unit of ['yuan', 'fen', 'wanyuan']) {
          const c = ok(money(unit, {}));
          expect(c.toCanonical(c.toDialect(canonical))).toBe(canonical);
        }
      }),
    );
  });
  it('refuses amounts that are not exact in 元 with two decimals', () => {
    expect(() => ok(money('yuan', {})).toCanonical('12.345')).toThrow(/最多两位小数/);
    expect(() => ok(money('wanyuan', {})).toCanonical('1.2345678')).toThrow(/万元/);
    expect(() => ok(money('fen', {})).toCanonical(12.5)).toThrow(/整数/);
    expect(() => ok(money('fen', {})).toDialect(12000.5)).toThrow(/两位小数/);
  });
});

describe('decimal shifts and numbers', () => {
  it('shifts exactly both ways', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -6, max: 6 }),
        (n, places, by) => {
          const text = shiftDecimal(String(n), -places);
          expect(shiftDecimal(shiftDecimal(text, by), -by)).toBe(normalise(text));
        },
      ),
    );
    both(ok(shift(3, {})), '0.0352', '35.2');
    both(ok(shift(3, {})), 0.0352, 35.2);
    expect(normalise('007.50')).toBe('7.5');
  });
  it('number: decimal strings ↔ JSON numbers', () => {
    both(ok(number(true, {})), '35.2', 35.2);
    expect(() => ok(number(true, {})).toDialect('12345678901234567890.1')).toThrow(/精确/);
  });
});

describe('codes, join, template, patent, normalize', () => {
  it('reads a one-to-one table both ways and names the missing value', () => {
    const c = ok(codes({ '1': '蓝色', '2': '黄色' }, 'plateColour'));
    both(c, '1', '蓝色');
    expect(() => c.toCanonical('紫色')).toThrow(/不在代码表“plateColour”中/);
    expect(codes({ a: 'x', b: 'x' }, 't')).toMatch(/not one-to-one/);
    both(ok(codes({ '1': '一级', '2': '二级' }, 'recall', 'integer')), 1, '一级');
  });
  it('joins arrays, element by element through a table', () => {
    const c = ok(join('、', ok(codes({ warning: '警告', fine: '罚款' }, 'penalty'))));
    both(c, ['warning', 'fine'], '警告、罚款');
    expect(() => ok(join('、')).toDialect(['甲、乙'])).toThrow(/分隔符/);
  });
  it('wraps values in templates', () => {
    both(ok(template('第{}类', { type: 'integer' })), 25, '第25类');
    expect(() => ok(template('第{}类', { type: 'integer' })).toCanonical('25')).toThrow(/第…类/);
  });
  it('writes patent numbers in three forms', () => {
    both(ok(patent('plain', {})), '201710601862.3', '2017106018623');
    both(ok(patent('dotted', {})), '201710601862.3', '201710601862.3');
    both(ok(patent('cn-dotted', {})), '201710601862.3', 'CN201710601862.3');
    both(ok(patent('plain', {})), '95115608.X', '95115608X');
  });
  it('normalises towards canonical only', () => {
    const c = ok(normalize(['trim', 'collapse-spaces', 'halfwidth', 'upper'], {}));
    expect(c.toCanonical('  ａｂｃ　 １２３ ')).toBe('ABC 123');
    expect(c.toDialect('ABC 123')).toBe('ABC 123');
  });
});
