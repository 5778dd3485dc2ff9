import { type ConversionFactory, ConversionFault, describe } from './op.js';

/**
 * `"measured"`: a result as a laboratory writes it ↔ the canonical `measured` object of core 2
 * (`{value, qualifier}` or `{notDetected, detectionLimit}`). The written digits are kept ("1.80"
 * stays "1.80"); scientific notation is canonical `3.2E5` whatever the dialect writes.
 *
 * - `"text-zh"`: one string as Chinese reports print it — `<0.005`, `≤0.075`, `1.80`, `3.2×10⁵`,
 *   `未检出`, `未检出(检出限0.003)`;
 * - `"text-en"`: one string in instrument style — `3.2E5`, `ND`, `ND(LOD 0.003)`;
 * - `{ "value": "jg", "qualifier": "xdf", "notDetected": "wjc", "detectionLimit": "jcx", "text": "dx" }`:
 *   split members of one dialect object (each optional but `value`); `text` holds a qualitative result.
 *
 * Either text form reads every form above (a lab's own notation arrives as written), and writes its
 * own. Qualitative results (检出, 阳性, 阴性) and limits in words (不得检出, 不得使用) stay strings.
 * The unit is never inside the value: a dialect maps it as a field of its own.
 */
const NUMBER = String.raw`(\d+(?:\.\d+)?)(?:[Ee]([+-]?\d{1,3})|×10(?:\^([+-]?\d{1,3})|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})))?`;
const VALUE = new RegExp(`^([<≤>≥])?${NUMBER}$`);
const NOT_DETECTED = new RegExp(`^(?:未检出|ND)(?:[(（](?:检出限|LOD ?)${NUMBER}[)）])?$`);
const CANONICAL_NUMBER = /^(-?(?:0|[1-9]\d*)(?:\.\d+)?)(?:E([+-]?[1-9]\d{0,2}))?$/;
const WORDS = new Set(['检出', '阳性', '阴性']);
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** The canonical number (`3.2E5`, `1.80`) of a match of NUMBER starting at group `i`. */
function numberOf(m: RegExpExecArray, i: number, written: string): string {
  const mantissa = m[i]!;
  if (/^0\d/.test(mantissa))
    throw new ConversionFault('measured', `${describe(written)} 的数值有多余的前导零`);
  const sup = m[i + 3];
  const raw =
    m[i + 1] ??
    m[i + 2] ??
    (sup === undefined
      ? undefined
      : [...sup]
          .map((ch) => (ch === '⁻' ? '-' : ch === '⁺' ? '' : String(SUPERSCRIPT.indexOf(ch))))
          .join(''));
  if (raw === undefined) return mantissa;
  const exponent = Number(raw);
  if (exponent === 0) throw new ConversionFault('measured', `${describe(written)} 的指数为零`);
  return `${mantissa}E${exponent}`;
}

/** Reads a result or limit as written. */
export function parseMeasured(text: string): unknown {
  if (WORDS.has(text) || text.startsWith('不得')) return text;
  const nd = NOT_DETECTED.exec(text);
  if (nd)
    return nd[1] === undefined
      ? { notDetected: true }
      : { notDetected: true, detectionLimit: numberOf(nd, 1, text) };
  const v = VALUE.exec(text);
  if (!v)
    throw new ConversionFault(
      'measured',
      `${describe(text)} 不是检验结果的写法（如 1.80、<0.005、未检出(检出限0.003)、3.2×10⁵）`,
    );
  const value = numberOf(v, 2, text);
  return v[1] === undefined ? { value } : { value, qualifier: v[1] };
}

function checkedNumber(value: unknown): RegExpExecArray {
  const m = typeof value === 'string' ? CANONICAL_NUMBER.exec(value) : null;
  if (!m) throw new ConversionFault('measured', `${describe(value)} 不是数值（十进制或 3.2E5 形式）`);
  return m;
}

function written(value: unknown, style: 'zh' | 'en'): string {
  const m = checkedNumber(value);
  if (m[2] === undefined || style === 'en') return value as string;
  const exponent = [...m[2].replace('+', '')]
    .map((ch) => (ch === '-' ? '⁻' : SUPERSCRIPT[Number(ch)]))
    .join('');
  return `${m[1]}×10${exponent}`;
}

