import { type Conversion, ConversionFault, describe } from './op.js';

/**
 * A code table read both ways: canonical value → dialect value (a code or a label). Canonical
 * values are the table's keys, turned into numbers when the canonical field is numeric.
 */
export function codes(
  table: Readonly<Record<string, unknown>>,
  name: string,
  canonicalType?: string,
): Conversion | string {
  const forward = new Map<unknown, unknown>();
  const backward = new Map<unknown, unknown>();
  const numeric = canonicalType === 'integer' || canonicalType === 'number';
  const boolean = canonicalType === 'boolean';
  for (const [key, value] of Object.entries(table)) {
    if (typeof value !== 'string' && typeof value !== 'number')
      return `code table "${name}": values must be strings or numbers`;
    const dialectKey = value;
    if (backward.has(dialectKey))
      return `code table "${name}" is not one-to-one: ${JSON.stringify(dialectKey)} appears twice`;
    const canonicalValue = numeric ? Number(key) : boolean ? key === 'true' : key;
    if (numeric && !Number.isFinite(canonicalValue))
      return `code table "${name}": key "${key}" is not a number`;
    if (boolean && key !== 'true' && key !== 'false')
      return `code table "${name}": key "${key}" is not true or false`;
    forward.set(canonicalValue, value);
    backward.set(dialectKey, canonicalValue);
  }
  return {
    lookup: { toCanonical: backward, toDialect: forward },
    toCanonical: (value) => {
      const hit = backward.get(value);
      if (hit === undefined) {
        throw new ConversionFault(
          'code-table',
          `${describe(value)} 不在代码表“${name}”中（可用值：${[...backward.keys()].map(String).join('、')}）`,
        );
      }
      return hit;
    },
    toDialect: (value) => {
      const hit = forward.get(value);
      if (hit === undefined)
        throw new ConversionFault('code-table', `${describe(value)} 在代码表“${name}”中没有对应值`);
      return hit;
    },
  };
}
