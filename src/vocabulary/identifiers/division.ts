import { cityByCode } from '../regions.js';
import type { IdentifierFault } from './fault.js';

/** A GB/T 2260 code of a Delta city or of a district or county in it (same first four digits). */
export function checkDivision(value: string): IdentifierFault | undefined {
  if (!/^\d{6}$/.test(value)) return { rule: 'division-format', message: '行政区划代码应为 6 位数字' };
  const city = value.startsWith('31') ? '310000' : `${value.slice(0, 4)}00`;
  if (cityByCode(city) === undefined) {
    return { rule: 'division-known', message: `行政区划代码“${value}”不属于长三角 41 个城市` };
  }
  return undefined;
}
