import { describe, expect, it } from 'vitest';
import {
  checkTusResumable,
  decodeBase64,
  MAX_METADATA_BYTES,
  MAX_METADATA_PAIRS,
  parseChecksum,
  parseCreation,
  parseMetadata,
  parseMetadataPairs,
  parseUploadLength,
  parseUploadOffset,
  TUS_TEXT,
  tusHeaders,
  tusOptionsHeaders,
  uploadExpires,
  uploadStateHeaders,
} from '../../src/attachments/tus.js';
import { type ErrorCode, isYrdxError, type YrdxError } from '../../src/errors/errors.js';
import { tableFaults } from '../helpers/one-language.js';

/** Every rule of the tus headers, each tried with inputs built to break it. */

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');
/** Metadata as tus-js-client writes it: `key base64(value)` joined with commas. */
const metadata = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');

function failure(run: () => unknown): YrdxError {
  try {
    run();
  } catch (e) {
    if (isYrdxError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The code, header and English reason of a refusal. */
function refusal(run: () => unknown): { code: ErrorCode; header: unknown; reason: string } {
  const e = failure(run);
  const reason = e.params.reason;
  return {
    code: e.code,
    header: e.params.header,
    reason: typeof reason === 'object' ? reason.en : String(reason),
  };
}

describe('Tus-Resumable', () => {
  it('accepts 1.0.0 only', () => {
    expect(() => checkTusResumable('1.0.0')).not.toThrow();
    for (const given of ['0.2.2', '1.0', '1.0.0 ', ' 1.0.0', '1.0.0,0.2.2', '1.0.1', '', null, undefined]) {
      const e = failure(() => checkTusResumable(given));
      expect(e.code).toBe('tus_version_unsupported');
      expect(e.status).toBe(412);
    }
  });

  it('names what was given, bounded, or says none was', () => {
    expect(failure(() => checkTusResumable('9'.repeat(5000))).params.given).toBe('9'.repeat(40));
    expect(failure(() => checkTusResumable(null)).detail('zh')).toContain('（无）');
    expect(failure(() => checkTusResumable(undefined)).detail('en')).toContain('(none)');
  });
});

describe('Upload-Length and Upload-Offset', () => {
  it.each([
    ['0', 0],
    ['5', 5],
    ['0005', 5],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('read %s', (value, n) => {
    expect(parseUploadLength(value)).toBe(n);
    expect(parseUploadOffset(value)).toBe(n);
  });

  it.each([
    ['-1', 'number'],
    ['+5', 'number'],
    ['1e3', 'number'],
    ['5.0', 'number'],
    ['0x10', 'number'],
    [' 5', 'number'],
    ['5 ', 'number'],
    ['5,6', 'number'],
    ['', 'number'],
    ['١٢', 'number'],
    ['１２', 'number'],
    ['Infinity', 'number'],
    ['NaN', 'number'],
    ['123456789012345678901', 'number'],
    ['9007199254740992', 'tooLarge'],
    ['99999999999999999999', 'tooLarge'],
    [null, 'missing'],
  ])('refuse %j', (value, reason) => {
    for (const [parse, header] of [
      [parseUploadLength, 'Upload-Length'],
      [parseUploadOffset, 'Upload-Offset'],
    ] as const) {
      const r = refusal(() => parse(value));
      expect(r).toEqual({
        code: 'upload_header_invalid',
        header,
        reason: TUS_TEXT.en[reason as 'number'].replace('{limit}', '20'),
      });
    }
  });
});

describe('creation', () => {
  const headers = (h: Record<string, string>) => {
    const real = new Headers(h);
    return (name: string) => real.get(name);
  };

  it('reads the length and the metadata', () => {
    const created = parseCreation(
      headers({
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '1048576',
        'Upload-Metadata': metadata({ filename: '现场检查笔录.pdf', filetype: 'application/pdf' }),
      }),
    );
    expect(created).toEqual({
      length: 1048576,
      metadata: { name: '现场检查笔录.pdf', mediaType: 'application/pdf' },
    });
  });

  it('refuses a deferred length: the node needs it to bound the upload', () => {
    const r = refusal(() =>
      parseCreation(headers({ 'Tus-Resumable': '1.0.0', 'Upload-Defer-Length': '1', 'Upload-Length': '5' })),
    );
    expect(r).toMatchObject({ code: 'upload_header_invalid', header: 'Upload-Defer-Length' });
  });

  it('refuses a creation without a length, or of another version', () => {
    expect(refusal(() => parseCreation(headers({ 'Tus-Resumable': '1.0.0' })))).toMatchObject({
      header: 'Upload-Length',
      reason: TUS_TEXT.en.missing,
    });
    expect(failure(() => parseCreation(headers({ 'Upload-Length': '5' }))).code).toBe(
      'tus_version_unsupported',
    );
  });
});

describe('Upload-Metadata', () => {
  it('decodes Chinese names and the known keys, and ignores the rest', () => {
    const sha = 'AB'.repeat(32);
    const sm3 = 'cd'.repeat(32);
    const m = parseMetadata(
      metadata({
        filename: '2025年第3季度·监测报告（终稿）.pdf',
        filetype: 'application/pdf',
        sha256: sha,
        sm3: `sm3:${sm3}`,
        relativePath: 'null',
      }),
    );
    expect(m).toEqual({
      name: '2025年第3季度·监测报告（终稿）.pdf',
      mediaType: 'application/pdf',
      sha256: sha.toLowerCase(),
      sm3,
    });
    expect(parseMetadata(`sm3 ${b64(sm3)}`).sm3).toBe(sm3);
  });

  it('takes every name of an item, as long as they agree (Uppy sends name and filename)', () => {
    expect(parseMetadata(metadata({ name: '照片.jpg', filename: '照片.jpg', type: 'image/jpeg' }))).toEqual({
      name: '照片.jpg',
      mediaType: 'image/jpeg',
    });
    expect(parseMetadata(metadata({ mediaType: 'image/png' })).mediaType).toBe('image/png');
    expect(refusal(() => parseMetadata(metadata({ filename: '报告.pdf', name: '报告.exe' })))).toMatchObject({
      reason: TUS_TEXT.en.conflict.replace('{key}', 'filename').replace('{other}', 'name'),
    });
    expect(
      refusal(() => parseMetadata(metadata({ filetype: 'application/pdf', type: 'text/html' }))).reason,
    ).toContain('filetype');
  });

  it('takes a key without a value, and an empty type as none (a browser that does not know the type)', () => {
    expect(parseMetadataPairs('is_confidential,filename YQ==')).toEqual(
      new Map([
        ['is_confidential', ''],
        ['filename', 'a'],
      ]),
    );
    // tus-js-client writes `filetype ` for an empty type.
    expect(parseMetadata('filename YQ==,filetype ')).toEqual({ name: 'a' });
    expect(parseMetadata('')).toEqual({});
    expect(parseMetadata(null)).toEqual({});
  });

  it('lets spaces around pairs go, as tusd does', () => {
    expect(parseMetadata(` filename ${b64('报告.pdf')} , filetype ${b64('application/pdf')} `)).toEqual({
      name: '报告.pdf',
      mediaType: 'application/pdf',
    });
  });

  it('keeps the bytes as sent: a byte order mark is not taken off', () => {
    expect(parseMetadata(`filename ${b64(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))}`).name).toBe('\ufeffa');
  });

  const reasons = (key: keyof typeof TUS_TEXT.en, params: Record<string, string | number> = {}) =>
    Object.entries(params).reduce((t, [k, v]) => t.replace(`{${k}}`, String(v)), TUS_TEXT.en[key] as string);

  it.each([
    [
      'a header over the limit',
      `filename ${'A'.repeat(MAX_METADATA_BYTES)}`,
      reasons('long', { limit: 4096 }),
    ],
    ['non-ASCII text', 'filename 报告', reasons('chars')],
    ['a tab', 'filename\tYQ==', reasons('chars')],
    ['a line break', 'filename YQ==\r\nX-Injected: 1', reasons('chars')],
    [
      'too many pairs',
      Array.from({ length: MAX_METADATA_PAIRS + 1 }, (_, i) => `k${i} YQ==`).join(','),
      reasons('many', { limit: 32 }),
    ],
    ['an empty pair', 'filename YQ==,,filetype YQ==', reasons('empty', { index: 2 })],
    ['a trailing comma', 'filename YQ==,', reasons('empty', { index: 2 })],
    ['a lone comma', ',', reasons('empty', { index: 1 })],
    ['three parts', 'filename YQ== YQ==', reasons('pair', { index: 1 })],
    ['two spaces', 'filename  YQ==', reasons('pair', { index: 1 })],
    [
      'a duplicate key',
      'filename YQ==,filetype YQ==,filename Yg==',
      reasons('duplicate', { key: 'filename' }),
    ],
    ['a duplicate key without value', 'secret,secret', reasons('duplicate', { key: 'secret' })],
    ['a character outside Base64', 'filename YQ=!', reasons('base64', { key: 'filename' })],
    [
      'base64url',
      `filename ${b64(Uint8Array.from([0xfb, 0xff]))}`.replace('+', '-').replace('/', '_'),
      reasons('base64', { key: 'filename' }),
    ],
    ['one character too many', 'filename YQ==Y', reasons('base64', { key: 'filename' })],
    ['a lone character', 'filename Y', reasons('base64', { key: 'filename' })],
    ['padding in the middle', 'filename YQ==YQ==', reasons('base64', { key: 'filename' })],
    ['stray bits after the last byte', 'filename YR==', reasons('base64', { key: 'filename' })],
    ['invalid UTF-8', `filename ${b64(Uint8Array.from([0xff, 0xfe]))}`, reasons('utf8', { key: 'filename' })],
    [
      'an overlong UTF-8 slash',
      `filename ${b64(Uint8Array.from([0xc0, 0xaf]))}`,
      reasons('utf8', { key: 'filename' }),
    ],
    [
      'a UTF-8 surrogate',
      `filename ${b64(Uint8Array.from([0xed, 0xa0, 0x80]))}`,
      reasons('utf8', { key: 'filename' }),
    ],
    [
      'cut UTF-8',
      `filename ${b64(Buffer.from('报告').subarray(0, 4))}`,
      reasons('utf8', { key: 'filename' }),
    ],
    [
      'a type that is no media type',
      metadata({ filetype: 'pdf' }),
      reasons('mediaType', { key: 'filetype' }),
    ],
    ['a type with a space', metadata({ type: 'text/ html' }), reasons('mediaType', { key: 'type' })],
    ['a short digest', metadata({ sha256: 'a'.repeat(63) }), reasons('digest', { key: 'sha256' })],
    ['a digest that is no hex', metadata({ sha256: 'g'.repeat(64) }), reasons('digest', { key: 'sha256' })],
    ['an empty digest', 'sha256', reasons('digest', { key: 'sha256' })],
    [
      'an SM3 digest given as SHA-256',
      metadata({ sha256: `sm3:${'a'.repeat(64)}` }),
      reasons('digest', { key: 'sha256' }),
    ],
  ])('refuses %s', (_, value, reason) => {
    expect(refusal(() => parseMetadata(value))).toEqual({
      code: 'upload_header_invalid',
      header: 'Upload-Metadata',
      reason,
    });
  });

  it('takes a header at the limits', () => {
    const exactly = `filename ${'A'.repeat(MAX_METADATA_BYTES - 'filename '.length)}`;
    expect(exactly.length).toBe(MAX_METADATA_BYTES);
    expect(parseMetadataPairs(exactly).get('filename')?.length).toBe(
      Math.floor(((MAX_METADATA_BYTES - 9) * 3) / 4),
    );
    const pairs = Array.from({ length: MAX_METADATA_PAIRS }, (_, i) => `k${i} YQ==`).join(',');
    expect(parseMetadataPairs(pairs).size).toBe(MAX_METADATA_PAIRS);
  });

  it('keeps a key named like an object property a plain key', () => {
    expect(parseMetadata('__proto__ YQ==,constructor YQ==,toString')).toEqual({});
    expect(parseMetadataPairs('__proto__ YQ==').get('__proto__')).toBe('a');
  });
});

describe('Base64', () => {
  it('decodes the canonical form, padded or not, and nothing else', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 31, 32, 33]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      const text = b64(bytes);
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(bytes);
    }
    for (const bad of [
      '=',
      '==',
      'YQ=',
      'Y===',
      'YQ==\n',
      ' YQ==',
      'YR',
      'YWJjZA=',
      'YWJj ZA==',
      'YQ==YQ==',
    ]) {
      expect(decodeBase64(bad), bad).toBeUndefined();
    }
  });
});

describe('Upload-Checksum', () => {
  const digest = Uint8Array.from({ length: 32 }, (_, i) => i);
  const hex = Buffer.from(digest).toString('hex');

  it('reads sha256 and sm3 as kept digests', () => {
    expect(parseChecksum(`sha256 ${b64(digest)}`)).toEqual({ algorithm: 'SHA-256', digest: hex });
    expect(parseChecksum(`sm3 ${b64(digest)}`)).toEqual({ algorithm: 'SM3', digest: `sm3:${hex}` });
    expect(parseChecksum(null)).toBeUndefined();
  });

  it.each([
    ['md5 1B2M2Y8AsgTpgAmY7PhCfg==', 'algorithm'],
    ['sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=', 'algorithm'],
    [`SHA256 ${b64(digest)}`, 'algorithm'],
    [`__proto__ ${b64(digest)}`, 'algorithm'],
    [`toString ${b64(digest)}`, 'algorithm'],
    [`sha256 ${b64(digest.subarray(0, 16))}`, 'checksumLength'],
    [`sha256 ${b64(new Uint8Array(33))}`, 'checksumLength'],
    ['sha256 not*base64', 'checksum'],
    [`sha256  ${b64(digest)}`, 'checksum'],
    [`sha256`, 'checksum'],
    [`sha256 ${b64(digest)} extra`, 'checksum'],
    [`sha256 ${'A'.repeat(10_000)}`, 'checksum'],
  ])('refuses %s', (value, reason) => {
    const r = refusal(() => parseChecksum(value));
    expect(r.code).toBe('upload_header_invalid');
    expect(r.header).toBe('Upload-Checksum');
    expect(r.reason.startsWith(TUS_TEXT.en[reason as 'checksum'].split('{')[0]!)).toBe(true);
  });
});

describe('response headers', () => {
  it('announce the version, the extensions and the largest upload', () => {
    expect(tusHeaders()).toEqual({ 'Tus-Resumable': '1.0.0' });
    expect(tusOptionsHeaders(4 * 1024 ** 3)).toEqual({
      'Tus-Resumable': '1.0.0',
      'Tus-Version': '1.0.0',
      'Tus-Extension': 'creation,creation-with-upload,termination,expiration',
      'Tus-Max-Size': '4294967296',
    });
  });

  it('write Upload-Expires as an RFC 7231 date that reads back to the same second', () => {
    const at = Date.now() + 24 * 3600_000;
    const text = uploadExpires(at);
    expect(text).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
    );
    expect(Date.parse(text)).toBe(Math.floor(at / 1000) * 1000);
    expect(uploadExpires(new Date(at))).toBe(text);
    expect(() => uploadExpires(Number.NaN)).toThrow(RangeError);
  });

  it('state an upload for HEAD', () => {
    const at = Date.now();
    expect(uploadStateHeaders({ offset: 10, length: 20, expires: at })).toEqual({
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': '10',
      'Upload-Length': '20',
      'Cache-Control': 'no-store',
      'Upload-Expires': uploadExpires(at),
    });
    expect(uploadStateHeaders({ offset: 0, length: 0 })).not.toHaveProperty('Upload-Expires');
  });
});

describe('texts', () => {
  it('are one language each, and a refusal reads whole in both', () => {
    expect(tableFaults('TUS_TEXT', TUS_TEXT)).toEqual([]);
    const e = failure(() => parseUploadLength('-1'));
    expect(e.detail('zh')).toContain('上传请求头 Upload-Length 无效：必须是不带符号');
    expect(e.detail('en')).toContain(
      'The upload header Upload-Length is invalid: it must be a decimal integer',
    );
    expect(e.detail('zh')).not.toMatch(/\{\w+\}/);
  });
});
