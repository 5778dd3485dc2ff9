import type { TranslationFault } from '../faults.js';
import type { FieldStep } from '../mapping-types.js';
import type { Record_ } from './context.js';

/** What a run of field steps does to one source: `runSteps` without the plan. */
export type RunFn = (
  src: unknown,
  dst: Record_,
  faults: TranslationFault[],
  base: string,
  gathered: readonly unknown[] | undefined,
) => void;

/** A run of field steps with the containers they write into numbered, so each is found once per run. */
export interface StepPlan {
  readonly steps: readonly (FieldStep & {
    readonly parent: number;
    readonly key: string | number;
    /** For a step reading one top-level name: its slot in the gathered values (see Gatherer), else -1. */
    readonly slot: number;
  })[];
  /** Each container: the container it lives in (-1: the document), its key, and whether it is an array. */
  readonly parents: readonly {
    readonly parent: number;
    readonly key: string | number;
    readonly array: boolean;
  }[];
  /** The plan's ahead-of-time code, once bound (`bindRuns`); `runSteps` runs the plan until then. */
  run?: RunFn;
}

/** Whether a plan names a member `Object.prototype` also has (`FieldStep.own`): it runs in `runSteps` only. */
export const engineOnly = (plan: StepPlan): boolean => plan.steps.some((s) => s.own);
