import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDifference, roundTripIgnores, without } from '../../src/contracts/round-trip.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

/**
 * The domain contracts under contracts/: every load check passes (each example of each
 * dialect validates, translates to a valid canonical body, comes back unchanged, and survives every
 * other dialect), and generated canonical documents survive every dialect.
 */
const dir = readContractsDir('contracts');
const { registry, faults } = loadAll(dir);

describe('the domain contracts', () => {
  it('all load and pass every check', () => {
    const report = [...faults].flatMap(([base, list]) =>
      list.map((f) => `${base}/${f.file}#${f.pointer}: ${f.detail}`),
    );
    expect(report).toEqual([]);
    // The domains are the contracts' folders: the first four, and the two added as contracts only
    // (issue 17: 资质资格认定 and 商业特许经营, with no change under src/).
    expect([...new Set(registry.list().map((c) => c.domain))].sort()).toEqual([
      'food-safety',
      'franchise',
      'ip-protection',
      'pollution',
      'qualification',
      'road-transport',
    ]);
  });

  it('have four dialects each, with an example for every message type they carry', () => {
    for (const contract of registry.list()) {
      expect([...contract.dialects.keys()].sort()).toEqual(['ah', 'js', 'sh', 'zj']);
      for (const dialect of contract.dialects.values()) {
        for (const type of dialect.messageTypes)
          expect(dialect.examples[type], `${contract.id} ${dialect.name} ${type}`).toBeDefined();
      }
    }
  });
});

describe('generated canonical documents survive every dialect (canonical → dialect → canonical)', () => {
  for (const contract of registry.list()) {
    for (const dialect of contract.dialects.values()) {
      it(`${contract.id} via ${dialect.name}`, () => {
        const ignore = roundTripIgnores(dialect.mapping.paths, 'canonical');
        let unrepresentable = 0;
        fc.assert(
          fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
            const valid = contract.validateCanonical(undefined, doc);
            fc.pre(valid.length === 0);
            const there = dialect.toDialect(doc);
            // A value the dialect has no code for (e.g. a pollutant without an HJ/T 212-2005 code)
            // is refused, not silently changed: that document cannot travel in this dialect.
            if (there.faults.length > 0 && there.faults.every((f) => f.rule === 'code-table')) {
              unrepresentable++;
              return;
            }
            expect(there.faults).toEqual([]);
            expect(dialect.validate(there.value)).toEqual([]);
            const back = dialect.toCanonical(there.value);
            expect(back.faults).toEqual([]);
            expect(firstDifference(without(doc, ignore), without(back.value, ignore))).toBeUndefined();
          }),
          { numRuns: 60 },
        );
        expect(unrepresentable).toBeLessThan(60);
      });
    }
  }
});
