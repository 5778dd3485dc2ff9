import { describe, expect, it } from 'vitest';
import { problemCatalogue } from '../../src/errors/errors.js';
import { knownDomains } from '../../src/runtime/cli/load-contracts.js';
import { COMMAND_NAMES } from '../../src/runtime/cli.js';
import {
  addNames,
  chineseIn,
  englishProse,
  pairFaults,
  tableFaults,
  textTables,
} from '../helpers/one-language.js';

/**
 * One language per message, over every text yrdx writes for people: the problem catalogue and every
 * exported table of texts under src/ (`TEXT` of the CLI and the node, `…_TEXT` of faults and the API
 * docs page) — the same keys and placeholders in 简体中文 and English, no English prose in the Chinese,
 * no Chinese in the English. A new table is covered by being exported under that name.
 */
addNames([...COMMAND_NAMES.flatMap((n) => n.split(' ')), ...knownDomains('contracts')]);

describe('the rule', () => {
  it('catches English inside Chinese, and lets names, options, codes and standards through', () => {
    expect(englishProse('不能轮换密钥：next key k2 has been published for 447 s')).toBe('next key');
    expect(englishProse('不能轮换密钥：next key … 已发布')).toBe('next key');
    expect(englishProse('用法：yrdx keys rotate [--config FILE] [--force]')).toBeUndefined();
    expect(englishProse('pollution@1.0.0 zj case-transfer：不丢失任何内容')).toBeUndefined();
    expect(englishProse('已签名（ES256） → 已投递，回执已验证（sha256 1a2b3c4d…）')).toBeUndefined();
    expect(
      englishProse('签名算法“{alg}”不在允许列表中（JWS、RFC 7638、GB/T 2260、SHA-256、HTTP）'),
    ).toBeUndefined();
    expect(englishProse('应为 "secret"（Workers secret）')).toBeUndefined();
  });
  it('catches Chinese inside English, but not the names of cities or of the language', () => {
    expect(chineseIn('refused: 已拒收')).toBeDefined();
    expect(chineseIn('320500 苏州市 answered; switch to 简体中文')).toBeUndefined();
  });
});

describe('every text for people', () => {
  it('the problem catalogue', () => {
    expect(
      Object.entries(problemCatalogue).flatMap(([code, spec]) => pairFaults(code, spec.zh, spec.en)),
    ).toEqual([]);
  });

  it('every table of texts under src/', async () => {
    const tables = await textTables('src');
    const names = tables.map(([name]) => name.split(' ')[1]);
    // The tables of faults and the CLI's: found by their export, so none is left out.
    expect(names).toEqual(
      expect.arrayContaining(['TEXT', 'CONFIG_FAULT_TEXT', 'MESSAGE_FAULT_TEXT', 'KEY_REASON_TEXT']),
    );
    expect(tables.filter(([name]) => name.includes('src/runtime/')).length).toBeGreaterThan(8);
    expect(tables.flatMap(([name, table]) => tableFaults(name, table))).toEqual([]);
  });
});
