import { describe, expect, it } from 'vitest';
import type { Contract } from '../../src/contracts/contract.js';
import { loadContracts } from '../../src/contracts/load-all.js';
import type { ProvenanceContext } from '../../src/contracts/mapping-types.js';
import { translate } from '../../src/contracts/translate.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { YrdxError } from '../../src/errors/errors.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { aheadOfTimeRuns } from '../../src/runtime/node/runs.js';
import type { MessageType } from '../../src/vocabulary/messages.js';

/**
 * road-transport 2.0.0 against the findings of issue 16, with the real-shaped values in them: times
 * of day kept through zj and ah (22:48, not T00:00:00), dates never given an invented time, an ah
 * fine of 5.01250 万元, a zero-padded 2025年10月09日, both parties (a 个体工商户 and a 自然人), a
 * Shandong tractor with its trailer 挂 plate, and provenance from the envelope. Every example goes
 * through every dialect and back, in the engine and in the built translation code.
 */

const dir = readContractsDir('contracts', { domain: 'road-transport' });
const provider = (_k: string, s: Parameters<typeof compileValidators>[1]) => compileValidators(dir.core, s);
const engine = loadContracts(dir.core, dir.contracts, provider).registry.get('road-transport', '2.0.0')!;
const built = loadContracts(dir.core, dir.contracts, provider, {
  runs: aheadOfTimeRuns('contracts').runs,
}).registry.get('road-transport', '2.0.0')!;
const DIALECTS = ['sh', 'js', 'zj', 'ah'] as const;
const TYPES = engine.messageTypes;
const example = (dialect: string, type: MessageType) =>
  structuredClone(engine.dialects.get(dialect)!.examples[type]) as Record<string, unknown>;

