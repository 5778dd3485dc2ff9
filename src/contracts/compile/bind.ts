import { compactToIsoDate } from '../conversions/date.js';
import type { TranslationFault } from '../faults.js';
import { clone, fault } from './run-steps.js';
import { engineOnly, type RunFn, type StepPlan } from './step-plan.js';

/**
 * Ahead-of-time code for one plan (see plan-source.ts): given the plan's steps (for their
 * conversions, code tables and defaults) and the engine's helpers, returns the plan's run.
 */
export type RunFactory = (steps: StepPlan['steps'], helpers: RunHelpers) => RunFn;

/** What ahead-of-time code calls back into: exactly the helpers `runSteps` uses. */
export interface RunHelpers {
  readonly clone: <T>(v: T) => T;
  readonly fault: (faults: TranslationFault[], pointer: string, error: unknown) => void;
  readonly compactToIsoDate: (value: unknown) => string | undefined;
}

/**
 * Binds ahead-of-time code to the plans it was generated for: a plan runs in the code named by its
 * structure (`planKey`), and a plan without one stays with `runSteps`. Returns how many were bound.
 */
export function bindRuns(
  plans: readonly StepPlan[],
  factories: Readonly<Record<string, RunFactory>>,
  keyOf: (plan: StepPlan) => string,
): number {
  const helpers: RunHelpers = { clone, fault, compactToIsoDate };
  let bound = 0;
  for (const plan of plans) {
    const key = keyOf(plan);
    if (!Object.hasOwn(factories, key) || engineOnly(plan)) continue;
    plan.run = factories[key]!(plan.steps, helpers);
    bound++;
  }
  return bound;
}
