import counties from '../../../contracts/reference/counties.json' with { type: 'json' };
import regions from '../../../contracts/reference/regions.json' with { type: 'json' };
import type { IdentifierFault } from './fault.js';

/**
 * The Delta's GB/T 2260 codes as data (contracts/reference): its four provinces (a provincial
 * agency can handle a case), its 41 cities, Shanghai's prefecture-level placeholder 310100, every
 * district, county and county-level city, the statistical codes of development zones, and codes
 * retired since 2017 (an ID number or an older record keeps the code of its time).
 */
const DIVISIONS: ReadonlySet<string> = new Set([
  ...regions.provinces.map((p) => p.code),
  ...regions.cities.map((c) => c.code),
  '310100',
  ...counties.counties.map((c) => c.code),
  ...counties.functionalZones.map((c) => c.code),
  ...counties.retired.map((c) => c.code),
]);

export function checkDivision(value: string): IdentifierFault | undefined {
  if (!/^\d{6}$/.test(value))
    return {
      rule: 'division-format',
      message: { zh: '行政区划代码应为 6 位数字', en: 'a division code has 6 digits' },
    };
  if (!DIVISIONS.has(value)) {
    return {
      rule: 'division-known',
      message: {
        zh: `行政区划代码“${value}”不是长三角沪苏浙皖的省、市或县级区划代码（GB/T 2260）`,
        en: `"${value}" is not a province, city or county division code of the Delta (Shanghai, Jiangsu, Zhejiang, Anhui; GB/T 2260)`,
      },
    };
  }
  return undefined;
}

/** Every code `checkDivision` accepts (for tests and documentation). */
export function knownDivisions(): readonly string[] {
  return [...DIVISIONS];
}