interface Measured {
  value?: unknown;
  qualifier?: unknown;
  notDetected?: unknown;
  detectionLimit?: unknown;
  unit?: unknown;
}

function measuredOf(value: unknown): Measured | string {
  if (typeof value === 'string' && (WORDS.has(value) || value.startsWith('不得'))) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'unit' in value) {
    throw new ConversionFault('measured', `${describe(value)} 不是检验结果（单位另行映射）`);
  }
  return value as Measured;
}

function formatText(value: unknown, style: 'zh' | 'en'): string {
  const m = measuredOf(value);
  if (typeof m === 'string') return m;
  if (m.notDetected === true) {
    const nd = style === 'zh' ? '未检出' : 'ND';
    if (m.detectionLimit === undefined) return nd;
    const lod = written(m.detectionLimit, style);
    return style === 'zh' ? `${nd}(检出限${lod})` : `${nd}(LOD ${lod})`;
  }
  const q = m.qualifier;
  if (q !== undefined && q !== '<' && q !== '≤' && q !== '>' && q !== '≥') {
    throw new ConversionFault('measured', `${describe(q)} 不是限定符（<、≤、>、≥）`);
  }
  return `${q ?? ''}${written(m.value, style)}`;
}

type Members = Partial<Record<'value' | 'qualifier' | 'notDetected' | 'detectionLimit' | 'text', string>>;
const MEMBER_KEYS = ['value', 'qualifier', 'notDetected', 'detectionLimit', 'text'] as const;

/** A member the dialect object must have to carry a part of the result. */
function need(name: string | undefined, what: string): string {
  if (name === undefined) throw new ConversionFault('measured', `${what} 无处可写`);
  return name;
}

function split(names: Members) {
  const from = (value: unknown) => value as Record<string, unknown>;
  return {
    toCanonical: (value: unknown): unknown => {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ConversionFault('measured', `${describe(value)} 应为检验结果对象`);
      const d = from(value);
      const text = names.text === undefined ? undefined : d[names.text];
      if (text !== undefined) return measuredOf(text);
      if (names.notDetected !== undefined && d[names.notDetected] === true) {
        const lod = names.detectionLimit === undefined ? undefined : d[names.detectionLimit];
        if (lod !== undefined) checkedNumber(lod);
        return lod === undefined ? { notDetected: true } : { notDetected: true, detectionLimit: lod };
      }
      const v = d[names.value!];
      checkedNumber(v);
      const q = names.qualifier === undefined ? undefined : d[names.qualifier];
      return q === undefined ? { value: v } : { value: v, qualifier: q };
    },
    toDialect: (value: unknown): unknown => {
      const m = measuredOf(value);
      if (typeof m === 'string') {
        if (names.text === undefined)
          throw new ConversionFault('measured', `${describe(m)} 无处可写（无定性结果字段）`);
        return { [names.text]: m };
      }
      if (m.notDetected === true) {
        if (names.notDetected === undefined) throw new ConversionFault('measured', '未检出 无处可写');
        const out: Record<string, unknown> = { [names.notDetected]: true };
        if (m.detectionLimit !== undefined)
          out[need(names.detectionLimit, '检出限')] = checkedNumber(m.detectionLimit)[0];
        return out;
      }
      const out: Record<string, unknown> = { [names.value!]: checkedNumber(m.value)[0] };
      if (m.qualifier !== undefined) out[need(names.qualifier, '限定符')] = m.qualifier;
      return out;
    },
  };
}

export const measured: ConversionFactory = (option) => {
  if (option === 'text-zh' || option === 'text-en') {
    const style = option === 'text-zh' ? 'zh' : 'en';
    return {
      toCanonical: (value) => {
        if (typeof value !== 'string') throw new ConversionFault('measured', `${describe(value)} 应为字符串`);
        return parseMeasured(value);
      },
      toDialect: (value) => formatText(value, style),
    };
  }
  const names = option as Members;
  if (
    typeof option !== 'object' ||
    option === null ||
    Object.entries(option).some(
      ([k, v]) => !(MEMBER_KEYS as readonly string[]).includes(k) || typeof v !== 'string',
    ) ||
    typeof names.value !== 'string'
  ) {
    return `"measured" must be "text-zh", "text-en" or an object naming the members ${MEMBER_KEYS.join(', ')} ("value" required)`;
  }
  return split(names);
};
