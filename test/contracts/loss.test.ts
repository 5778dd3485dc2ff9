import { describe, expect, it } from 'vitest';
import { toLocalDialect } from '../../src/contracts/deliver.js';
import { differences, MAX_LOSSES, withPointers } from '../../src/contracts/loss.js';
import { translate } from '../../src/contracts/translate.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';

const { registry } = loadAll(readContractsDir('contracts'));

describe('differences: every pointer at which two documents differ', () => {
  it('is empty for equal documents, whatever the key order', () => {
    expect(differences({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toEqual({
      pointers: [],
      omitted: 0,
    });
  });

  it('lists missing, changed and extra values, a whole missing subtree as one pointer', () => {
    const a = {
      parties: [{ name: '甲' }, { name: '乙', kind: 'person' }],
      time: '2025-10-09T22:48:00+08:00',
    };
    const b = { parties: [{ name: '甲' }], time: '2025-10-09T00:00:00+08:00', source: '江苏' };
    expect(differences(a, b)).toEqual({ pointers: ['/parties/1', '/time', '/source'], omitted: 0 });
  });

  it('does not count an empty object or list absent on the other side: it holds no fact', () => {
    const sent = { waste: { code: 'HW01', manifest: {} }, items: [], nested: { a: { b: [] } } };
    expect(differences(sent, { waste: { code: 'HW01' } })).toEqual({ pointers: [], omitted: 0 });
    expect(differences({ waste: { code: 'HW01' } }, sent)).toEqual({ pointers: [], omitted: 0 });
    // A value inside is a fact: its absence is a loss, and an empty value against a value differs.
    expect(differences({ m: { a: '' } }, {}).pointers).toEqual(['/m']);
    expect(differences({ m: {} }, { m: 1 }).pointers).toEqual(['/m']);
    expect(differences({ m: [{}] }, { m: [] }).pointers).toEqual([]);
  });

  it('escapes pointer segments and reports a change of type at its pointer', () => {
    expect(differences({ 'a/b': { 'c~d': 1 }, x: [1] }, { 'a/b': { 'c~d': '1' }, x: { 0: 1 } })).toEqual({
      pointers: ['/a~1b/c~0d', '/x'],
      omitted: 0,
    });
    expect(differences(1, 2).pointers).toEqual(['/']);
  });

  it('is bounded: at most MAX_LOSSES pointers, the rest counted', () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, i]));
    const report = differences(many, {});
    expect(report.pointers).toHaveLength(MAX_LOSSES);
    expect(report.omitted).toBe(150);
    expect(report.pointers[0]).toBe('/k0');
    expect(differences(many, {}, 3)).toEqual({ pointers: ['/k0', '/k1', '/k2'], omitted: 247 });
  });

  it('adds further pointers once, not inside a listed one, within the bound', () => {
    const base = { pointers: ['/parties/1'], omitted: 0 };
    expect(withPointers(base, ['/parties/1/name', '/parties/1', '/code'])).toEqual({
      pointers: ['/parties/1', '/code'],
      omitted: 0,
    });
    expect(withPointers(base, ['/a', '/b'], 2)).toEqual({ pointers: ['/parties/1', '/a'], omitted: 1 });
  });
});

describe('toLocalDialect: canonical → a local dialect, never refused, with its losses', () => {
  it('reports the second party a flat dialect cannot carry (js case transfer → zj)', () => {
    const contract = registry.get('food-safety', '1.0.0')!;
    const js = contract.dialects.get('js')!.examples['case-transfer'];
    const canonical = translate(contract, 'js', 'canonical', 'case-transfer', js);
    expect((canonical.parties as unknown[]).length).toBe(2);
    const out = toLocalDialect(contract, 'zj', 'case-transfer', canonical);
    expect(out.losses).toEqual({ pointers: ['/parties/1'], omitted: 0 });
    expect(out.dialectValid).toBe(true);
  });

  it('reports nothing when the dialect carries everything (zj → zj)', () => {
    const contract = registry.get('food-safety', '1.0.0')!;
    const zj = contract.dialects.get('zj')!.examples['case-transfer'];
    const canonical = translate(contract, 'zj', 'canonical', 'case-transfer', zj);
    expect(toLocalDialect(contract, 'zj', 'case-transfer', canonical).losses.pointers).toEqual([]);
  });

  it('leaves out a code the dialect table lacks (总氮 w21001 in pollution 1.0.0 zj) instead of refusing', () => {
    const contract = registry.get('pollution', '1.0.0')!;
    const js = contract.dialects.get('js')!.examples['risk-alert'];
    const canonical = translate(contract, 'js', 'canonical', 'risk-alert', js);
    const measurements = (canonical.monitoring as { measurements: unknown[] }).measurements;
    measurements.push({ pollutant: 'w21001', value: '3.1', unit: 'mg/L', flag: 'N' });
    expect(contract.validateCanonical('risk-alert', canonical)).toEqual([]);
    // The strict path refuses it, as before…
    expect(() => translate(contract, 'canonical', 'zj', 'risk-alert', canonical)).toThrow();
    // …the delivery path leaves the code out and says so.
    const out = toLocalDialect(contract, 'zj', 'risk-alert', canonical);
    const items = (out.body as { JCSJ: Record<string, unknown>[] }).JCSJ;
    expect(items[4]).toEqual({ JCZ: '3.1', JLDW: 'mg/L', SJBZ: '正常' });
    expect(out.losses.pointers).toContain('/monitoring/measurements/4/pollutant');
    // zj's JCSJ items require a code: the body no longer meets zj's schema, and says so.
    expect(out.dialectValid).toBe(false);
  });

  it('reports a time of day a date-only dialect cannot carry', () => {
    const contract = registry.get('road-transport', '1.0.0')!;
    const js = contract.dialects.get('js')!.examples['case-transfer'];
    const canonical = translate(contract, 'js', 'canonical', 'case-transfer', js);
    expect(toLocalDialect(contract, 'zj', 'case-transfer', canonical).losses.pointers).toEqual([
      '/violation/occurredAt',
    ]);
  });
});
