import type { IdentifierFault } from './fault.js';

/** GB 11643-1999 公民身份号码: 17 digits (address, birth date, sequence) and an ISO 7064 MOD 11-2 check. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * The written form of an ID number: a lower-case check character `x` is the same `X` (people and
 * card readers write both). Translation to canonical writes this form; `checkIdNumber` accepts both.
 */
export function normalizeIdNumber(value: string): string {
  return value.length === 18 && value.endsWith('x') ? `${value.slice(0, 17)}X` : value;
}

export function checkIdNumber(written: string): IdentifierFault | undefined {
  const value = normalizeIdNumber(written);
  if (!/^\d{17}[\dX]$/.test(value)) {
    return {
      rule: 'id-number-format',
      message: {
        zh: '公民身份号码应为 18 位：17 位数字加 1 位校验码（数字或 X）',
        en: 'a citizen ID number has 18 characters: 17 digits and a check character (a digit or X)',
      },
    };
  }
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return {
      rule: 'id-number-birth-date',
      message: {
        zh: `公民身份号码中的出生日期 ${value.slice(6, 14)} 不是有效日期`,
        en: `the date of birth ${value.slice(6, 14)} in the citizen ID number is not a valid date`,
      },
    };
  }
  const expected = idNumberCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return {
      rule: 'id-number-check',
      message: {
        zh: `公民身份号码校验码错误，应为“${expected}”`,
        en: `the check character of the citizen ID number is wrong; expected "${expected}"`,
      },
      expected,
    };
  }
  return undefined;
}
