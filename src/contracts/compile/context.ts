import type { MappingFault } from '../faults.js';
import type { Direction, MappingDocument, ProvenanceWrite, RulePath } from '../mapping-types.js';
import type { Segments } from '../pointer.js';
import type { SchemaNode, SchemaWalker } from '../schema-walk.js';
import type { Gatherer } from './gatherer.js';
import type { StepPlan } from './step-plan.js';

export interface CompileInput {
  readonly mapping: MappingDocument;
  readonly canonicalSchema: SchemaNode;
  readonly dialectSchema: SchemaNode;
  readonly walker: SchemaWalker;
}

export interface Scope {
  readonly canonical: Segments;
  readonly dialect: Segments;
  /** Inside a case of a branch rule (where a provenance rule may not stand). */
  readonly inCase?: boolean;
}

export type Record_ = Record<string, unknown>;
export const isRecord = (v: unknown): v is Record_ =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Ctx {
  readonly input: CompileInput;
  readonly faults: MappingFault[];
  readonly paths: RulePath[];
  readonly tables: Readonly<Record<string, unknown>>;
  readonly names: { readonly [D in Direction]: Gatherer };
  readonly plans: StepPlan[];
  /** The provenance rules of the mapping (top level only), applied after the other rules. */
  readonly provenance: ProvenanceWrite[];
}
