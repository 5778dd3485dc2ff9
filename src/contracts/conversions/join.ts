import { type Conversion, ConversionFault, describe } from './op.js';

/** `"join": SEP`: a canonical array of strings (or codes) ↔ one delimited dialect string. */
export function join(separator: unknown, element?: Conversion): Conversion | string {
  if (typeof separator !== 'string' || separator.length === 0)
    return '"join" must be a non-empty separator string';
  return {
    toCanonical: (value) => {
      if (typeof value !== 'string')
        throw new ConversionFault('join', `${describe(value)} 应为以“${separator}”分隔的文本`);
      const parts: unknown[] = value === '' ? [] : value.split(separator);
      if (element) {
        const table = element.lookup?.toCanonical;
        for (let i = 0; i < parts.length; i++)
          parts[i] = table?.get(parts[i]) ?? element.toCanonical(parts[i]);
      }
      return parts;
    },
    toDialect: (value) => {
      if (!Array.isArray(value)) throw new ConversionFault('join', `${describe(value)} 应为数组`);
      const parts = element ? value.map((v) => element.toDialect(v)) : value;
      for (const p of parts) {
        if (typeof p !== 'string' && typeof p !== 'number')
          throw new ConversionFault('join', `${describe(p)} 不能写入分隔文本`);
        if (String(p).includes(separator))
          throw new ConversionFault('join', `${describe(p)} 含有分隔符“${separator}”`);
      }
      return parts.join(separator);
    },
  };
}
