/**
 * Strict base64url (RFC 4648 §5, no padding) as JWS requires. Decoding accepts only the canonical
 * form: no padding, no other characters, and zero trailing bits, so that every encoded string maps to
 * exactly one byte sequence and a changed character can never decode to the same bytes.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const ENCODE_PAIRS: string[] = [];
for (let i = 0; i < 4096; i++) ENCODE_PAIRS.push(ALPHABET[i >> 6]! + ALPHABET[i & 63]!);

export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  const whole = n - (n % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ENCODE_PAIRS[v >> 12]! + ENCODE_PAIRS[v & 4095]!;
  }
  const rest = n - whole;
  if (rest === 1) {
    const v = bytes[i]!;
    out += ALPHABET[v >> 2]! + ALPHABET[(v & 3) << 4]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    out += ALPHABET[v >> 10]! + ALPHABET[(v >> 4) & 63]! + ALPHABET[(v & 15) << 2]!;
  }
  return out;
}

const encoder = new TextEncoder();
export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(encoder.encode(text));
}

/** Why a string is not canonical base64url, or undefined when it decodes. */
export type Base64UrlFault = 'character' | 'length' | 'trailing-bits';

/**
 * Decodes canonical base64url. Returns the fault instead of throwing so that callers can report it
 * under their own error code.
 */
export function decodeBase64Url(text: string): Uint8Array | Base64UrlFault {
  const n = text.length;
  const tail = n % 4;
  if (tail === 1) return 'length';
  const whole = n - tail;
  const out = new Uint8Array((whole / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return 'character';
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (tail === 2) {
    const a = sextet(text, whole);
    const b = sextet(text, whole + 1);
    if ((a | b) < 0) return 'character';
    if ((b & 15) !== 0) return 'trailing-bits';
    out[o++] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = sextet(text, whole);
    const b = sextet(text, whole + 1);
    const c = sextet(text, whole + 2);
    if ((a | b | c) < 0) return 'character';
    if ((c & 3) !== 0) return 'trailing-bits';
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DECODE[code]! : -1;
}
