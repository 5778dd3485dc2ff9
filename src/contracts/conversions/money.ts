import { fixed, isDecimal, shiftDecimal } from '../decimal.js';
import { type ConversionFactory, ConversionFault, describe } from './op.js';

/**
 * `"money": "yuan" | "fen" | "wanyuan"`. Canonical amounts are 元 as decimal strings with two
 * decimals; the dialect holds 元 (decimal string), 分 (integer) or 万元 (decimal string).
 */
export const MONEY_UNITS = ['yuan', 'fen', 'wanyuan'] as const;

const CANONICAL = /^(0|[1-9]\d*)\.\d{2}$/;

function canonical(value: unknown): string {
  if (typeof value !== 'string' || !CANONICAL.test(value)) {
    throw new ConversionFault('money', `${describe(value)} 不是以元为单位、保留两位小数的金额字符串`);
  }
  return value;
}

function yuan(text: string, what: string): string {
  if (CANONICAL.test(text)) return text;
  const result = isDecimal(text) && !text.startsWith('-') ? fixed(text, 2) : undefined;
  if (result === undefined) throw new ConversionFault('money', `${what} 不是有效金额（元，最多两位小数）`);
  return result;
}

export const money: ConversionFactory = (option) => {
  switch (option) {
    case 'yuan':
      return {
        toCanonical: (value) => yuan(typeof value === 'string' ? value : '', describe(value)),
        toDialect: (value) => canonical(value),
      };
    case 'fen':
      return {
        toCanonical: (value) => {
          if (!Number.isSafeInteger(value) || (value as number) < 0) {
            throw new ConversionFault('money', `${describe(value)} 不是以分为单位的非负整数金额`);
          }
          return yuan(shiftDecimal(String(value), -2), describe(value));
        },
        toDialect: (value) => Number(shiftDecimal(canonical(value), 2)),
      };
    case 'wanyuan':
      return {
        toCanonical: (value) => {
          const text = typeof value === 'number' ? String(value) : value;
          if (typeof text !== 'string' || !isDecimal(text) || text.startsWith('-')) {
            throw new ConversionFault('money', `${describe(value)} 不是以万元为单位的金额`);
          }
          // Exact whatever the number of decimals (5.01250 万元 = 50125.00 元); never rounded.
          const inYuan = shiftDecimal(text, 4);
          const result = fixed(inYuan, 2);
          if (result === undefined) {
            throw new ConversionFault(
              'money',
              `${describe(value)} 万元 = ${inYuan} 元，精度超过 1 分，不能准确表示（金额不做舍入）`,
            );
          }
          return result;
        },
        toDialect: (value) => shiftDecimal(canonical(value), -4),
      };
    default:
      return `"money" must be one of ${MONEY_UNITS.join(', ')}`;
  }
};
