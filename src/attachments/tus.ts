import { type DigestAlgorithm, SM3_PREFIX, toHex } from '../envelope/digest.js';
import { YrdxError } from '../errors/errors.js';
import { type TextParams, type TextTable, textOf } from '../errors/text.js';

/**
 * The headers of tus 1.0 (https://tus.io/protocols/resumable-upload): core, creation,
 * creation-with-upload, termination and expiration, read strictly — every number is digits only,
 * every metadata value strict Base64 of UTF-8 text, the whole bounded — and written back. No I/O:
 * the routes hand in header values and get typed values or a `YrdxError`.
 *
 * Refused on purpose: `Upload-Defer-Length` (the node needs the length to bound the upload when it is
 * created) and any version but 1.0.0. The checksum extension is parsed (`parseChecksum`) but not
 * announced.
 */

export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = ['creation', 'creation-with-upload', 'termination', 'expiration'] as const;

export const MAX_METADATA_BYTES = 4096;
export const MAX_METADATA_PAIRS = 32;
/** The most digits a length or offset may have (2^53 has 16; the header rule allows 20). */
export const MAX_NUMBER_DIGITS = 20;

export const TUS_TEXT = {
  zh: {
    missing: '缺少此请求头。',
    number: '必须是不带符号、空格或小数点的十进制整数（最多 {limit} 位）。',
    tooLarge: '数值超出可处理的范围。',
    defer: '本节点在创建上传时就需要知道文件长度，不支持 Upload-Defer-Length，请给出 Upload-Length。',
    long: '超过 {limit} 字节。',
    chars: '只能包含可见的 ASCII 字符（值须为 Base64 编码）。',
    many: '超过 {limit} 个键值对。',
    empty: '第 {index} 项为空。',
    pair: '第 {index} 项不是“键 空格 Base64 值”的形式。',
    duplicate: '键 {key} 出现了不止一次。',
    base64: '键 {key} 的值不是有效的 Base64。',
    utf8: '键 {key} 的值不是有效的 UTF-8 文本。',
    conflict: '键 {key} 与 {other} 指同一项，但值不同。',
    mediaType: '键 {key} 的值不是媒体类型（例如 application/pdf）。',
    digest: '键 {key} 的值应为 64 位十六进制摘要。',
    checksum: '应为“算法 空格 Base64 摘要”的形式。',
    algorithm: '不支持摘要算法 {algorithm}（支持 sha256、sm3）。',
    checksumLength: '摘要长度应为 32 字节。',
  },
  en: {
    missing: 'the header is missing.',
    number: 'it must be a decimal integer with no sign, space or point (at most {limit} digits).',
    tooLarge: 'the number is too large.',
    defer:
      'this node needs the length when the upload is created and does not support Upload-Defer-Length; give Upload-Length.',
    long: 'it is longer than {limit} bytes.',
    chars: 'it may hold visible ASCII characters only (values are Base64 encoded).',
    many: 'it holds more than {limit} pairs.',
    empty: 'item {index} is empty.',
    pair: 'item {index} is not of the form “key space base64-value”.',
    duplicate: 'the key {key} appears more than once.',
    base64: 'the value of {key} is not valid Base64.',
    utf8: 'the value of {key} is not valid UTF-8 text.',
    conflict: 'the keys {key} and {other} name the same item with different values.',
    mediaType: 'the value of {key} is not a media type (such as application/pdf).',
    digest: 'the value of {key} should be a digest of 64 hex digits.',
    checksum: 'it should be of the form “algorithm space base64-digest”.',
    algorithm: 'the digest algorithm {algorithm} is not supported (sha256 and sm3 are).',
    checksumLength: 'the digest should be 32 bytes long.',
  },
} as const satisfies TextTable;

type Reason = keyof typeof TUS_TEXT.zh;

function invalid(header: string, reason: Reason, params: TextParams = {}): YrdxError {
  return new YrdxError('upload_header_invalid', {
    params: { header, reason: textOf(TUS_TEXT, reason, params) },
  });
}

/** A header as given in a request: absent is null (Fetch `Headers.get`) or undefined. */
export type HeaderValue = string | null | undefined;

