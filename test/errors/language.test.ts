import { describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { toProblem, type YrdxError } from '../../src/errors/errors.js';
import { createKeyring, rotateKeyring } from '../../src/keys/keyring.js';
import { chineseIn, englishProse } from '../helpers/one-language.js';

/**
 * Faults as people read them, rendered: a Chinese problem holds no English prose and an English one
 * no Chinese (the catalogue and the tables of texts themselves: test/text/one-language.test.ts).
 */
describe('faults rendered in each language', () => {
  const broken = {
    id: '330599',
    province: 'zhejiang',
    publicUrl: 'http://gateway.example.cn',
    keys: { source: 'env' },
    partners: [
      { id: '330599', baseUrl: 'ftp://x', keys: { jwksUrl: 'https://a.example.cn/jwks' } },
      { id: '320500', baseUrl: 'https://sz.example.cn', keys: {} },
    ],
    delivery: { timeoutMs: 10_000, leaseMs: 1000 },
  };
  const refusal = (value: unknown) => {
    try {
      validateNodeConfig(value, { file: '/etc/yrdx/node.json' });
    } catch (error) {
      return error as YrdxError;
    }
    throw new Error('expected the configuration to be refused');
  };

  it('a configuration with several faults: Chinese without English prose, English without Chinese', () => {
    for (const error of [refusal(broken), refusal({ ...broken, extra: 1, province: 7 })]) {
      const zh = toProblem(error, 'zh');
      const en = toProblem(error, 'en');
      expect(zh.errors?.length).toBeGreaterThan(1);
      for (const item of zh.errors ?? []) expect(englishProse(item.detail)).toBeUndefined();
      for (const item of en.errors ?? []) expect(chineseIn(item.detail)).toBeUndefined();
      expect(englishProse(zh.detail)).toBeUndefined();
      expect(chineseIn(en.detail)).toBeUndefined();
    }
  });

  it('key_rotation_refused in both languages', async () => {
    const now = Date.now();
    const doc = await createKeyring('330500', 'ES256', now);
    const error = await rotateKeyring(doc, '330500', now + 447_000, {
      alg: 'ES256',
      minNextAgeSeconds: 86_400,
      retainRetiredSeconds: 86_400,
    }).then(
      () => undefined,
      (e: unknown) => e as YrdxError,
    );
    expect(error?.code).toBe('key_rotation_refused');
    expect(error?.detail('zh')).toMatch(/^不能轮换密钥：/);
    expect(englishProse(error!.detail('zh'))).toBeUndefined();
    expect(chineseIn(error!.detail('en'))).toBeUndefined();
  });
});
