import type { CompiledRule, FieldRule, FieldStep } from '../mapping-types.js';
import type { Ctx } from './context.js';
import type { Gatherer } from './gatherer.js';
import { runSteps } from './run-steps.js';
import type { StepPlan } from './step-plan.js';

/**
 * Replaces each run of consecutive field rules (a run of one too) with one rule that executes
 * them as data in a single loop: the same reads, conversions and writes in the same order, without a
 * call per rule. Each run's plan is recorded; ahead-of-time code may later be bound to it.
 */
export function batch(
  rules: readonly (CompiledRule | FieldRule)[],
  names: Ctx['names'] | undefined,
  plans: StepPlan[],
): CompiledRule[] {
  const out: CompiledRule[] = [];
  let run: FieldRule[] = [];
  const flush = () => {
    if (run.length > 0) {
      const toCanonical = planSteps(
        run.map((r) => r.steps.toCanonical),
        names?.toCanonical,
      );
      const toDialect = planSteps(
        run.map((r) => r.steps.toDialect),
        names?.toDialect,
      );
      plans.push(toCanonical, toDialect);
      // A plan runs in its ahead-of-time code when some has been bound to it (see `bindRuns`).
      out.push({
        toCanonical: (src, dst, faults, base, gathered) => {
          const run = toCanonical.run;
          if (run !== undefined) run(src, dst, faults, base, gathered);
          else runSteps(toCanonical, src, dst, faults, base, gathered);
        },
        toDialect: (src, dst, faults, base, gathered) => {
          const run = toDialect.run;
          if (run !== undefined) run(src, dst, faults, base, gathered);
          else runSteps(toDialect, src, dst, faults, base, gathered);
        },
      });
    }
    run = [];
  };
  for (const rule of rules) {
    // A drop does nothing, so it neither runs nor ends a run of field rules.
    if (rule === DROP) continue;
    if ('steps' in rule) run.push(rule);
    else {
      flush();
      out.push(rule);
    }
  }
  flush();
  return out;
}

export function planSteps(steps: readonly FieldStep[], names: Gatherer | undefined): StepPlan {
  const parents: { parent: number; key: string | number; array: boolean }[] = [];
  const ids = new Map<string, number>();
  const containerOf = (s: FieldStep, depth: number): number => {
    if (depth === 0) return -1;
    const path = JSON.stringify(s.write.slice(0, depth));
    const known = ids.get(path);
    if (known !== undefined) return known;
    const parent = containerOf(s, depth - 1);
    parents.push({ parent, key: s.write[depth - 1]!, array: s.arrays[depth - 1]! });
    ids.set(path, parents.length - 1);
    return parents.length - 1;
  };
  return {
    // Every step has the same shape (absent members are undefined, in a fixed order), so that the
    // loop in runSteps reads them with monomorphic property loads.
    steps: steps.map((s) => ({
      read: s.read,
      write: s.write,
      arrays: s.arrays,
      convert: s.convert,
      lookup: s.lookup,
      compactDate: s.compactDate === true,
      fallback: s.fallback,
      own: s.own === true,
      sourceText: s.sourceText,
      parent: containerOf(s, s.write.length - 1),
      key: s.write[s.write.length - 1]!,
      slot:
        names !== undefined && s.read.length === 1 && typeof s.read[0] === 'string'
          ? names.slotOf(s.read[0])
          : -1,
    })),
    parents,
  };
}

/** What a dropped field does when translating: nothing (its path was recorded for the checks). */
export const DROP: CompiledRule = { toCanonical: () => {}, toDialect: () => {} };
