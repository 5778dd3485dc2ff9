import type { IdentifierFault } from './fault.js';

/**
 * CNIPA 专利申请号: `YYYYTNNNNNNN.C` since 2003 (12 digits, weights 2–9,2–5) or the legacy
 * `YYTNNNNN.C` (8 digits, weights 2–9); C = Σ mod 11, 10 written as X. A granted patent's number
 * (专利号) is `ZL` + its application number. Publication numbers (公开/公告号, `CN…A/U/S`) are a
 * different series (identifiers.md §7, ip.md §1).
 */
const WEIGHTS_12 = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const WEIGHTS_8 = [2, 3, 4, 5, 6, 7, 8, 9];

/** `CN` + serial + kind code; the serial's length (7–9 digits) and kinds beyond A/U/S are unverified. */
const PUBLICATION = /^CN\d{7,9}[A-Z]\d?$/;

export function patentCheckCharacter(digits: string): string {
  const weights = digits.length === 12 ? WEIGHTS_12 : WEIGHTS_8;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * weights[i]!;
  const c = sum % 11;
  return c === 10 ? 'X' : String(c);
}

/** An application number, or a granted patent number (`ZL` + application number). */
export function checkPatentApplication(value: string): IdentifierFault | undefined {
  if (PUBLICATION.test(value)) {
    return {
      rule: 'patent-publication-number',
      message: {
        zh: `“${value}”是专利公开（公告）号，不是专利申请号或专利号（ZL + 申请号）`,
        en: `"${value}" is a patent publication number, not an application number or patent number (ZL + application number)`,
      },
    };
  }
  const match = /^(?:ZL)?(\d{12}|\d{8})\.([\dX])$/.exec(value);
  if (!match) {
    return {
      rule: 'patent-format',
      message: {
        zh: '专利申请号应为“12 位数字.校验位”（如 201710601862.3）或旧式“8 位数字.校验位”；专利号为 ZL 加申请号（如 ZL201710601862.3）',
        en: 'a patent application number is 12 digits, a dot and a check character (e.g. 201710601862.3), or in the old form 8 digits, a dot and a check character; a patent number is ZL and the application number (e.g. ZL201710601862.3)',
      },
    };
  }
  const digits = match[1]!;
  const type = digits.length === 12 ? digits[4]! : digits[2]!;
  if (!'12389'.includes(type)) {
    return {
      rule: 'patent-type',
      message: {
        zh: `专利申请号的类型位“${type}”无效（1 发明、2 实用新型、3 外观设计、8/9 PCT）`,
        en: `the type digit "${type}" of the patent application number is not valid (1 invention, 2 utility model, 3 design, 8/9 PCT)`,
      },
    };
  }
  const expected = patentCheckCharacter(digits);
  if (match[2] !== expected) {
    return {
      rule: 'patent-check',
      message: {
        zh: `专利申请号校验位错误，应为“${expected}”`,
        en: `the check character of the patent application number is wrong; expected "${expected}"`,
      },
      expected,
    };
  }
  return undefined;
}

export function checkPatentPublication(value: string): IdentifierFault | undefined {
  if (PUBLICATION.test(value)) return undefined;
  return {
    rule: 'patent-publication-format',
    message: {
      zh: '专利公开（公告）号应为 CN 加序号和文献种类代码（如 A、U、S）',
      en: 'a patent publication number is CN, a serial number and a document kind code (such as A, U, S)',
    },
  };
}
