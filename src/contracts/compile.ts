import { type CompileInput, isRecord } from './compile/context.js';
import { Gatherer } from './compile/gatherer.js';
import { compileRules } from './compile/rules.js';
import type { StepPlan } from './compile/step-plan.js';
import type { MappingFault } from './faults.js';
import type { CompiledRule, Direction, ProvenanceWrite, RulePath } from './mapping-types.js';

export interface CompiledMapping {
  readonly rules: readonly CompiledRule[];
  readonly paths: readonly RulePath[];
  /** Every run of field steps in the rules (see `batch`), in the order they were planned. */
  readonly plans: readonly StepPlan[];
  /** Provenance rules, applied towards the dialect after the rules when the context has a value. */
  readonly provenance: readonly ProvenanceWrite[];
  /**
   * Per direction: the top-level values of a source document that the rules read, gathered in one
   * pass, to hand to every rule as its `gathered` argument (see `Gatherer`).
   */
  readonly gather: { readonly [D in Direction]: (source: unknown) => unknown[] | undefined };
}

/**
 * Compiles a mapping: field rules become steps (data), batched into plans that `runSteps` executes
 * (or ahead-of-time code, once bound); constants, arrays and switches become closures around them.
 * No code is generated from text, so the result runs where `eval` is forbidden. Every fault of the
 * mapping file is collected and returned with its pointer.
 */
export function compileMapping(input: CompileInput): CompiledMapping | MappingFault[] {
  const faults: MappingFault[] = [];
  const paths: RulePath[] = [];
  const tables = input.mapping.codeTables ?? {};
  if (!isRecord(tables)) faults.push({ pointer: '/codeTables', detail: 'expected an object of code tables' });
  if (!Array.isArray(input.mapping.rules)) {
    faults.push({ pointer: '/rules', detail: 'expected a list of rules' });
    return faults;
  }
  const names = { toCanonical: new Gatherer(), toDialect: new Gatherer() };
  const plans: StepPlan[] = [];
  const provenance: ProvenanceWrite[] = [];
  const ctx = { input, faults, paths, tables: isRecord(tables) ? tables : {}, names, plans, provenance };
  const rules = compileRules(ctx, input.mapping.rules, '/rules', { canonical: [], dialect: [] });
  if (faults.length > 0) return faults;
  const gather = {
    toCanonical: (source: unknown) => names.toCanonical.gather(source),
    toDialect: (source: unknown) => names.toDialect.gather(source),
  };
  return { rules, paths, plans, provenance, gather };
}
