import type { IdentifierFault } from './fault.js';

/** GA 36-2018 机动车号牌 of the Delta's provinces: ordinary, small and large new-energy plates. */
const PLATES = [
  /^[沪苏浙皖][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5}$/,
  /^[沪苏浙皖][A-HJ-NP-Z][DF][A-HJ-NP-Z0-9]\d{4}$/,
  /^[沪苏浙皖][A-HJ-NP-Z]\d{5}[DF]$/,
];

export function checkVehiclePlate(value: string): IdentifierFault | undefined {
  if (PLATES.some((re) => re.test(value))) return undefined;
  return {
    rule: 'plate-format',
    message:
      '号牌号码应为省份简称（沪苏浙皖）+ 发牌机关字母 + 5 位序号，新能源号牌为 6 位序号（不使用字母 I、O）',
  };
}