/** Throws `tus_version_unsupported` unless the request speaks tus 1.0.0 (a missing header included). */
export function checkTusResumable(value: HeaderValue): void {
  if (value === TUS_VERSION) return;
  const given = value === null || value === undefined ? '' : value.slice(0, 40);
  throw new YrdxError('tus_version_unsupported', {
    params: { given: given === '' ? { zh: '（无）', en: '(none)' } : given },
  });
}

const DIGITS = new RegExp(`^[0-9]{1,${MAX_NUMBER_DIGITS}}$`);

/** A non-negative integer header (`Upload-Length`, `Upload-Offset`): digits only, a safe integer. */
function parseCount(header: string, value: HeaderValue): number {
  if (value === null || value === undefined) throw invalid(header, 'missing');
  if (!DIGITS.test(value)) throw invalid(header, 'number', { limit: MAX_NUMBER_DIGITS });
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalid(header, 'tooLarge');
  return n;
}

export const parseUploadLength = (value: HeaderValue): number => parseCount('Upload-Length', value);
export const parseUploadOffset = (value: HeaderValue): number => parseCount('Upload-Offset', value);

/** What a client may tell about its file in `Upload-Metadata` (other keys are ignored). */
export interface UploadMetadata {
  /** `filename` (tus-js-client) or `name` (Uppy sends both). */
  readonly name?: string;
  /** `filetype`, `type` or `mediaType`, as given ('' counts as absent). */
  readonly mediaType?: string;
  /** The SHA-256 the client expects, as 64 lower-case hex digits. */
  readonly sha256?: string;
  /** The SM3 the client expects, as 64 lower-case hex digits (an `sm3:` prefix is taken off). */
  readonly sm3?: string;
}

const ALIASES = {
  name: ['filename', 'name'],
  mediaType: ['filetype', 'type', 'mediaType'],
  sha256: ['sha256'],
  sm3: ['sm3'],
} as const satisfies Record<keyof UploadMetadata, readonly string[]>;

