import { describe, expect, it } from 'vitest';
import {
  LOG_LIMITS,
  PAYLOAD_OMITTED,
  redactFields,
  redactMessage,
  redactText,
} from '../../src/logging/redact.js';
import { workerLogger } from '../../src/runtime/worker/logger.js';

// Real-format 公民身份号码 with valid ISO 7064 MOD 11-2 check characters (the first is GB 11643's sample).
const ID_NUMBERS = ['11010519491231002X', '33050219880101123X', '320508197512120044', '340104199206152182'];

const text: [string, string, string][] = [
  [
    'an ID number in a sentence',
    '当事人身份证号11010519491231002X，住湖州',
    '当事人身份证号[id-number]，住湖州',
  ],
  ['an ID number with a lower-case x', 'id=33050219880101123x;', 'id=[id-number];'],
  ['an ID number with a wrong check character', '320508197512120045', '[id-number]'],
  ['a mobile number', '联系电话 13812345678。', '联系电话 [phone]。'],
  ['a mobile number with +86 and separators', 'tel +86 138-1234-5678', 'tel [phone]'],
  ['a landline with area code', '湖州市市场监管局 0572-6022517', '湖州市市场监管局 [phone]'],
  ['a landline in parentheses', '(0512)65223456 转 8', '[phone] 转 8'],
  ['a Shanghai landline without separator', '021 63212345', '[phone]'],
  ['a compact JWS', 'token eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiIxIn0.c2lnbmF0dXJl end', 'token [token] end'],
  [
    'a bearer credential',
    'authorization: Bearer 5f2b9c0d1e3a4b5c6d7e8f90',
    'authorization: Bearer [redacted]',
  ],
  [
    'a PEM private key',
    'key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY----- end',
    'key [private key] end',
  ],
];

