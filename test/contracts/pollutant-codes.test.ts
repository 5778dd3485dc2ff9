import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import reference from '../../contracts/reference/pollution-codes.json' with { type: 'json' };
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';

/**
 * The zj dialect of pollution writes pollutants with their HJ/T 212-2005 legacy code where the
 * reference gives one, and with the HJ 212-2017 code itself where it gives none (since 1.1.0; 1.0.0
 * knew 13 pollutants and refused the rest), and so does 2.0.0 in its new field set. Every pollutant of
 * the reference survives the round trip.
 */
const dir = readContractsDir('contracts');
const { registry, faults } = loadAll(dir);
const current = registry.get('pollution', '1.1.0')!;
const zj = current.dialects.get('zj')!;

/** Where each version's zj dialect writes measurements (1.x pinyin initials, 2.x the Zhejiang field set). */
const LAYOUTS = [
  { version: '1.1.0', list: 'JCSJ', code: 'WRWBM', value: 'JCZ', unit: 'JLDW', flag: 'SJBZ' },
  {
    version: '2.0.0',
    list: 'monitor_data',
    code: 'pollutant_code',
    value: 'monitor_value',
    unit: 'unit',
    flag: 'data_flag',
  },
  {
    version: '2.1.0',
    list: 'monitor_data',
    code: 'pollutant_code',
    value: 'monitor_value',
    unit: 'unit',
    flag: 'data_flag',
  },
] as const;

/** A canonical risk alert (the zj example's) whose only measurement is `pollutant` in `unit`. */
function alertWith(version: string, pollutant: string, unit: string): Record<string, unknown> {
  const dialect = registry.get('pollution', version)!.dialects.get('zj')!;
  const base = dialect.toCanonical(dialect.examples['risk-alert']).value;
  const monitoring = base.monitoring as Record<string, unknown>;
  return {
    ...base,
    monitoring: { ...monitoring, measurements: [{ pollutant, value: '2.46', unit, flag: 'N' }] },
  };
}

describe('pollution zj pollutant codes (HJ/T 212-2005 ↔ HJ 212-2017)', () => {
  it('pollution 1.0.0, 1.1.0, 2.0.0 and 2.1.0 load; each minor is accepted as compatible with its major', () => {
    expect([...faults.keys()]).toEqual([]);
    expect(registry.get('pollution', '1.0.0')).toBeDefined();
    expect(registry.get('pollution', '1.1.0')).toBeDefined();
    expect(registry.get('pollution', '2.0.0')).toBeDefined();
    expect(registry.latest('pollution')?.version).toBe('2.1.0');
  });

  describe.each(LAYOUTS)('pollution@$version', (L) => {
    const contract = registry.get('pollution', L.version)!;
    const dialect = contract.dialects.get('zj')!;
    const folder = `contracts/pollution/${L.version}/dialects/zj`;
    const items = (doc: Record<string, unknown>) => doc[L.list] as Record<string, unknown>[];

    it('canonical → zj: 总氮 w21001 is written 065', () => {
      const there = dialect.toDialect(alertWith(L.version, 'w21001', 'mg/L'));
      expect(there.faults).toEqual([]);
      expect(dialect.validate(there.value)).toEqual([]);
      expect(items(there.value)[0]![L.code]).toBe('065');
    });

    it('zj → canonical: 065 is read as 总氮 w21001', () => {
      const doc = { ...(dialect.examples['risk-alert'] as Record<string, unknown>) };
      doc[L.list] = [{ [L.code]: '065', [L.value]: '2.46', [L.unit]: 'mg/L', [L.flag]: '正常' }];
      expect(dialect.validate(doc)).toEqual([]);
      const back = dialect.toCanonical(doc);
      expect(back.faults).toEqual([]);
      const measurements = (back.value.monitoring as { measurements: { pollutant: string }[] }).measurements;
      expect(measurements[0]!.pollutant).toBe('w21001');
    });

    it('every pollutant of the reference goes canonical → zj → canonical unchanged', () => {
      let legacy = 0;
      for (const p of reference.pollutants) {
        const doc = alertWith(L.version, p.code, p.unit);
        expect(contract.validateCanonical('risk-alert', doc), p.code).toEqual([]);
        const there = dialect.toDialect(doc);
        expect(there.faults, p.code).toEqual([]);
        expect(dialect.validate(there.value), p.code).toEqual([]);
        // A pollutant without a legacy code is carried with its 2017 code, in the same field.
        expect(items(there.value)[0]![L.code], p.code).toBe(p.oldCodeHJT212_2005 ?? p.code);
        if (p.oldCodeHJT212_2005 !== null) legacy++;
        const back = dialect.toCanonical(there.value);
        expect(back.faults, p.code).toEqual([]);
        expect(back.value, p.code).toEqual(doc);
      }
      expect([reference.pollutants.length, legacy]).toEqual([196, 93]);
    });

    it('the zj table and code value list are the reference, entry for entry (scripts/write-pollutant-codes.ts)', () => {
      const expected = Object.fromEntries(
        reference.pollutants.map((p) => [p.code, p.oldCodeHJT212_2005 ?? p.code]),
      );
      const mapping = JSON.parse(readFileSync(`${folder}/mapping.json`, 'utf8'));
      const schema = JSON.parse(readFileSync(`${folder}/schema.json`, 'utf8'));
      expect(mapping.codeTables.pollutant2005).toEqual(expected);
      expect(schema.properties[L.list].items.properties[L.code].enum).toEqual(Object.values(expected));
    });
  });

  it('1.0.0 stays readable: its zj examples read the same under 1.0.0 and 1.1.0, and its messages are read with 1.0.0', () => {
    const old = registry.get('pollution', '1.0.0')!;
    expect(registry.accepting('pollution', '1.0.0')?.version).toBe('1.0.0');
    const oldZj = old.dialects.get('zj')!;
    for (const [type, example] of Object.entries(oldZj.examples)) {
      const before = oldZj.toCanonical(example);
      expect(before.faults, type).toEqual([]);
      expect(zj.validate(example), type).toEqual([]);
      expect(zj.toCanonical(example).value, type).toEqual(before.value);
    }
    // Why 1.1.0 exists: 1.0.0's table lacks 总氮.
    expect(oldZj.toDialect(alertWith('1.1.0', 'w21001', 'mg/L')).faults.map((f) => f.rule)).toContain(
      'code-table',
    );
  });
});
