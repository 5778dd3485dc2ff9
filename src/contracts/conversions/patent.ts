import { type ConversionFactory, ConversionFault, describe } from './op.js';

/**
 * `"patent": "plain" | "dotted" | "cn-dotted"`: canonical 专利申请号 `201710601862.3` ↔
 * `2017106018623`, `201710601862.3` or `CN201710601862.3`. A canonical patent number
 * `ZL201710601862.3` is written as its application number: these dialect fields hold 申请号.
 */
const CANONICAL = /^(?:ZL)?(\d{12}|\d{8})\.([\dX])$/;
const FORMS = {
  plain: { re: /^(\d{12}|\d{8})([\dX])$/, write: (d: string, c: string) => `${d}${c}` },
  dotted: { re: /^(\d{12}|\d{8})\.([\dX])$/, write: (d: string, c: string) => `${d}.${c}` },
  'cn-dotted': { re: /^CN(\d{12}|\d{8})\.([\dX])$/, write: (d: string, c: string) => `CN${d}.${c}` },
} as const;

export const patent: ConversionFactory = (option) => {
  if (typeof option !== 'string' || !Object.hasOwn(FORMS, option))
    return '"patent" must be plain, dotted or cn-dotted';
  const form = FORMS[option as keyof typeof FORMS];
  return {
    toCanonical: (value) => {
      const m = typeof value === 'string' ? form.re.exec(value) : null;
      if (!m)
        throw new ConversionFault(
          'patent',
          `${describe(value)} 不是“${form.write('201710601862', '3')}”形式的专利申请号`,
        );
      return `${m[1]}.${m[2]}`;
    },
    toDialect: (value) => {
      const m = typeof value === 'string' ? CANONICAL.exec(value) : null;
      if (!m) throw new ConversionFault('patent', `${describe(value)} 不是规范的专利申请号`);
      return form.write(m[1]!, m[2]!);
    },
  };
};
