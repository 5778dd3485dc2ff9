import { describe, expect, it } from 'vitest';
import type { Contract } from '../../src/contracts/contract.js';
import { loadContracts } from '../../src/contracts/load-all.js';
import type { ProvenanceContext } from '../../src/contracts/mapping-types.js';
import { translate } from '../../src/contracts/translate.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { aheadOfTimeRuns } from '../../src/runtime/node/runs.js';
import type { MessageType } from '../../src/vocabulary/messages.js';

/**
 * pollution 2.0.0 against the findings of issue 16, with the real-shaped values in them: the HJ 212
 * data time 2025-06-03 22:48:00 kept through zj (1.x kept the date only and read it back as
 * T00:00:00), a daily value's date never given a time, 总氮 w21001 carried by zj (065), 0.050 keeping
 * its zero, two parties (one a 个体工商户) through every pair of dialects, and the js `zjhm` that now
 * takes a lower-case x. Every example goes through every dialect and back, in the engine and in the
 * built translation code.
 */

const dir = readContractsDir('contracts', { domain: 'pollution' });
const provider = (_k: string, s: Parameters<typeof compileValidators>[1]) => compileValidators(dir.core, s);
const engine = loadContracts(dir.core, dir.contracts, provider).registry.get('pollution', '2.0.0')!;
const built = loadContracts(dir.core, dir.contracts, provider, {
  runs: aheadOfTimeRuns('contracts').runs,
}).registry.get('pollution', '2.0.0')!;
const DIALECTS = ['sh', 'js', 'zj', 'ah'] as const;
const TYPES = engine.messageTypes;
const example = (dialect: string, type: MessageType) =>
  structuredClone(engine.dialects.get(dialect)!.examples[type]) as Record<string, unknown>;
type Doc = Record<string, unknown>;
const toCanonical = (d: string, type: MessageType, doc: unknown) =>
  translate(engine, d, 'canonical', type, doc) as Doc;
const toDialect = (d: string, type: MessageType, doc: unknown) =>
  translate(engine, 'canonical', d, type, doc) as Doc;
const monitoring = (doc: Doc) => doc.monitoring as { dataTime: string; measurements: Doc[] };

