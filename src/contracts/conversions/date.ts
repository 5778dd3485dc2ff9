import { type Conversion, type ConversionFactory, ConversionFault, describe } from './op.js';

/** The date forms the dialects use. Canonical dates are YYYY-MM-DD, date-times ISO with +08:00. */
export const DATE_FORMS = [
  'yyyy-MM-dd',
  'yyyyMMdd',
  'yyyy/MM/dd',
  'yyyy/MM/dd HH:mm:ss',
  'yyyy-MM-dd HH:mm:ss',
  'iso-offset',
  'yyyy年M月d日',
  'yyyy年M月d日 HH:mm:ss',
] as const;
type DateForm = (typeof DATE_FORMS)[number];

interface Parts {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  ss: number;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const p2 = (n: number) => TWO_DIGITS[n] ?? String(n).padStart(2, '0');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function valid(p: Parts): boolean {
  if (p.m < 1 || p.m > 12 || p.d < 1 || p.hh > 23 || p.mm > 59 || p.ss > 59) return false;
  const leap = p.y % 4 === 0 && (p.y % 100 !== 0 || p.y % 400 === 0);
  return p.d <= (p.m === 2 && leap ? 29 : DAYS[p.m - 1]!);
}

const CANONICAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CANONICAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\+08:00$/;

/** The parts of a date matched by a pattern whose groups are year, month, day, hour, minute, second. */
function partsOf(m: RegExpExecArray): Parts {
  return {
    y: Number(m[1]),
    m: Number(m[2]),
    d: Number(m[3]),
    hh: Number(m[4] ?? 0),
    mm: Number(m[5] ?? 0),
    ss: Number(m[6] ?? 0),
  };
}

function parseCanonical(value: unknown, dateTime: boolean): Parts {
  if (!dateTime && typeof value === 'string') {
    const fixed = parseFixed(value, 'yyyy-MM-dd');
    if (fixed && fixed.y >= 0 && fixed.m >= 0 && fixed.d >= 0 && valid(fixed)) return fixed;
  }
  const m = typeof value === 'string' ? (dateTime ? CANONICAL_DATE_TIME : CANONICAL_DATE).exec(value) : null;
  const parts = m && partsOf(m);
  if (!parts || !valid(parts)) {
    throw new ConversionFault(
      'date',
      `${describe(value)} 不是有效的${dateTime ? '日期时间（YYYY-MM-DDThh:mm:ss+08:00）' : '日期（YYYY-MM-DD）'}`,
    );
  }
  return parts;
}

function formatCanonical(p: Parts, dateTime: boolean): string {
  const date = `${p.y}-${p2(p.m)}-${p2(p.d)}`;
  return dateTime ? `${date}T${p2(p.hh)}:${p2(p.mm)}:${p2(p.ss)}+08:00` : date;
}

const DIALECT: Record<DateForm, { re: RegExp; example: string }> = {
  'yyyy-MM-dd': { re: /^(\d{4})-(\d{2})-(\d{2})$/, example: '2024-05-16' },
  yyyyMMdd: { re: /^(\d{4})(\d{2})(\d{2})$/, example: '20240516' },
  'yyyy/MM/dd': { re: /^(\d{4})\/(\d{2})\/(\d{2})$/, example: '2024/05/16' },
  'yyyy/MM/dd HH:mm:ss': {
    re: /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
    example: '2024/05/16 09:30:00',
  },
  'yyyy-MM-dd HH:mm:ss': {
    re: /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/,
    example: '2024-05-16 09:30:00',
  },
  'iso-offset': {
    re: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    example: '2024-05-16T09:30:00+08:00',
  },
  yyyy年M月d日: { re: /^(\d{4})年(\d{1,2})月(\d{1,2})日$/, example: '2024年5月16日' },
  'yyyy年M月d日 HH:mm:ss': {
    re: /^(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2}):(\d{2})$/,
    example: '2024年5月16日 09:30:00',
  },
};

/** Digits at fixed positions, read without a regular expression (the forms most systems use). */
function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * `yyyyMMdd` → `YYYY-MM-DD` for a valid calendar date, else undefined (the caller then goes through
 * the conversion, which reports the fault). A plain function, so the field loop can call it directly.
 */
