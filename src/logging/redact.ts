import { idNumberCheckCharacter } from '../vocabulary/identifiers/id-number.js';

/**
 * Log redaction, the same on every runtime. Logs never hold personal data, key material or
 * credentials, and never whole message payloads unless an operator turns payloads on:
 *
 * - In any string: 公民身份号码 (18 characters with a valid ISO 7064 MOD 11-2 check, or a valid
 *   birth date), mobile numbers (1[3-9]xxxxxxxxx, with or without +86 and separators), landline
 *   numbers (0 + area code + 7–8 digits, e.g. 0572-6022517), JWS/JWT compact tokens, `Bearer` and
 *   `Basic` credentials, and PEM private keys.
 * - Members whose name says they hold a secret (`authorization`, `cookie`, `apiKey`, `token`,
 *   `privateJwk`, `password`, `secret`) and the private members of a JWK (`d`, `p`, `q`, `dp`, `dq`,
 *   `qi`, and `k` of a symmetric key) are replaced whole.
 * - Payload members (`body`, `canonical`, `payload`, `document`) are replaced by a note unless
 *   `payloads` is true; when logged, they are still redacted as above.
 */
export interface RedactOptions {
  readonly payloads?: boolean;
}

export const REDACTED = '[redacted]';
export const PAYLOAD_OMITTED = '[payload omitted]';

const SECRET_MEMBERS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'apikey',
  'api_key',
  'x-api-key',
  'token',
  'privatejwk',
  'password',
  'secret',
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'k',
]);
const PAYLOAD_MEMBERS = new Set(['body', 'canonical', 'payload', 'document']);

const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const JWS = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9A-Za-z])/g;
const LANDLINE =
  /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?[2-9]\d{6,7}(?:-\d{1,6})?(?![0-9A-Za-z])/g;

function looksLikeIdNumber(value: string): boolean {
  const upper = value.toUpperCase();
  if (idNumberCheckCharacter(upper.slice(0, 17)) === upper[17]) return true;
  // A mistyped check character is still someone's number: a valid birth date is enough.
  const year = Number(upper.slice(6, 10));
  const month = Number(upper.slice(10, 12));
  const day = Number(upper.slice(12, 14));
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Redacts personal data, tokens and credentials inside one string. */
export function redactText(text: string): string {
  if (text.length < 7) return text;
  return text
    .replace(PEM, '[private key]')
    .replace(JWS, '[token]')
    .replace(CREDENTIAL, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(ID_NUMBER, (m) => (looksLikeIdNumber(m) ? '[id-number]' : m))
    .replace(MOBILE, '[phone]')
    .replace(LANDLINE, '[phone]');
}

/**
 * Bounds of one log line. A hostile request must not turn into a megabyte log line (a document with
 * a fault per byte, a huge member name): strings are cut, lists and objects keep their first
 * entries and say how many were left out, and the whole line is bounded.
 */
export const LOG_LIMITS = {
  depth: 8,
  /** Characters of one string (message, field, stack). */
  string: 2048,
  /** Items of one array. */
  items: 20,
  /** Members of one object. */
  members: 50,
  /** Characters of all the fields of a line, as JSON. */
  line: 16 * 1024,
} as const;

/** The tighter bounds of a second pass, for a line still over `LOG_LIMITS.line`. */
const TIGHT = { ...LOG_LIMITS, string: 256, items: 5, members: 20 } as const;

type Limits = {
  readonly depth: number;
  readonly string: number;
  readonly items: number;
  readonly members: number;
};

/** A redacted copy of any value, for a log line: errors become plain objects with redacted text. */
export function redactValue(value: unknown, options: RedactOptions = {}): unknown {
  return walk(value, options, 0, new WeakSet(), LOG_LIMITS);
}

/** A log message, redacted and cut to the string bound. */
export function redactMessage(msg: string): string {
  return boundedText(msg, LOG_LIMITS.string);
}

/**
 * The fields of one log line, redacted and bounded: when the bounded fields are still longer than
 * `LOG_LIMITS.line` as JSON, they are walked again with tighter bounds, and as a last resort only
 * the short scalar members are kept, with `logTruncated: true`.
 */
export function redactFields(
  fields: Record<string, unknown>,
  options: RedactOptions = {},
): Record<string, unknown> {
  const out = walk(fields, options, 0, new WeakSet(), LOG_LIMITS) as Record<string, unknown>;
  if (jsonLength(out) <= LOG_LIMITS.line) return out;
  const tight = walk(fields, options, 0, new WeakSet(), TIGHT) as Record<string, unknown>;
  if (jsonLength(tight) <= LOG_LIMITS.line) return { ...tight, logTruncated: true };
  const kept: Record<string, unknown> = { logTruncated: true };
  for (const [name, value] of Object.entries(tight).slice(0, TIGHT.members)) {
    if (typeof value !== 'object' || value === null) kept[clip(name, 64)] = value;
  }
  return kept;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[+${text.length - max} chars]` : text;
}

/**
 * Redacted and cut to `max` characters. The patterns run over at most twice `max` characters, never
 * over a huge string; the tail of that head loses any number or token the first cut split, so that
 * no part of one survives unredacted.
 */
function boundedText(text: string, max: number): string {
  if (text.length <= max * 2) return clip(redactText(text), max);
  const head = text.slice(0, max * 2);
  const safe = redactText(head.slice(0, -40) + head.slice(-40).replace(/[0-9A-Za-z+()\s-]*$/, ''));
  return `${safe.slice(0, max)}…[+${text.length - max} chars]`;
}

function walk(
  value: unknown,
  options: RedactOptions,
  depth: number,
  seen: WeakSet<object>,
  limits: Limits,
): unknown {
  if (typeof value === 'string') return boundedText(value, limits.string);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= limits.depth) return '[too deep]';
  seen.add(value);
  const next = (v: unknown) => walk(v, options, depth + 1, seen, limits);
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown; cause?: unknown };
    return {
      type: error.name,
      message: next(error.message),
      ...(typeof error.code === 'string' ? { code: clip(error.code, 64) } : {}),
      ...(error.stack === undefined ? {} : { stack: next(error.stack) }),
      ...(error.cause === undefined ? {} : { cause: next(error.cause) }),
    };
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, limits.items).map(next);
    if (value.length > limits.items) items.push(`[+${value.length - limits.items} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (count++ >= limits.members) continue;
    const member = (value as Record<string, unknown>)[name];
    const lower = name.toLowerCase();
    const key = clip(name, 128);
    if (SECRET_MEMBERS.has(lower)) out[key] = REDACTED;
    else if (!options.payloads && PAYLOAD_MEMBERS.has(lower)) out[key] = PAYLOAD_OMITTED;
    else out[key] = next(member);
  }
  if (count > limits.members) out['…'] = `[+${count - limits.members} more members]`;
  return out;
}
