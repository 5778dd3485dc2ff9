import { type ConversionFactory, ConversionFault, describe } from './op.js';

/** `"template": "第{}类"`: the canonical value written inside fixed text, and read back out of it. */
export const template: ConversionFactory = (option, facts) => {
  if (typeof option !== 'string' || option.split('{}').length !== 2)
    return '"template" must contain "{}" exactly once';
  const [prefix, suffix] = option.split('{}') as [string, string];
  const numeric = facts.type === 'integer' || facts.type === 'number';
  return {
    toCanonical: (value) => {
      if (
        typeof value !== 'string' ||
        !value.startsWith(prefix) ||
        !value.endsWith(suffix) ||
        value.length <= prefix.length + suffix.length
      ) {
        throw new ConversionFault('template', `${describe(value)} 应为“${option.replace('{}', '…')}”的形式`);
      }
      const inner = value.slice(prefix.length, value.length - suffix.length);
      if (!numeric) return inner;
      if (!/^-?\d+(\.\d+)?$/.test(inner))
        throw new ConversionFault('template', `${describe(value)} 中的“${inner}”不是数字`);
      return Number(inner);
    },
    toDialect: (value) => `${prefix}${String(value)}${suffix}`,
  };
};