export function compactToIsoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 8) return undefined;
  const y = digitsAt(value, 0, 4);
  const m = digitsAt(value, 4, 2);
  const d = digitsAt(value, 6, 2);
  if (y < 0 || m < 0 || d < 0 || !valid({ y, m, d, hh: 0, mm: 0, ss: 0 })) return undefined;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

function parseFixed(value: string, form: DateForm): Parts | undefined {
  if (form === 'yyyyMMdd' && value.length === 8) {
    return {
      y: digitsAt(value, 0, 4),
      m: digitsAt(value, 4, 2),
      d: digitsAt(value, 6, 2),
      hh: 0,
      mm: 0,
      ss: 0,
    };
  }
  if (form === 'yyyy-MM-dd' && value.length === 10 && value[4] === '-' && value[7] === '-') {
    return {
      y: digitsAt(value, 0, 4),
      m: digitsAt(value, 5, 2),
      d: digitsAt(value, 8, 2),
      hh: 0,
      mm: 0,
      ss: 0,
    };
  }
  return undefined;
}

function parseDialect(value: unknown, form: DateForm): Parts {
  const fixed = typeof value === 'string' ? parseFixed(value, form) : undefined;
  if (fixed && fixed.y >= 0 && fixed.m >= 0 && fixed.d >= 0 && valid(fixed)) return fixed;
  const m = typeof value === 'string' ? DIALECT[form].re.exec(value) : null;
  if (m) {
    let parts = partsOf(m);
    if (valid(parts)) {
      if (form === 'iso-offset') parts = toChinaTime(parts, m[7]!);
      return parts;
    }
  }
  throw new ConversionFault(
    'date',
    `${describe(value)} 不是有效日期，应为形如“${DIALECT[form].example}”的格式`,
  );
}

/** Moves a time given with any offset to +08:00. */
function toChinaTime(p: Parts, offset: string): Parts {
  // Most documents already give China time: no Date to build.
  if (offset === '+08:00') return p;
  const minutes =
    offset === 'Z'
      ? 0
      : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const t = new Date(Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm, p.ss) + (480 - minutes) * 60_000);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    hh: t.getUTCHours(),
    mm: t.getUTCMinutes(),
    ss: t.getUTCSeconds(),
  };
}

function formatDialect(p: Parts, form: DateForm): string {
  switch (form) {
    case 'yyyy-MM-dd':
      return `${p.y}-${p2(p.m)}-${p2(p.d)}`;
    case 'yyyyMMdd':
      return `${p.y}${p2(p.m)}${p2(p.d)}`;
    case 'yyyy/MM/dd':
      return `${p.y}/${p2(p.m)}/${p2(p.d)}`;
    case 'yyyy/MM/dd HH:mm:ss':
      return `${p.y}/${p2(p.m)}/${p2(p.d)} ${p2(p.hh)}:${p2(p.mm)}:${p2(p.ss)}`;
    case 'yyyy-MM-dd HH:mm:ss':
      return `${p.y}-${p2(p.m)}-${p2(p.d)} ${p2(p.hh)}:${p2(p.mm)}:${p2(p.ss)}`;
    case 'iso-offset':
      return `${p.y}-${p2(p.m)}-${p2(p.d)}T${p2(p.hh)}:${p2(p.mm)}:${p2(p.ss)}+08:00`;
    case 'yyyy年M月d日':
      return `${p.y}年${p.m}月${p.d}日`;
    case 'yyyy年M月d日 HH:mm:ss':
      return `${p.y}年${p.m}月${p.d}日 ${p2(p.hh)}:${p2(p.mm)}:${p2(p.ss)}`;
  }
}

/**
 * `"date": FORM`. For a canonical `when` (date or date-time, core 2) the precision of the value is
 * kept both ways (see `whenConversion`). For a canonical date or date-time (core 1, kept as
 * published): a canonical date written to a form with a time gets 00:00:00; a canonical date-time
 * written to a date-only form loses its time (declare the rule lossy).
 */
