import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLocalDialect } from '../../src/contracts/deliver.js';
import { fidelity } from '../../src/contracts/fidelity.js';
import { normalizeIdentifiers } from '../../src/contracts/identifier-forms.js';
import { parsePointer, type Segments } from '../../src/contracts/pointer.js';
import { roundTripIgnores, without } from '../../src/contracts/round-trip.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { loadAll } from '../helpers/contracts.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

/**
 * Issue 16's promise, as a property of every shipped contract: a canonical document generated from
 * the canonical schema (several parties, rights, test items, every party kind, dates and date-times,
 * Chinese text) is delivered in every dialect as the inbox delivers it — never refused — and what the
 * local system reads back equals the document except exactly at the reported losses; and every
 * reported loss is one the mapping declares (or a value its code tables lack), never a surprise.
 */
const { registry, faults } = loadAll(readContractsDir('contracts'));

/** The pointer patterns the mapping declares lossy towards the dialect (`*` any item, `@n` from n on). */
const covered = (pointer: string, patterns: readonly Segments[]) => {
  const segs = parsePointer(pointer) as Segments;
  return patterns.some(
    (pattern) =>
      pattern.length <= segs.length &&
      pattern.every((p, i) =>
        p === '*' ? true : p.startsWith('@') ? Number(segs[i]) >= Number(p.slice(1)) : p === segs[i],
      ),
  );
};

/**
 * The document without empty objects and lists: `{"manifest": {}}` holds no fact (a flat dialect has
 * no way to write an object with no members or a list with no items, and nothing is lost when it
 * does not come back).
 */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = prune(v);
    if (typeof kept === 'object' && kept !== null && Object.keys(kept).length === 0) continue;
    out[k] = kept;
  }
  return out;
}

/** The case core: what no 2.x dialect may lose (issue 16: "the goal is nothing for the case core"). */
const CASE_CORE = ['/case', '/parties', '/decision'];

describe('canonical → every dialect, as delivered to a local system', () => {
  it('every shipped contract loads', () => {
    expect([...faults.values()].flat()).toEqual([]);
  });

  for (const contract of registry.list()) {
    for (const dialect of contract.dialects.values()) {
      const type = dialect.messageTypes[0]!;
      it(`${contract.id} via ${dialect.name}: equal but for the reported losses, each one declared`, () => {
        const declared = roundTripIgnores(dialect.mapping.paths, 'canonical');
        fc.assert(
          fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
            fc.pre(contract.validateCanonical(undefined, doc).length === 0);
            const received = structuredClone(doc) as Record<string, unknown>;
            const local = toLocalDialect(contract, dialect.name, type, received);
            const back = dialect.toCanonical(local.body).value;
            normalizeIdentifiers(contract, back);
            normalizeIdentifiers(contract, received);
            // The report is complete: remove what it names and nothing else differs.
            expect(local.losses.omitted).toBe(0);
            const lost = local.losses.pointers.map((p) => parsePointer(p) as Segments);
            expect(prune(without(back, lost))).toEqual(prune(without(received, lost)));
            // And honest: each loss is declared by the mapping, or a code its tables lack (refused
            // by a conversion towards the dialect, so the value is left out, never altered).
            const toDialect = dialect.toDialect(received);
            const refused = toDialect.faults.map((f) => f.pointer);
            for (const p of local.losses.pointers)
              expect(
                covered(p, declared) ||
                  refused.some((r) => r === p || r.startsWith(`${p}/`) || p.startsWith(`${r}/`)),
                `${p} lost but not declared`,
              ).toBe(true);
          }),
          { numRuns: 40 },
        );
      });
    }
  }

  for (const contract of registry.list().filter((c) => Number(c.version.split('.')[0]) >= 2)) {
    it(`${contract.id}: no dialect declares a loss in the case core`, () => {
      const core = fidelity(contract).flatMap((f) =>
        f.declared
          .filter((p) => CASE_CORE.some((c) => p === c || p.startsWith(`${c}/`)))
          .map((p) => `${f.dialect} ${p}`),
      );
      expect([...new Set(core)]).toEqual([]);
    });
  }
});
