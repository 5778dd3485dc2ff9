import { isDecimal, normalise, shiftDecimal } from '../decimal.js';
import { type ConversionFactory, ConversionFault, describe } from './op.js';

function numeric(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !isDecimal(text))
    throw new ConversionFault('number', `${describe(value)} 不是数值`);
  return text;
}

/** `"shift": n`: the dialect value is the canonical value × 10ⁿ, exactly (unit prefixes). */
export const shift: ConversionFactory = (option) => {
  if (!Number.isInteger(option) || Math.abs(option as number) > 12 || option === 0) {
    return '"shift" must be a non-zero integer between -12 and 12';
  }
  const n = option as number;
  const keepType = (original: unknown, text: string) => (typeof original === 'number' ? Number(text) : text);
  return {
    toCanonical: (value) => keepType(value, shiftDecimal(numeric(value), -n)),
    toDialect: (value) => keepType(value, shiftDecimal(numeric(value), n)),
  };
};

/** `"number": true`: canonical decimal string ↔ dialect JSON number. */
export const number: ConversionFactory = (option) => {
  if (option !== true) return '"number" must be true';
  return {
    toCanonical: (value) => normalise(numeric(value)),
    toDialect: (value) => {
      const n = Number(numeric(value));
      if (normalise(String(n)) !== normalise(numeric(value))) {
        throw new ConversionFault('number', `${describe(value)} 超出了数值的精确表示范围`);
      }
      return n;
    },
  };
};
