import pollution from '../../../contracts/reference/pollution-codes.json' with { type: 'json' };
import type { IdentifierFault } from './fault.js';

const POLLUTANTS_2017 = new Set(pollution.pollutants.map((p) => p.code));
const POLLUTANTS_2005 = new Set(
  pollution.pollutants.map((p) => p.oldCodeHJT212_2005).filter((c): c is string => typeof c === 'string'),
);

export function checkPollutant2017(value: string): IdentifierFault | undefined {
  if (POLLUTANTS_2017.has(value)) return undefined;
  return {
    rule: 'hj212-pollutant',
    message: {
      zh: `“${value}”不是 HJ 212-2017 污染物编码（如 a21026 二氧化硫、w01018 化学需氧量）`,
      en: `"${value}" is not an HJ 212-2017 pollutant code (such as a21026 sulphur dioxide, w01018 chemical oxygen demand)`,
    },
  };
}

export function checkPollutant2005(value: string): IdentifierFault | undefined {
  if (POLLUTANTS_2005.has(value)) return undefined;
  return {
    rule: 'hj212-pollutant-2005',
    message: {
      zh: `“${value}”不是 HJ/T 212-2005 污染物编码（如 02 二氧化硫、011 化学需氧量）`,
      en: `"${value}" is not an HJ/T 212-2005 pollutant code (such as 02 sulphur dioxide, 011 chemical oxygen demand)`,
    },
  };
}

/** HW categories of 国家危险废物名录: HW01–HW50 without HW41–HW44. */
function isCategory(n: number): boolean {
  return n >= 1 && n <= 50 && (n < 41 || n > 44);
}

export function checkHazardousWasteCategory(value: string): IdentifierFault | undefined {
  const match = /^HW(\d{2})$/.exec(value);
  if (match && isCategory(Number(match[1]))) return undefined;
  return {
    rule: 'hazardous-waste-category',
    message: {
      zh: '危险废物类别应为 HW01–HW50（HW41–HW44 未使用）',
      en: 'a hazardous-waste category is HW01–HW50 (HW41–HW44 are not used)',
    },
  };
}

export function checkHazardousWasteCode(value: string): IdentifierFault | undefined {
  const match = /^\d{3}-\d{3}-(\d{2})$/.exec(value);
  if (!match)
    return {
      rule: 'hazardous-waste-format',
      message: {
        zh: '危险废物代码应为 8 位数字，写作 NNN-NNN-NN（如 900-041-49）',
        en: 'a hazardous-waste code is 8 digits written NNN-NNN-NN (such as 900-041-49)',
      },
    };
  if (!isCategory(Number(match[1]))) {
    return {
      rule: 'hazardous-waste-category',
      message: {
        zh: `危险废物代码末两位“${match[1]}”不是有效的废物类别（HW01–HW50，HW41–HW44 未使用）`,
        en: `the last two digits "${match[1]}" of the hazardous-waste code are not a valid category (HW01–HW50; HW41–HW44 are not used)`,
      },
    };
  }
  return undefined;
}

/** Pollutant code tables derived from the reference: 2017 code → 2005 legacy code. */
export function legacyPollutantCode(code2017: string): string | undefined {
  return pollution.pollutants.find((p) => p.code === code2017)?.oldCodeHJT212_2005 ?? undefined;
}
