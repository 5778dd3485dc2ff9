import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstDifference, roundTripIgnores, without } from '../../src/contracts/round-trip.js';
import { fixture, loadAll } from '../helpers/contracts.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

/**
 * Canonical documents generated from the canonical schema go through every dialect and back:
 * canonical → dialect must validate against the dialect schema, and canonical → dialect → canonical
 * must return the document, except what the dialect declares lossy (or cannot represent at all,
 * such as a pollutant without a legacy code, which the dialect refuses with a code-table fault).
 */
function roundTripProperty(dirPath?: string, runs = 60) {
  const dir = fixture();
  const { registry, faults } = loadAll(dirPath === undefined ? dir : (dir as never));
  expect([...faults.values()].flat()).toEqual([]);
  return { registry, runs };
}

describe('canonical → dialect → canonical, for generated documents (fixture contract)', () => {
  const { registry } = roundTripProperty();
  for (const contract of registry.list()) {
    for (const dialect of contract.dialects.values()) {
      it(`${contract.id} via ${dialect.name}`, () => {
        const ignore = roundTripIgnores(dialect.mapping.paths, 'canonical');
        fc.assert(
          fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
            expect(contract.validateCanonical(undefined, doc)).toEqual([]);
            const there = dialect.toDialect(doc);
            expect(there.faults).toEqual([]);
            expect(dialect.validate(there.value)).toEqual([]);
            const back = dialect.toCanonical(there.value);
            expect(back.faults).toEqual([]);
            expect(firstDifference(without(doc, ignore), without(back.value, ignore))).toBeUndefined();
          }),
          { numRuns: 80 },
        );
      });
    }
  }
});