const kept: [string, string][] = [
  ['a ULID message id', '01JD2Z8Y3QK7V6W5X4T3S2R1P0'],
  ['a 32-hex trace id', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['a node id and a date', '330500 2026-11-28T10:41:04.000Z'],
  ['a Unix millisecond time', '1795869664000'],
  ['an 18-digit number that is no ID number', '123456789012345678'],
  ['a sha256', 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
  ['a case number', '湖市监案〔2026〕12号'],
];

describe('log redaction', () => {
  it.each(text)('redacts %s', (_what, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each(kept)('keeps %s', (_what, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('redacts at any depth, replaces secret members and private JWK members, and leaves payloads out', () => {
    const fields = {
      messageId: '01JD2Z8Y3QK7V6W5X4T3S2R1P0',
      detail: `当事人 ${ID_NUMBERS[1]} 电话 13912345678`,
      nested: { list: [{ note: `法定代表人身份证 ${ID_NUMBERS[2]}` }, '0572-6022517'] },
      jwk: { kty: 'EC', crv: 'P-256', x: 'pub-x', y: 'pub-y', d: 'PRIVATE-D' },
      rsa: { kty: 'RSA', n: 'pub-n', e: 'AQAB', d: 'D', p: 'P', q: 'Q', dp: 'DP', dq: 'DQ', qi: 'QI' },
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k' },
      body: { 当事人: { 身份证号: ID_NUMBERS[0], 电话: '13812345678' } },
      canonical: { party: { idNumber: ID_NUMBERS[3] } },
    };
    const out = redactFields(fields);
    const json = JSON.stringify(out);
    for (const id of ID_NUMBERS) expect(json).not.toContain(id);
    for (const secret of ['13912345678', '13812345678', '6022517', 'PRIVATE-D', '"QI"', 'Bearer abc'])
      expect(json).not.toContain(secret);
    expect(out).toMatchObject({
      messageId: fields.messageId,
      detail: '当事人 [id-number] 电话 [phone]',
      jwk: { kty: 'EC', x: 'pub-x', d: '[redacted]' },
      rsa: { n: 'pub-n', e: 'AQAB', p: '[redacted]', qi: '[redacted]' },
      body: PAYLOAD_OMITTED,
      canonical: PAYLOAD_OMITTED,
    });
  });

  it('redacts payloads when an operator turns them on, rather than dropping them', () => {
    const out = redactFields(
      { body: { 身份证号: ID_NUMBERS[0], 名称: '湖州某食品有限公司' } },
      { payloads: true },
    );
    expect(out).toEqual({ body: { 身份证号: '[id-number]', 名称: '湖州某食品有限公司' } });
  });

  it('turns errors into plain objects with redacted message, stack and cause', () => {
    const cause = new Error(`lookup of ${ID_NUMBERS[2]} failed`);
    const error = Object.assign(
      new Error(`translation failed for 13812345678 / ${ID_NUMBERS[0]}`, { cause }),
      {
        code: 'document_invalid',
      },
    );
    const out = redactFields({ err: error }) as { err: Record<string, unknown> };
    const json = JSON.stringify(out);
    expect(json).not.toContain('13812345678');
    for (const id of ID_NUMBERS) expect(json).not.toContain(id);
    expect(out.err).toMatchObject({
      type: 'Error',
      code: 'document_invalid',
      message: 'translation failed for [phone] / [id-number]',
      cause: { message: 'lookup of [id-number] failed' },
    });
    expect(String(out.err.stack)).toContain('[phone]');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { phone: '13812345678' };
    a.self = a;
    expect(redactFields(a)).toEqual({ phone: '[phone]', self: '[circular]' });
  });

  describe('bounds every line, whatever the fields hold', () => {
    const lineLength = (fields: Record<string, unknown>) => JSON.stringify(redactFields(fields)).length;

    it('cuts long strings, saying how much was left out', () => {
      const out = redactFields({ detail: '案'.repeat(100_000) }) as { detail: string };
      expect(out.detail.length).toBeLessThan(LOG_LIMITS.string + 40);
      expect(out.detail).toContain(`[+${100_000 - LOG_LIMITS.string} chars]`);
      expect(redactMessage('m'.repeat(50_000)).length).toBeLessThan(LOG_LIMITS.string + 40);
    });

    it('never lets a cut leave part of an ID number or phone number readable', () => {
      for (let shift = 0; shift < 20; shift++) {
        const text = `${'x'.repeat(LOG_LIMITS.string * 2 - shift)}${ID_NUMBERS[1]} 13812345678`;
        const out = redactFields({ text }) as { text: string };
        expect(out.text).not.toMatch(/\d{5}/);
      }
    });

    it('keeps the first items of a long list and the first members of a wide object', () => {
      const out = redactFields({
        errors: Array.from({ length: 150_000 }, (_, i) => ({
          pointer: `/items/${i}`,
          detail: '类型应为 string',
        })),
        wide: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
      }) as { errors: unknown[]; wide: Record<string, unknown> };
      expect(out.errors).toHaveLength(LOG_LIMITS.items + 1);
      expect(out.errors.at(-1)).toBe(`[+${150_000 - LOG_LIMITS.items} more]`);
      expect(Object.keys(out.wide)).toHaveLength(LOG_LIMITS.members + 1);
    });

    it('keeps the whole line under its bound, however the fields are shaped', () => {
      const many = Object.fromEntries(
        Array.from({ length: 49 }, (_, i) => [`f${i}`, Array.from({ length: 19 }, () => 'y'.repeat(2000))]),
      );
      expect(lineLength(many)).toBeLessThanOrEqual(LOG_LIMITS.line);
      expect(redactFields(many)).toMatchObject({ logTruncated: true });
      expect(lineLength({ ['名'.repeat(1_000_000)]: 1 })).toBeLessThanOrEqual(LOG_LIMITS.line);
      // Small lines are left as they are.
      expect(redactFields({ a: 1, b: 'x' })).toEqual({ a: 1, b: 'x' });
    });

    it('bounds the lines of the Workers logger the same way', () => {
      const written: string[] = [];
      workerLogger({ write: (l) => written.push(l) })('info', 'q'.repeat(100_000), {
        errors: Array.from({ length: 150_000 }, (_, i) => ({ pointer: `/x/${i}` })),
      });
      expect(written[0]!.length).toBeLessThan(LOG_LIMITS.line + LOG_LIMITS.string + 200);
    });
  });
});
