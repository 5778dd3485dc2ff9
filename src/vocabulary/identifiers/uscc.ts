import type { IdentifierFault } from './fault.js';

/** GB 32100-2015 统一社会信用代码: 18 characters, the last a check character over the first 17. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c]!;
}

export function checkUscc(value: string): IdentifierFault | undefined {
  if (!SHAPE.test(value)) {
    return {
      rule: 'uscc-format',
      message: {
        zh: '统一社会信用代码应为 18 位：前 2 位登记管理部门和机构类别代码、6 位行政区划码、10 位主体标识码和校验码（不使用 I、O、S、V、Z）',
        en: 'a unified social credit code has 18 characters: 2 for the registering authority and entity type, a 6-digit division code, 9 for the entity and a check character (without I, O, S, V, Z)',
      },
    };
  }
  const expected = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return {
      rule: 'uscc-check',
      message: {
        zh: `统一社会信用代码校验码错误，应为“${expected}”`,
        en: `the check character of the unified social credit code is wrong; expected "${expected}"`,
      },
      expected,
    };
  }
  return undefined;
}
