import type { IdentifierFault } from './fault.js';

/**
 * CNIPA 专利申请号: `YYYYTNNNNNNN.C` since 2003 (12 digits, weights 2–9,2–5) or the legacy
 * `YYTNNNNN.C` (8 digits, weights 2–9); C = Σ mod 11, 10 written as X.
 */
const WEIGHTS_12 = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const WEIGHTS_8 = [2, 3, 4, 5, 6, 7, 8, 9];

export function patentCheckCharacter(digits: string): string {
  const weights = digits.length === 12 ? WEIGHTS_12 : WEIGHTS_8;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * weights[i]!;
  const c = sum % 11;
  return c === 10 ? 'X' : String(c);
}

export function checkPatentApplication(value: string): IdentifierFault | undefined {
  const match = /^(\d{12}|\d{8})\.([\dX])$/.exec(value);
  if (!match) {
    return {
      rule: 'patent-format',
      message: '专利申请号应为“12 位数字.校验位”（如 201710601862.3）或旧式“8 位数字.校验位”',
    };
  }
  const digits = match[1]!;
  const type = digits.length === 12 ? digits[4]! : digits[2]!;
  if (!'12389'.includes(type)) {
    return {
      rule: 'patent-type',
      message: `专利申请号的类型位“${type}”无效（1 发明、2 实用新型、3 外观设计、8/9 PCT）`,
    };
  }
  const expected = patentCheckCharacter(digits);
  if (match[2] !== expected) {
    return { rule: 'patent-check', message: `专利申请号校验位错误，应为“${expected}”`, expected };
  }
  return undefined;
}
