// Hand-written, not jose's: jose allows any header parameter; yrdx refuses unknown ones and embedded keys.
import { YrdxError } from '../errors/errors.js';
import {
  clipText,
  decodeUtf8Strict,
  findUnsafeText,
  isUnsafeText,
  mayHoldUnsafeText,
} from '../text/safe-text.js';
import { envelopeReason } from './reason-text.js';
import { parseStrictJson } from './strict-json.js';

/** The protected header parameters yrdx uses. Everything else is refused, see `checkHeader`. */
export interface ProtectedHeader {
  readonly alg: unknown;
  readonly kid?: string;
  readonly typ?: string;
}

/** Header parameters that would let the message choose its own verification key. */
const EMBEDDED_KEY_PARAMS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
const KNOWN_PARAMS = new Set(['alg', 'kid', 'typ']);
const HEADER_MAX_DEPTH = 4;

/**
 * Decodes a JWS part as UTF-8 JSON that must be one object without duplicate members and within
 * the depth limit; each fault under the part's own code. A string holding NUL or a lone surrogate
 * (spelled as a `\u` escape: UTF-8 itself cannot carry one) is `text_invalid`, as in every other
 * input: no store could keep it.
 */
export function parseJsonObjectPart(
  bytes: Uint8Array,
  part: 'header' | 'payload',
  maxDepth: number,
): Record<string, unknown> {
  const invalid = part === 'header' ? 'jws_header_invalid' : 'jws_payload_invalid';
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new YrdxError(invalid, { params: { reason: envelopeReason('notUtf8') } });
  const parsed = parseStrictJson(text, maxDepth);
  if (!parsed.ok) {
    if (parsed.fault === 'duplicate') {
      const code = part === 'header' ? 'jws_header_duplicate_member' : 'jws_payload_duplicate_member';
      throw new YrdxError(code, { params: { member: clip(parsed.member) } });
    }
    if (parsed.fault === 'depth')
      throw new YrdxError('jws_json_too_deep', { params: { part, limit: maxDepth } });
    throw new YrdxError(invalid, { params: { reason: envelopeReason('notJson') } });
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YrdxError(invalid, { params: { reason: envelopeReason('notObject') } });
  }
  const pointer = mayHoldUnsafeText(text) ? findUnsafeText(value) : undefined;
  if (pointer !== undefined) {
    const at = `${part}${isUnsafeText(pointer) ? '' : clip(pointer)}`;
    throw new YrdxError('text_invalid', { params: { at } });
  }
  return value as Record<string, unknown>;
}

/**
 * Parses and checks the protected header: a JSON object without duplicate members, no key or key
 * location taken from the message, no critical extensions, no parameter this protocol does not use,
 * and `kid`/`typ` as strings when present.
 */
export function parseProtectedHeader(bytes: Uint8Array): ProtectedHeader {
  const record = parseJsonObjectPart(bytes, 'header', HEADER_MAX_DEPTH);
  for (const name of EMBEDDED_KEY_PARAMS) {
    if (Object.hasOwn(record, name))
      throw new YrdxError('jws_header_embedded_key', { params: { member: name } });
  }
  if (Object.hasOwn(record, 'crit')) throw new YrdxError('jws_crit_unsupported');
  for (const name of Object.keys(record)) {
    if (!KNOWN_PARAMS.has(name))
      throw new YrdxError('jws_header_param_unknown', { params: { member: clip(name) } });
  }
  if (record.kid !== undefined && (typeof record.kid !== 'string' || record.kid.length === 0)) {
    throw new YrdxError('jws_header_invalid', { params: { reason: envelopeReason('kid') } });
  }
  if (record.typ !== undefined && typeof record.typ !== 'string') {
    throw new YrdxError('jws_header_invalid', { params: { reason: envelopeReason('typ') } });
  }
  return record as unknown as ProtectedHeader;
}

/** Keeps attacker-chosen names short in error texts, and free of text no store keeps. */
export function clip(text: string): string {
  if (isUnsafeText(text)) return '(unprintable)';
  return text.length > 40 ? `${clipText(text, 40)}…` : text;
}
