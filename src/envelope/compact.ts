// Hand-written, not jose's compactVerify: every part canonical base64url, each fault its own code.
import { YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';
import { decodeBase64UrlBytes, isBase64UrlAlphabet } from './base64url.js';
import { envelopeReason } from './reason-text.js';

/** The three parts of a compact JWS, as decoded bytes, and the bytes that were signed. */
export interface CompactParts {
  readonly token: string;
  readonly header: Uint8Array;
  /**
   * The payload, decoded when first read: its base64url is only checked for its alphabet when the
   * token is split, so that a token is refused for its signature before its payload is decoded.
   * Reading it throws `jws_base64url_noncanonical` when the payload part is not canonical.
   */
  readonly payload: Uint8Array;
  /** Characters of the payload part (base64url), known without decoding it. */
  readonly payloadLength: number;
  readonly signature: Uint8Array;
  /** The ASCII bytes of `BASE64URL(header) || '.' || BASE64URL(payload)`. */
  readonly signingInput: Uint8Array;
}

const PART_NAMES = ['header', 'payload', 'signature'] as const;
const encoder = new TextEncoder();

/**
 * Splits a compact JWS under RFC 7515 §7.1 read strictly: exactly three non-empty base64url parts,
 * no padding, no whitespace, no other characters, each part canonical (the payload's canonical form
 * when it is decoded, see `CompactParts.payload`). The size limit is checked before anything else.
 */
export function splitCompact(token: unknown, maxBytes: number): CompactParts {
  if (typeof token !== 'string') {
    throw new YrdxError('jws_not_compact', { params: { reason: envelopeReason('notString') } });
  }
  if (token.length > maxBytes) throw new YrdxError('jws_too_large', { params: { limit: maxBytes } });
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw new YrdxError('jws_not_compact', { params: { reason: envelopeReason('threeParts') } });
  }
  const bytes = encoder.encode(token);
  if (bytes.length !== token.length) {
    throw new YrdxError('jws_not_compact', {
      params: { reason: envelopeReason('contains', { what: describeBad(token) }) },
    });
  }
  const bounds = [
    [0, first],
    [first + 1, second],
    [second + 1, bytes.length],
  ] as const;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const [start, end] = bounds[i]!;
    if (start === end) {
      throw new YrdxError('jws_not_compact', {
        params: { reason: envelopeReason('partEmpty', { part: envelopeReason(PART_NAMES[i]!) }) },
      });
    }
    const decoded =
      i === 1
        ? isBase64UrlAlphabet(bytes, start, end)
          ? EMPTY
          : 'character'
        : decodeBase64UrlBytes(bytes, start, end);
    if (decoded === 'character') {
      throw new YrdxError('jws_not_compact', {
        params: {
          reason: envelopeReason('partCharacter', {
            part: envelopeReason(PART_NAMES[i]!),
            what: describeBad(token.slice(start, end)),
          }),
        },
      });
    }
    if (typeof decoded === 'string')
      throw new YrdxError('jws_base64url_noncanonical', { params: { part: i + 1 } });
    parts.push(decoded);
  }
  let payload: Uint8Array | undefined;
  return {
    token,
    header: parts[0]!,
    get payload(): Uint8Array {
      if (payload === undefined) {
        const decoded = decodeBase64UrlBytes(bytes, first + 1, second);
        if (typeof decoded === 'string')
          throw new YrdxError('jws_base64url_noncanonical', { params: { part: 2 } });
        payload = decoded;
      }
      return payload;
    },
    payloadLength: second - first - 1,
    signature: parts[2]!,
    signingInput: bytes.subarray(0, second),
  };
}

const EMPTY = new Uint8Array(0);

function describeBad(text: string): LocalText {
  for (const ch of text) {
    if (/^[A-Za-z0-9_.-]$/.test(ch)) continue;
    if (ch === '=') return envelopeReason('padding');
    if (/^\s$/.test(ch)) return envelopeReason('whitespace');
    if (ch === '+' || ch === '/') return envelopeReason('standardBase64', { character: ch });
    return envelopeReason('codePoint', {
      codePoint: `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    });
  }
  return envelopeReason('unexpected');
}
