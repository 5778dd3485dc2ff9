import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import reference from '../../contracts/reference/pollution-codes.json' with { type: 'json' };
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';

/**
 * The zj dialect of pollution writes pollutants with their HJ/T 212-2005 legacy code where the
 * reference gives one, and with the HJ 212-2017 code itself where it gives none (since 1.1.0; 1.0.0
 * knew 13 pollutants and refused the rest). Every pollutant of the reference survives the round trip.
 */
const dir = readContractsDir('contracts');
const { registry, faults } = loadAll(dir);
const current = registry.get('pollution', '1.1.0')!;
const zj = current.dialects.get('zj')!;
const zjFolder = 'contracts/pollution/1.1.0/dialects/zj';

/** A canonical risk alert (the zj example's) whose only measurement is `pollutant` in `unit`. */
function alertWith(pollutant: string, unit: string): Record<string, unknown> {
  const base = zj.toCanonical(zj.examples['risk-alert']).value;
  const monitoring = base.monitoring as Record<string, unknown>;
  return {
    ...base,
    monitoring: { ...monitoring, measurements: [{ pollutant, value: '2.46', unit, flag: 'N' }] },
  };
}

describe('pollution zj pollutant codes (HJ/T 212-2005 ↔ HJ 212-2017)', () => {
  it('pollution 1.0.0 and 1.1.0 both load; 1.1.0 is accepted as a compatible minor of 1.0.0', () => {
    expect([...faults.keys()]).toEqual([]);
    expect(registry.get('pollution', '1.0.0')).toBeDefined();
    expect(registry.latest('pollution')?.version).toBe('1.1.0');
  });

  it('canonical → zj: 总氮 w21001 is written 065', () => {
    const there = zj.toDialect(alertWith('w21001', 'mg/L'));
    expect(there.faults).toEqual([]);
    expect(zj.validate(there.value)).toEqual([]);
    expect((there.value.JCSJ as Record<string, unknown>[])[0]!.WRWBM).toBe('065');
  });

  it('zj → canonical: 065 is read as 总氮 w21001', () => {
    const doc = { ...(zj.examples['risk-alert'] as Record<string, unknown>) };
    doc.JCSJ = [{ WRWBM: '065', JCZ: '2.46', JLDW: 'mg/L', SJBZ: '正常' }];
    expect(zj.validate(doc)).toEqual([]);
    const back = zj.toCanonical(doc);
    expect(back.faults).toEqual([]);
    const measurements = (back.value.monitoring as { measurements: { pollutant: string }[] }).measurements;
    expect(measurements[0]!.pollutant).toBe('w21001');
  });

  it('every pollutant of the reference goes canonical → zj → canonical unchanged', () => {
    let legacy = 0;
    for (const p of reference.pollutants) {
      const doc = alertWith(p.code, p.unit);
      expect(current.validateCanonical('risk-alert', doc), p.code).toEqual([]);
      const there = zj.toDialect(doc);
      expect(there.faults, p.code).toEqual([]);
      expect(zj.validate(there.value), p.code).toEqual([]);
      // A pollutant without a legacy code is carried with its 2017 code, in the same field.
      const written = (there.value.JCSJ as Record<string, unknown>[])[0]!.WRWBM;
      expect(written, p.code).toBe(p.oldCodeHJT212_2005 ?? p.code);
      if (p.oldCodeHJT212_2005 !== null) legacy++;
      const back = zj.toCanonical(there.value);
      expect(back.faults, p.code).toEqual([]);
      expect(back.value, p.code).toEqual(doc);
    }
    expect([reference.pollutants.length, legacy]).toEqual([196, 93]);
  });

  it('the zj table and WRWBM value list are the reference, entry for entry (scripts/write-pollutant-codes.ts)', () => {
    const expected = Object.fromEntries(
      reference.pollutants.map((p) => [p.code, p.oldCodeHJT212_2005 ?? p.code]),
    );
    const mapping = JSON.parse(readFileSync(`${zjFolder}/mapping.json`, 'utf8'));
    const schema = JSON.parse(readFileSync(`${zjFolder}/schema.json`, 'utf8'));
    expect(mapping.codeTables.pollutant2005).toEqual(expected);
    expect(schema.properties.JCSJ.items.properties.WRWBM.enum).toEqual(Object.values(expected));
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
    expect(oldZj.toDialect(alertWith('w21001', 'mg/L')).faults.map((f) => f.rule)).toContain('code-table');
  });
});