describe('pollution 2.0.0', () => {
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
        }
      }
    });
  }

  it('keeps the HJ 212 data time 22:48 through zj and back, and in every other dialect', () => {
    const zj = example('zj', 'case-transfer');
    expect(zj.monitor_data_time).toBe('2025-06-03 22:48:00');
    const canonical = toCanonical('zj', 'case-transfer', zj);
    expect(monitoring(canonical).dataTime).toBe('2025-06-03T22:48:00+08:00');
    expect(toDialect('zj', 'case-transfer', canonical).monitor_data_time).toBe('2025-06-03 22:48:00');
    const sh = toDialect('sh', 'case-transfer', canonical);
    expect((sh.onlineMonitoring as Doc).sampledAt).toBe('2025-06-03T22:48:00+08:00');
    expect(toDialect('js', 'case-transfer', canonical).jc_sj).toBe('2025/06/03 22:48:00');
    const ah = toDialect('ah', 'case-transfer', canonical);
    expect((ah.在线监测 as Doc).监测时间).toBe('2025年6月3日 22:48:00');
    for (const d of DIALECTS) {
      const back = toCanonical(d, 'case-transfer', toDialect(d, 'case-transfer', canonical));
      expect(monitoring(back).dataTime, d).toBe('2025-06-03T22:48:00+08:00');
    }
  });

  it('never invents T00:00:00: a daily value keeps its date alone in every dialect', () => {
    const canonical = toCanonical('zj', 'clue-transfer', example('zj', 'clue-transfer'));
    expect(monitoring(canonical).dataTime).toBe('2025-12-10');
    expect(toDialect('zj', 'clue-transfer', canonical).monitor_data_time).toBe('2025-12-10');
    expect(toDialect('js', 'clue-transfer', canonical).jc_sj).toBe('2025/12/10');
    expect((toDialect('ah', 'clue-transfer', canonical).在线监测 as Doc).监测时间 as string).toBe(
      '2025年12月10日',
    );
    expect((toDialect('sh', 'clue-transfer', canonical).onlineMonitoring as Doc).sampledAt).toBe(
      '2025-12-10',
    );
    for (const type of TYPES)
      for (const d of DIALECTS) {
        expect(JSON.stringify(toCanonical(d, type, example(d, type))), `${d} ${type}`).not.toMatch(
          /T00:00:00/,
        );
        expect(JSON.stringify(example(d, type)), `${d} ${type}`).not.toMatch(/00:00:00/);
      }
    // js case dates are dates (1.x wrote them yyyy/MM/dd 00:00:00).
    expect(example('js', 'notification').lasj).toMatch(/^\d{4}\/\d{2}\/\d{2}$/);
  });

  it('carries 总氮 w21001 in zj (as HJ/T 212-2005 065) and reads it back', () => {
    const canonical = toCanonical('zj', 'case-transfer', example('zj', 'case-transfer'));
    expect(monitoring(canonical).measurements.at(-1)).toEqual({
      pollutant: 'w21001',
      value: '62.40',
      unit: 'mg/L',
      flag: 'S',
      limit: '20',
    });
    // From another dialect, where the code is written as HJ 212-2017 has it.
    const js = toCanonical('js', 'risk-alert', example('js', 'risk-alert'));
    monitoring(js).measurements.push({ pollutant: 'w21001', value: '2.46', unit: 'mg/L', flag: 'N' });
    const zj = toDialect('zj', 'risk-alert', js);
    expect((zj.monitor_data as Doc[]).at(-1)).toMatchObject({ pollutant_code: '065', monitor_value: '2.46' });
    expect(toCanonical('zj', 'risk-alert', zj)).toEqual(js);
  });

  it('keeps 0.050 with its zero (and 62.40) in every dialect, where 1.x js wrote a JSON number', () => {
    const canonical = toCanonical('ah', 'risk-alert', example('ah', 'risk-alert'));
    expect(monitoring(canonical).measurements.at(-1)).toMatchObject({
      pollutant: 'w22001',
      value: '0.050',
      limit: '0.05',
    });
    const written = {
      zj: (toDialect('zj', 'risk-alert', canonical).monitor_data as Doc[]).at(-1)!.monitor_value,
      js: (toDialect('js', 'risk-alert', canonical).jcxm_list as Doc[]).at(-1)!.jcz,
      sh: ((toDialect('sh', 'risk-alert', canonical).onlineMonitoring as Doc).readings as Doc[]).at(-1)!
        .reading,
      ah: ((toDialect('ah', 'risk-alert', canonical).在线监测 as Doc).监测数据 as Doc[]).at(-1)!.监测值,
    };
    expect(written).toEqual({ zj: '0.050', js: '0.050', sh: '0.050', ah: '0.050' });
    // ah no longer converts mg/m3 to µg/m3 (a shift wrote 0.050 mg/m3 as 50 and read it back 0.05).
    const air = toCanonical('ah', 'case-transfer', example('ah', 'case-transfer'));
    monitoring(air).measurements[0]!.value = '0.050';
    const ah = toDialect('ah', 'case-transfer', air);
    expect(((ah.在线监测 as Doc).监测数据 as Doc[])[0]).toMatchObject({ 监测值: '0.050', 计量单位: 'mg/m3' });
    expect(toCanonical('ah', 'case-transfer', ah)).toEqual(air);
  });

  it('carries both parties, the 个体工商户 with its operator, through every pair of dialects', () => {
    for (const type of ['case-transfer', 'clue-transfer', 'notification', 'assistance-request'] as const)
      for (const from of DIALECTS) {
        const canonical = toCanonical(from, type, example(from, type));
        const parties = canonical.parties as Doc[];
        expect(parties.length, `${from} ${type}`).toBeGreaterThanOrEqual(2);
        expect(parties.some((p) => p.kind === 'individual-business' && p.legalRepresentativeIdNumber)).toBe(
          true,
        );
        for (const to of DIALECTS)
          expect(toCanonical(to, type, toDialect(to, type, canonical)).parties, `${from} → ${to}`).toEqual(
            parties,
          );
      }
    const zj = example('zj', 'case-transfer').administrative_cp as Doc[];
    expect(zj.map((p) => p.administrative_cp_type)).toEqual(['法人及非法人组织', '个体工商户']);
    const ah = example('ah', 'notification').行政相对人 as Doc[];
    expect(ah.map((p) => p.CF_XDR_LB)).toEqual(['法人及非法人组织', '个体工商户']);
    expect(example('js', 'case-transfer').party_list).toContainEqual(
      expect.objectContaining({ dsrlx: '03' }),
    );
  });

  it('carries every hazardous waste, each with its manifest, in every dialect', () => {
    const canonical = toCanonical('sh', 'clue-transfer', example('sh', 'clue-transfer'));
    const wastes = canonical.hazardousWastes as Doc[];
    const two = { ...canonical, hazardousWastes: [...wastes, { ...wastes[0], wasteCode: '900-249-08' }] };
    for (const d of DIALECTS)
      expect(toCanonical(d, 'clue-transfer', toDialect(d, 'clue-transfer', two)), d).toEqual(two);
  });

  it('accepts a lower-case x in js zjhm (1.x refused it) and writes X in canonical', () => {
    const doc = example('js', 'case-transfer');
    const parties = doc.party_list as Doc[];
    const person = parties.find((p) => p.dsrlx === '02')!;
    person.zjhm = '34052419800101001x';
    const canonical = toCanonical('js', 'case-transfer', doc);
    expect((canonical.parties as Doc[]).map((p) => p.idNumber)).toContain('34052419800101001X');
    const old = loadContracts(dir.core, dir.contracts, provider).registry.get('pollution', '1.1.0')!;
    const oldDoc = structuredClone(old.dialects.get('js')!.examples['case-transfer']) as Doc;
    const oldPerson = (oldDoc.party_list as Doc[]).find((p) => p.dsrlx === '02')!;
    oldPerson.zjhm = '34052419800101001x';
    expect(() => translate(old, 'js', 'canonical', 'case-transfer', oldDoc)).toThrow(/document_invalid/);
  });

  it('writes provenance from the envelope, never a constant, and nothing without one', () => {
    const canonical = toCanonical('js', 'notification', example('js', 'notification'));
    const from: ProvenanceContext = { sender: '320100', senderName: '南京市', senderSystem: 'nanjing-case' };
    const write = (c: Contract, d: string, p?: ProvenanceContext) =>
      c.dialects.get(d)!.toDialect(canonical, p).value as Doc;
    expect(write(engine, 'zj', from)).toMatchObject({ cf_sjly: '南京市', cf_sjlydm: '320100' });
    expect(write(engine, 'ah', from)).toMatchObject({ CF_SJLY: '南京市', CF_SJLYDM: '320100' });
    expect(write(engine, 'js', from)).toMatchObject({
      data_source: '南京市',
      data_source_node: '320100',
      data_source_system: 'nanjing-case',
    });
    expect(write(engine, 'sh', from).dataSource).toEqual({
      nodeName: '南京市',
      nodeId: '320100',
      systemId: 'nanjing-case',
    });
    for (const d of DIALECTS) {
      const text = JSON.stringify(write(engine, d));
      expect(text, d).not.toMatch(/cf_sjly|CF_SJLY|data_source|dataSource|生态环境厅/);
    }
  });
});
