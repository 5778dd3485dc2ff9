/**
 * Exact decimal arithmetic on strings, for money and unit conversions: amounts are never binary
 * floats. Only multiplication by powers of ten is needed, which is a shift of the decimal point.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** `text` × 10^places, exactly, in normal form (no leading zeros, no trailing fractional zeros). */
export function shiftDecimal(text: string, places: number): string {
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  let digits = whole! + fraction;
  let point = whole!.length + places;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const rest = digits.slice(point);
  return normalise(`${sign}${digits.slice(0, point)}${rest === '' ? '' : `.${rest}`}`);
}

/** Normal form: `007.50` → `7.5`, `-0.0` → `0`. */
export function normalise(text: string): string {
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  const w = whole!.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  const body = f === '' ? w : `${w}.${f}`;
  return body === '0' ? '0' : `${sign}${body}`;
}

/** A decimal in normal form with exactly `places` fractional digits; undefined if more are needed. */
export function fixed(text: string, places: number): string | undefined {
  const n = normalise(text);
  const [whole, fraction = ''] = n.split('.');
  if (fraction.length > places) return undefined;
  return places === 0 ? whole! : `${whole}.${fraction.padEnd(places, '0')}`;
}