const VISIBLE_ASCII = /^[\x20-\x7e]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[\\x20-\\x7e]*)?$`);
const HEX64 = /^[0-9a-fA-F]{64}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Strict Base64 (RFC 4648 §4; the padding may be left off): no other characters, and zero bits after
 * the last byte, so that one text decodes to one byte sequence. Undefined when it is not.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    value = (value << 6) | B64.indexOf(body[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
      value &= (1 << bits) - 1;
    }
  }
  return value === 0 ? out : undefined;
}

/** The pairs of `Upload-Metadata`, decoded: key → text ('' for a key given without a value). */
export function parseMetadataPairs(value: HeaderValue): ReadonlyMap<string, string> {
  const header = 'Upload-Metadata';
  const pairs = new Map<string, string>();
  if (value === null || value === undefined || value === '') return pairs;
  if (value.length > MAX_METADATA_BYTES) throw invalid(header, 'long', { limit: MAX_METADATA_BYTES });
  if (!VISIBLE_ASCII.test(value)) throw invalid(header, 'chars');
  const items = value.split(',');
  if (items.length > MAX_METADATA_PAIRS) throw invalid(header, 'many', { limit: MAX_METADATA_PAIRS });
  items.forEach((item, i) => {
    // Spaces around a pair are let go (tusd does the same); inside it, one space parts key and value.
    const pair = item.trim();
    if (pair === '') throw invalid(header, 'empty', { index: i + 1 });
    const parts = pair.split(' ');
    if (parts.length > 2) throw invalid(header, 'pair', { index: i + 1 });
    const [key, encoded = ''] = parts as [string, string?];
    if (pairs.has(key)) throw invalid(header, 'duplicate', { key });
    const bytes = decodeBase64(encoded);
    if (bytes === undefined) throw invalid(header, 'base64', { key });
    try {
      pairs.set(key, utf8.decode(bytes));
    } catch {
      throw invalid(header, 'utf8', { key });
    }
  });
  return pairs;
}

/** The known items of `Upload-Metadata`, each checked; a client that names one twice must agree with itself. */
export function parseMetadata(value: HeaderValue): UploadMetadata {
  const header = 'Upload-Metadata';
  const pairs = parseMetadataPairs(value);
  const out: { -readonly [K in keyof UploadMetadata]: UploadMetadata[K] } = {};
  for (const [item, keys] of Object.entries(ALIASES) as [keyof UploadMetadata, readonly string[]][]) {
    let from: string | undefined;
    for (const key of keys) {
      const text = pairs.get(key);
      if (text === undefined) continue;
      if (from !== undefined && out[item] !== text)
        throw invalid(header, 'conflict', { key: from, other: key });
      from ??= key;
      out[item] = text;
    }
    const text = out[item];
    if (from === undefined || text === undefined) continue;
    if (item === 'mediaType') {
      if (text === '') delete out.mediaType;
      else if (!MEDIA_TYPE.test(text)) throw invalid(header, 'mediaType', { key: from });
    } else if (item === 'sha256' || item === 'sm3') {
      const hex = item === 'sm3' && text.startsWith(SM3_PREFIX) ? text.slice(SM3_PREFIX.length) : text;
      if (!HEX64.test(hex)) throw invalid(header, 'digest', { key: from });
      out[item] = hex.toLowerCase();
    }
  }
  return out;
}

/** What `POST /v1/uploads` asks for: the length (never deferred) and the metadata. */
export interface UploadCreation {
  readonly length: number;
  readonly metadata: UploadMetadata;
}

/** The tus headers of a creation request, `Tus-Resumable` included. */
export function parseCreation(get: (name: string) => HeaderValue): UploadCreation {
  checkTusResumable(get('Tus-Resumable'));
  if (get('Upload-Defer-Length') != null) throw invalid('Upload-Defer-Length', 'defer');
  return { length: parseUploadLength(get('Upload-Length')), metadata: parseMetadata(get('Upload-Metadata')) };
}

/** `Upload-Checksum` (the checksum extension): the digest in yrdx's kept form, comparable with a hasher's. */
export interface UploadChecksum {
  readonly algorithm: DigestAlgorithm;
  /** 64 hex digits for SHA-256, `sm3:` + 64 hex digits for SM3 (src/envelope/digest.ts). */
  readonly digest: string;
}

const CHECKSUM_ALGORITHMS: Readonly<Record<string, DigestAlgorithm>> = { sha256: 'SHA-256', sm3: 'SM3' };

export function parseChecksum(value: HeaderValue): UploadChecksum | undefined {
  const header = 'Upload-Checksum';
  if (value === null || value === undefined) return undefined;
  const parts = value.length > 200 ? [] : value.split(' ');
  if (parts.length !== 2) throw invalid(header, 'checksum');
  const [name, encoded] = parts as [string, string];
  const algorithm = Object.hasOwn(CHECKSUM_ALGORITHMS, name) ? CHECKSUM_ALGORITHMS[name] : undefined;
  if (algorithm === undefined) throw invalid(header, 'algorithm', { algorithm: name.slice(0, 20) });
  const bytes = decodeBase64(encoded);
  if (bytes === undefined) throw invalid(header, 'checksum');
  if (bytes.length !== 32) throw invalid(header, 'checksumLength');
  return { algorithm, digest: (algorithm === 'SM3' ? SM3_PREFIX : '') + toHex(bytes) };
}

/** The header every tus response carries (but that of OPTIONS). */
export const tusHeaders = (): Record<string, string> => ({ 'Tus-Resumable': TUS_VERSION });

/** The answer to `OPTIONS /v1/uploads`: what this node speaks and the largest upload it takes. */
export function tusOptionsHeaders(maxSize: number): Record<string, string> {
  return {
    'Tus-Resumable': TUS_VERSION,
    'Tus-Version': TUS_VERSION,
    'Tus-Extension': TUS_EXTENSIONS.join(','),
    'Tus-Max-Size': String(maxSize),
  };
}

/** `Upload-Expires`: an HTTP date (RFC 7231 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`). */
export function uploadExpires(at: number | Date): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) throw new RangeError('not a time');
  return date.toUTCString();
}

/** The answer to `HEAD /v1/uploads/{id}` (and what PATCH and creation answer with). */
export function uploadStateHeaders(state: {
  offset: number;
  length: number;
  expires?: number;
}): Record<string, string> {
  return {
    ...tusHeaders(),
    'Upload-Offset': String(state.offset),
    'Upload-Length': String(state.length),
    'Cache-Control': 'no-store',
    ...(state.expires === undefined ? {} : { 'Upload-Expires': uploadExpires(state.expires) }),
  };
}
