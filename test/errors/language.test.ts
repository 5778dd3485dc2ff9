import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { problemCatalogue, toProblem, type YrdxError } from '../../src/errors/errors.js';
import type { TextTable } from '../../src/errors/text.js';
import { createKeyring, rotateKeyring } from '../../src/keys/keyring.js';

/**
 * One language per message: every problem and every table of fault texts has the same placeholders
 * in 简体中文 and English, no English prose in the Chinese and no Chinese in the English.
 */
const src = fileURLToPath(new URL('../../src/', import.meta.url));
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** Standard names, codes and units a Chinese text may hold as written. */
const ALLOWED = [
  /`[^`]*`/g,
  /\{\w+\}/g,
  /"[^"]*"/g,
  /https?:\/\/\S+/g,
  /\b(?:RFC|GB\/T|GB|HJ\/T|HJ)\s?[\d.-]+\b/g,
  /\bAuthorization: Bearer\b/g,
  /\bWorkers secret\b/g,
  /\b(?:PUT|GET|POST|DELETE) \/\S*/g,
];

/** Runs of two or more English words left once codes, paths and standard names are taken out. */
function englishProse(zh: string): string[] {
  let text = zh;
  for (const pattern of ALLOWED) text = text.replace(pattern, ' ');
  // Identifiers and paths: anything with a digit, `_`, `-`, `.`, `/`, `@`, `:` or camelCase inside.
  text = text.replace(/[\w./@:-]*(?:[\d_./@:-]|[a-z][A-Z])[\w./@:-]*/g, ' ');
  return text.match(/[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,})+/g) ?? [];
}

const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every exported `…_TEXT` table under src/: modules that write texts for people export one. */
async function textTables(): Promise<[string, TextTable][]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && /export const \w+_TEXT\b/.test(readFileSync(path, 'utf8')))
        files.push(path);
    }
  };
  walk(src);
  const tables: [string, TextTable][] = [];
  for (const file of files) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (name.endsWith('_TEXT')) tables.push([`${relative(src, file)} ${name}`, value as TextTable]);
  }
  return tables;
}

function checkPair(where: string, zh: string, en: string): string[] {
  const out: string[] = [];
  if (placeholders(zh).join() !== placeholders(en).join()) out.push(`${where}: placeholders differ`);
  const prose = englishProse(zh);
  if (prose.length > 0) out.push(`${where}: English in the Chinese: ${prose.join(' | ')}`);
  // A language switch names the other language in its own script ("简体中文"), as every switch does.
  if (CJK.test(en.replaceAll('简体中文', ''))) out.push(`${where}: Chinese in the English`);
  return out;
}

describe('one language per message', () => {
  it('finds English prose and Chinese where they do not belong', () => {
    expect(englishProse('不能轮换密钥：next key k2 has been published for 447 s')).not.toEqual([]);
    expect(englishProse('签名算法“{alg}”不在允许列表中（JWS、RFC 7638、GB/T 2260、SHA-256、HTTP）')).toEqual(
      [],
    );
    expect(englishProse('应为 "secret"（Workers secret）')).toEqual([]);
  });

  it('the problem catalogue: same placeholders, no mixing', () => {
    const faults = Object.entries(problemCatalogue).flatMap(([code, spec]) =>
      checkPair(code, spec.zh, spec.en),
    );
    expect(faults).toEqual([]);
  });

  it('every table of texts: same keys, same placeholders, no mixing', async () => {
    const tables = await textTables();
    expect(tables.map(([name]) => name.split(' ')[1])).toEqual(
      expect.arrayContaining([
        'CONFIG_FAULT_TEXT',
        'MESSAGE_FAULT_TEXT',
        'CONTRACT_UNKNOWN_TEXT',
        'KEY_REASON_TEXT',
      ]),
    );
    const faults = tables.flatMap(([name, table]) => {
      const keys = Object.keys(table.zh);
      const out: string[] = [];
      if (keys.sort().join() !== Object.keys(table.en).sort().join()) out.push(`${name}: keys differ`);
      for (const key of keys)
        out.push(...checkPair(`${name}.${key}`, table.zh[key] ?? '', table.en[key] ?? ''));
      return out;
    });
    expect(faults).toEqual([]);
  });
});

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
      for (const item of zh.errors ?? []) expect(englishProse(item.detail)).toEqual([]);
      for (const item of en.errors ?? []) expect(item.detail).not.toMatch(CJK);
      expect(englishProse(zh.detail)).toEqual([]);
      expect(en.detail).not.toMatch(CJK);
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
    expect(englishProse(error!.detail('zh'))).toEqual([]);
    expect(error?.detail('en')).not.toMatch(CJK);
  });
});
