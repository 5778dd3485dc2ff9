import { idNumberCheckCharacter } from '../contracts/identifiers/id-number.js';

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

const MAX_DEPTH = 8;

/** A redacted copy of any value, for a log line: errors become plain objects with redacted text. */
export function redactValue(value: unknown, options: RedactOptions = {}): unknown {
  return walk(value, options, 0, new WeakSet());
}

/** The fields of one log line, redacted. */
export function redactFields(
  fields: Record<string, unknown>,
  options: RedactOptions = {},
): Record<string, unknown> {
  return walk(fields, options, 0, new WeakSet()) as Record<string, unknown>;
}

function walk(value: unknown, options: RedactOptions, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown; cause?: unknown };
    return {
      type: error.name,
      message: redactText(error.message),
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
      ...(error.stack === undefined ? {} : { stack: redactText(error.stack) }),
      ...(error.cause === undefined ? {} : { cause: walk(error.cause, options, depth + 1, seen) }),
    };
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, options, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const lower = name.toLowerCase();
    if (SECRET_MEMBERS.has(lower)) out[name] = REDACTED;
    else if (!options.payloads && PAYLOAD_MEMBERS.has(lower)) out[name] = PAYLOAD_OMITTED;
    else out[name] = walk(member, options, depth + 1, seen);
  }
  return out;
}