describe('road-transport 2.0.0', () => {
  it('runs every plan in built code in the built registry', () => {
    expect(built.translation).toBe('built');
    expect(engine.translation).toBe('engine');
  });

  for (const [label, contract] of [
    ['engine', engine],
    ['built code', built],
  ] as const) {
    it(`translates every example through every dialect and back unchanged (${label})`, () => {
      for (const type of TYPES) {
        for (const from of DIALECTS) {
          const canonical = translate(contract, from, 'canonical', type, example(from, type));
          for (const to of DIALECTS) {
            const there = translate(contract, 'canonical', to, type, canonical);
            expect(translate(contract, to, 'canonical', type, there), `${from} → ${to} ${type}`).toEqual(
              canonical,
            );
          }
          // Every dialect carries every canonical field: the same canonical from each dialect's example.
          expect(canonical).toEqual(translate(contract, 'zj', 'canonical', type, example('zj', type)));
        }
      }
    });
  }

  it('carries both parties, the 个体工商户 with its operator, and the out-of-Delta tractor and trailer', () => {
    const canonical = translate(engine, 'js', 'canonical', 'case-transfer', example('js', 'case-transfer'));
    expect(canonical.parties).toEqual([
      expect.objectContaining({
        kind: 'individual-business',
        uscc: '92371302MA3P6G4K1T',
        legalRepresentative: '孔令军',
        legalRepresentativeIdNumber: '371323197908226032',
      }),
      expect.objectContaining({ kind: 'individual', name: '王振东', idNumber: '371302198603142914' }),
    ]);
    expect(canonical.vehicle).toMatchObject({ plate: '鲁Q8K372', trailerPlate: '鲁Q5T21挂' });
    const zj = translate(engine, 'canonical', 'zj', 'case-transfer', canonical);
    expect(zj.administrative_cp).toEqual([
      expect.objectContaining({
        administrative_cp_type: '个体工商户',
        administrative_cp_cert_type: '统一社会信用代码',
        administrative_cp_cert_code: '92371302MA3P6G4K1T',
      }),
      expect.objectContaining({
        administrative_cp_type: '自然人',
        administrative_cp_cert_type: '居民身份证',
        administrative_cp_cert_code: '371302198603142914',
      }),
    ]);
    const ah = translate(engine, 'canonical', 'ah', 'case-transfer', canonical);
    expect((ah.行政相对人 as unknown[]).length).toBe(2);
    expect((ah.危险货物 as unknown[]).length).toBe(2);
    expect(zj.dangerous_goods).toHaveLength(2);
  });

  it('keeps the offence at 22:48 and the weighing at 22:51:30 through zj and ah and back', () => {
    const zj = example('zj', 'clue-transfer');
    expect(zj).toMatchObject({ illegal_time: '2025-12-15 22:48:00', check_time: '2025-12-15 22:51:30' });
    const canonical = translate(engine, 'zj', 'canonical', 'clue-transfer', zj);
    expect(canonical.violation).toMatchObject({ occurredAt: '2025-12-15T22:48:00+08:00' });
    expect(canonical.overload).toMatchObject({ measuredAt: '2025-12-15T22:51:30+08:00' });
    const ah = translate(engine, 'zj', 'ah', 'clue-transfer', zj);
    expect((ah.违法信息 as Record<string, unknown>).违法时间).toBe('2025年12月15日 22:48:00');
    expect((ah.超限检测信息 as Record<string, unknown>).检测时间).toBe('2025年12月15日 22:51:30');
    expect(translate(engine, 'ah', 'zj', 'clue-transfer', ah)).toEqual(zj);
  });

  it('never invents T00:00:00: a date stays a date in every dialect', () => {
    // The assistance request knows only the day of the offence.
    const canonical = translate(
      engine,
      'ah',
      'canonical',
      'assistance-request',
      example('ah', 'assistance-request'),
    );
    expect((canonical.violation as Record<string, unknown>).occurredAt).toBe('2025-12-15');
    const written = Object.fromEntries(
      DIALECTS.map((d) => [d, translate(engine, 'canonical', d, 'assistance-request', canonical)]),
    );
    expect((written.zj as Record<string, unknown>).illegal_time).toBe('2025-12-15');
    expect(((written.ah as Record<string, unknown>).违法信息 as Record<string, unknown>).违法时间).toBe(
      '2025年12月15日',
    );
    expect((written.js as Record<string, unknown>).violation_time).toBe('2025/12/15');
    expect(((written.sh as Record<string, unknown>).offence as Record<string, unknown>).time).toBe(
      '2025-12-15',
    );
    for (const type of TYPES)
      for (const d of DIALECTS) {
        const text = JSON.stringify(translate(engine, d, 'canonical', type, example(d, type)));
        expect(text).not.toMatch(/T00:00:00/);
        expect(JSON.stringify(example(d, type))).not.toMatch(/00:00:00/);
      }
    // js dates are dates: the case dates carry no time of day.
    expect(example('js', 'notification')).toMatchObject({
      filing_time: '2025/12/16',
      decision_time: '2026/01/08',
    });
  });

  it('reads an ah fine of 5.01250 万元 exactly as 50125.00 元, and refuses one finer than 1 分', () => {
    const ah = example('ah', 'notification');
    expect(ah.CF_NR_FK).toBe('5.01250');
    const canonical = translate(engine, 'ah', 'canonical', 'notification', ah);
    expect((canonical.decision as Record<string, unknown>).fine).toBe('50125.00');
    expect(translate(engine, 'canonical', 'zj', 'notification', canonical).punish_money).toBe('50125.00');
    expect(translate(engine, 'canonical', 'js', 'notification', canonical).fine_amount).toBe(5012500);
    ah.CF_NR_FK = '5.0125001';
    let error: unknown;
    try {
      translate(built, 'ah', 'canonical', 'notification', ah);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YrdxError);
    expect((error as YrdxError).errors).toEqual([
      expect.objectContaining({
        pointer: '/CF_NR_FK',
        rule: 'money',
        detail: expect.objectContaining({ zh: expect.stringMatching(/1 分/) }),
      }),
    ]);
  });

  it('reads zero-padded and unpadded Chinese dates alike (2025年10月09日)', () => {
    for (const written of ['2025年10月09日', '2025年10月9日']) {
      const ah = { ...example('ah', 'notification'), CF_JDRQ: written, 立案日期: written };
      const canonical = translate(engine, 'ah', 'canonical', 'notification', ah);
      expect(canonical.case).toMatchObject({ decidedOn: '2025-10-09', filedOn: '2025-10-09' });
    }
    expect(example('ah', 'notification').CF_JDRQ).toBe('2026年01月08日');
  });

  it('writes provenance from the envelope, never a constant, and nothing without one', () => {
    const canonical = translate(engine, 'js', 'canonical', 'case-transfer', example('js', 'case-transfer'));
    const from: ProvenanceContext = { sender: '320100', senderName: '南京市', senderSystem: 'nanjing-case' };
    const write = (c: Contract, d: string, p?: ProvenanceContext) =>
      translate(c, 'canonical', d, 'case-transfer', canonical, p);
    for (const c of [engine, built]) {
      expect(write(c, 'zj', from)).toMatchObject({ cf_sjly: '南京市', cf_sjlydm: '320100' });
      expect(write(c, 'ah', from)).toMatchObject({ CF_SJLY: '南京市', CF_SJLYDM: '320100' });
      expect(write(c, 'js', from)).toMatchObject({
        data_source: '南京市',
        data_source_node: '320100',
        data_source_system: 'nanjing-case',
      });
      expect(write(c, 'sh', from).dataSource).toEqual({
        nodeName: '南京市',
        nodeId: '320100',
        systemId: 'nanjing-case',
      });
      // Without a context (CLI, examples) the provenance fields are absent.
      expect(Object.keys(write(c, 'zj'))).not.toContain('cf_sjly');
      expect(Object.keys(write(c, 'zj'))).not.toContain('cf_sjlydm');
      expect(Object.keys(write(c, 'ah'))).not.toContain('CF_SJLY');
      expect(Object.keys(write(c, 'js')).filter((k) => k.startsWith('data_source'))).toEqual([]);
      expect(write(c, 'sh')).not.toHaveProperty('dataSource');
    }
    // A body's own claim is not read into canonical (the envelope says who sent it).
    const claimed = { ...write(engine, 'zj', from), cf_sjly: '浙江省市场监督管理局' };
    expect(translate(engine, 'zj', 'canonical', 'case-transfer', claimed)).toEqual(canonical);
  });

  it('leaves 1.0.0 as published and readable', () => {
    const old = loadContracts(dir.core, dir.contracts, provider).registry.get('road-transport', '1.0.0')!;
    const zj = old.dialects.get('zj')!.examples['clue-transfer'] as Record<string, unknown>;
    expect(zj.SJLY).toBe('浙江省交通运输厅');
    expect(translate(old, 'zj', 'canonical', 'clue-transfer', zj)).toMatchObject({
      // 1.0.0's zj date-only offence time, read as published (the invented midnight 2.0.0 removes).
      violation: { occurredAt: expect.stringMatching(/T00:00:00\+08:00$/) },
    });
  });
});