export const date: ConversionFactory = (option, facts) => {
  if (!(DATE_FORMS as readonly unknown[]).includes(option))
    return `"date" must be one of ${DATE_FORMS.join(', ')}`;
  const form = option as DateForm;
  if (facts.formats?.includes('date') && facts.formats.includes('date-time')) return whenConversion(form);
  if (facts.format !== 'date' && facts.format !== 'date-time') {
    return 'the canonical field of a "date" rule must have format date or date-time, or be a `when` (either)';
  }
  const dateTime = facts.format === 'date-time';
  if (form === 'yyyyMMdd' && !dateTime) {
    // The commonest case, without building a date: check the digits and the calendar, then slice.
    return {
      compactDate: true,
      toCanonical: (value) => compactToIsoDate(value) ?? formatCanonical(parseDialect(value, form), dateTime),
      toDialect: (value) => formatDialect(parseCanonical(value, dateTime), form),
    };
  }
  return {
    toCanonical: (value) => formatCanonical(parseDialect(value, form), dateTime),
    toDialect: (value) => formatDialect(parseCanonical(value, dateTime), form),
  };
};

/** The forms that write a time of day, and the date-only form each one shortens to for a date. */
const DATE_PART: Partial<Record<DateForm, DateForm>> = {
  'yyyy/MM/dd HH:mm:ss': 'yyyy/MM/dd',
  'yyyy-MM-dd HH:mm:ss': 'yyyy-MM-dd',
  'iso-offset': 'yyyy-MM-dd',
  'yyyy年M月d日 HH:mm:ss': 'yyyy年M月d日',
};

/** A form with its time of day optional (a `when` value is a date or a date-time). */
const WHEN: Partial<Record<DateForm, RegExp>> = {
  'yyyy/MM/dd HH:mm:ss': /^(\d{4})\/(\d{2})\/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/,
  'yyyy-MM-dd HH:mm:ss': /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/,
  'iso-offset': /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/,
  'yyyy年M月d日 HH:mm:ss': /^(\d{4})年(\d{1,2})月(\d{1,2})日(?: (\d{2}):(\d{2}):(\d{2}))?$/,
};

/** A dialect `when`: its parts, and whether it states a time of day. */
function parseWhen(value: unknown, form: DateForm): { parts: Parts; time: boolean } {
  const re = WHEN[form];
  if (re === undefined) return { parts: parseDialect(value, form), time: false };
  const m = typeof value === 'string' ? re.exec(value) : null;
  if (m) {
    const parts = partsOf(m);
    const time = m[4] !== undefined;
    if (valid(parts)) return { parts: time && m[7] !== undefined ? toChinaTime(parts, m[7]) : parts, time };
  }
  const short = DATE_PART[form]!;
  throw new ConversionFault(
    'date',
    `${describe(value)} 不是有效日期或日期时间，应为形如“${DIALECT[form].example}”或只有日期（${short}）的格式`,
  );
}

function parseCanonicalWhen(value: unknown): { parts: Parts; time: boolean } {
  const m =
    typeof value === 'string'
      ? value.length === 10
        ? CANONICAL_DATE.exec(value)
        : CANONICAL_DATE_TIME.exec(value)
      : null;
  const parts = m && partsOf(m);
  if (!parts || !valid(parts)) {
    throw new ConversionFault(
      'date',
      `${describe(value)} 不是有效的日期（YYYY-MM-DD）或日期时间（YYYY-MM-DDThh:mm:ss+08:00）`,
    );
  }
  return { parts, time: m.length > 4 && m[4] !== undefined };
}

function formatWhen(p: Parts, time: boolean, form: DateForm): string {
  return formatDialect(p, time ? form : (DATE_PART[form] ?? form));
}

/**
 * `"date"` on a canonical `when` (core 2: a date, or a date-time when the time of day is known).
 * The precision is the value's, never invented: a dialect value with a time of day becomes a
 * date-time, one without a date, and back. A form with a time writes a date without one
 * (`2025-10-09`, not `2025-10-09 00:00:00`); a date-only form cannot carry a canonical time of day,
 * so it writes the date and says so (`losesTime`: the rule must be declared lossy towards the dialect).
 */
function whenConversion(form: DateForm): Conversion {
  const toCanonical = (value: unknown) => {
    const { parts, time } = parseWhen(value, form);
    return formatCanonical(parts, time);
  };
  const toDialect = (value: unknown) => {
    const { parts, time } = parseCanonicalWhen(value);
    return formatWhen(parts, time, form);
  };
  if (DATE_PART[form] !== undefined) return { toCanonical, toDialect };
  if (form === 'yyyyMMdd')
    return {
      compactDate: true,
      losesTime: true,
      toCanonical: (value) => compactToIsoDate(value) ?? toCanonical(value),
      toDialect,
    };
  return { losesTime: true, toCanonical, toDialect };
}
