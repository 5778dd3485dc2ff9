import { YrdxError } from '../errors.js';
import { decodeBase64Url } from './base64url.js';

/** The three parts of a compact JWS, as text and as decoded bytes. */
export interface CompactParts {
  readonly token: string;
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes that were signed. */
  readonly signingInput: string;
}

const PART_NAMES = ['header', 'payload', 'signature'] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Splits a compact JWS under RFC 7515 §7.1 read strictly: exactly three non-empty base64url parts,
 * no padding, no whitespace, no other characters, each part canonical. The size limit is checked
 * before anything else is looked at.
 */
export function splitCompact(token: unknown, maxBytes: number): CompactParts {
  if (typeof token !== 'string') {
    throw new YrdxError('jws_not_compact', { params: { reason: 'not a string' } });
  }
  if (token.length > maxBytes) throw new YrdxError('jws_too_large', { params: { limit: maxBytes } });
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new YrdxError('jws_not_compact', { params: { reason: 'it must have exactly three parts' } });
  }
  const texts = [token.slice(0, first), token.slice(first + 1, second), token.slice(second + 1)] as const;
  const bytes: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const text = texts[i]!;
    if (text.length === 0) {
      throw new YrdxError('jws_not_compact', { params: { reason: `the ${PART_NAMES[i]} part is empty` } });
    }
    if (!BASE64URL.test(text)) {
      throw new YrdxError('jws_not_compact', {
        params: {
          reason: `the ${PART_NAMES[i]} part has a character outside base64url (${describeBad(text)})`,
        },
      });
    }
    const decoded = decodeBase64Url(text);
    if (typeof decoded === 'string')
      throw new YrdxError('jws_base64url_noncanonical', { params: { part: i + 1 } });
    bytes.push(decoded);
  }
  return {
    token,
    header: bytes[0]!,
    payload: bytes[1]!,
    signature: bytes[2]!,
    signingInput: token.slice(0, second),
  };
}

function describeBad(text: string): string {
  for (const ch of text) {
    if (/^[A-Za-z0-9_-]$/.test(ch)) continue;
    if (ch === '=') return 'padding "="';
    if (/^\s$/.test(ch)) return 'whitespace';
    if (ch === '+' || ch === '/') return `standard base64 "${ch}"`;
    return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return 'unknown';
}
