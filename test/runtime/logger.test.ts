import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { YrdxError } from '../../src/errors/errors.js';
import { createLogger, logFn } from '../../src/runtime/node/logger.js';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { sink, lines, text: () => lines.join('\n') };
}

const ID = '33050219880101123X';
const ID2 = '11010519491231002X';

describe('the Node logger', () => {
  it('never writes private keys, tokens or credentials', () => {
    const out = capture();
    const logger = createLogger('info', out.sink);
    logger.info(
      {
        privateJwk: { kty: 'EC', d: 'SECRET-D' },
        key: { d: 'SECRET-D2' },
        doc: { privateJwk: { d: 'SECRET-D3' } },
        headers: { authorization: 'Bearer SECRET-TOKEN' },
        token: 'eyJSECRET',
        kid: '330500-20261128-abcd',
      },
      'test',
    );
    expect(out.text()).not.toMatch(/SECRET/);
    expect(out.text()).toContain('330500-20261128-abcd');
  });

  it('redacts ID numbers and phone numbers in payloads, fields, messages and errors, and omits payloads', () => {
    const out = capture();
    const log = logFn(createLogger('debug', out.sink));
    log('info', `received from 当事人 ${ID}`, {
      requestId: '01JD2Z8Y3QK7V6W5X4T3S2R1P0',
      messageId: '01JD2Z8Y3QK7V6W5X4T3S2R1P1',
      thread: '01JD2Z8Y3QK7V6W5X4T3S2R1P1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      body: { 当事人身份证号: ID, 联系电话: '13812345678', 单位电话: '0572-6022517' },
    });
    log('warn', 'delivery retry', { error: `HTTP 500: party ${ID2} tel 13912345678 not found` });
    const failure = new YrdxError('request_invalid', {
      params: { count: 1 },
      errors: [
        {
          pointer: '/body/phone',
          detail: { zh: `13812345678 与 ${ID} 不符`, en: `13812345678 does not match ${ID}` },
        },
      ],
    });
    log('error', 'unhandled error', {
      err: new Error(`cannot translate 0572-6022517 of ${ID}`, { cause: failure }),
      errors: failure.errors,
    });
    const text = out.text();
    for (const secret of [ID, ID2, '13812345678', '13912345678', '0572-6022517', '6022517'])
      expect(text).not.toContain(secret);
    const [first, second, third] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      msg: 'received from 当事人 [id-number]',
      requestId: '01JD2Z8Y3QK7V6W5X4T3S2R1P0',
      messageId: '01JD2Z8Y3QK7V6W5X4T3S2R1P1',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      body: '[payload omitted]',
    });
    expect(second).toMatchObject({ error: 'HTTP 500: party [id-number] tel [phone] not found' });
    expect(third).toMatchObject({
      err: { message: expect.stringContaining('cannot translate [phone] of [id-number]') },
      errors: [{ detail: { zh: '[phone] 与 [id-number] 不符', en: '[phone] does not match [id-number]' } }],
    });
  });

  it('logs payloads, still redacted, only when told to', () => {
    const out = capture();
    createLogger('info', { destination: out.sink, payloads: true }).info(
      { body: { 身份证号: ID, 名称: '湖州某食品有限公司' } },
      'payload',
    );
    expect(JSON.parse(out.lines[0]!)).toMatchObject({
      body: { 身份证号: '[id-number]', 名称: '湖州某食品有限公司' },
    });
  });
});
