import { bindRuns, type RunFactory } from './compile/bind.js';
import type { StepPlan } from './compile/step-plan.js';
import type { Contract } from './contract.js';
import { planKey, planStructure } from './plan-source.js';

/**
 * The ahead-of-time code a node has bound to its built contracts, kept so that a contract compiled
 * later — a version uploaded through the admin API — can run the same code for every plan whose
 * structure is exactly that of a built one (an unchanged dialect in a new minor version, say).
 * A plan is bound only when its whole structure equals the one the code was written for, not merely
 * its name, so no two structures can ever share code here, however their names compare.
 */
export class KnownRuns {
  readonly #known = new Map<string, { readonly structure: string; readonly factory: RunFactory }>();

  constructor(private readonly keyOf: (plan: StepPlan) => string = planKey) {}

  /** Remembers the code bound to a built contract's plans. */
  learn(contract: Contract, factories: Readonly<Record<string, RunFactory>>): void {
    for (const plan of contract.plans) {
      const key = this.keyOf(plan);
      if (!Object.hasOwn(factories, key) || this.#known.has(key)) continue;
      this.#known.set(key, { structure: planStructure(plan), factory: factories[key]! });
    }
  }

  /** Binds remembered code to each plan of `contract` with exactly the same structure; returns how many. */
  bind(contract: Contract): number {
    let bound = 0;
    for (const plan of contract.plans) {
      const key = this.keyOf(plan);
      const known = this.#known.get(key);
      if (known === undefined || known.structure !== planStructure(plan)) continue;
      bound += bindRuns([plan], { [key]: known.factory }, this.keyOf);
    }
    return bound;
  }
}
