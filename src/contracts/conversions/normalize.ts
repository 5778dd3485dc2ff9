import { type ConversionFactory, ConversionFault, describe } from './op.js';

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;

/** Text normalisations applied towards canonical; the dialect side receives canonical text unchanged. */
const STEPS: Record<string, (s: string) => string> = {
  trim: (s) => s.trim(),
  'collapse-spaces': (s) => (/\s\s|[^\S ]/.test(s) ? s.replace(/\s+/g, ' ') : s),
  // Full-width ASCII (U+FF01–FF5E) and the ideographic space to their half-width forms.
  halfwidth: (s) =>
    FULL_WIDTH.test(s)
      ? s
          .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
          .replace(/\u3000/g, ' ')
      : s,
  upper: (s) => s.toUpperCase(),
};

export const normalize: ConversionFactory = (option) => {
  if (
    !Array.isArray(option) ||
    option.length === 0 ||
    !option.every((s) => typeof s === 'string' && Object.hasOwn(STEPS, s))
  ) {
    return `"normalize" must be a list of ${Object.keys(STEPS).join(', ')}`;
  }
  const steps = (option as string[]).map((s) => STEPS[s]!);
  return {
    toCanonical: (value) => {
      if (typeof value !== 'string') throw new ConversionFault('normalize', `${describe(value)} 应为文本`);
      let text = value;
      for (let i = 0; i < steps.length; i++) text = steps[i]!(text);
      return text;
    },
    toDialect: (value) => value,
  };
};
