import { isMessageType, type MessageType } from '../vocabulary/messages.js';
import { admitContractFiles } from './admit.js';
import type { StepPlan } from './compile/step-plan.js';
import { type CompiledMapping, compileMapping } from './compile.js';
import { messageFault } from './fault-text.js';
import type { ContractFault, TranslationFault } from './faults.js';
import type { ContractFiles } from './files.js';
import type { MappingDocument, ProvenanceContext, RulePath } from './mapping-types.js';
import { formatPointer, getAt, isIndex, parsePointer, type Segments } from './pointer.js';
import { type CoreSchemas, type SchemaNode, SchemaWalker } from './schema-walk.js';
import { describeSchemaErrors, type ValidateFn } from './validation-faults.js';
import { pointerText, readWorkflows, type Title, type Workflow } from './workflow.js';

/** Validators by name: `canonical` and `dialect:<name>`. */
export type ValidatorSet = Readonly<Record<string, ValidateFn>>;

/** Supplies validators for a contract: compiled with ajv on Node, precompiled on Workers. */
export type ValidatorProvider = (key: string, schemas: Readonly<Record<string, SchemaNode>>) => ValidatorSet;

export interface TranslationResult {
  readonly value: Record<string, unknown>;
  readonly faults: readonly TranslationFault[];
}

/** One dialect of a contract, compiled. */
export class Dialect {
  constructor(
    readonly name: string,
    readonly messageTypes: readonly MessageType[],
    readonly schema: SchemaNode,
    readonly mapping: CompiledMapping,
    readonly examples: Readonly<Record<string, unknown>>,
    readonly codeTables: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
    private readonly validateFn: ValidateFn,
  ) {}

  validate(document: unknown): TranslationFault[] {
    return this.validateFn(document) ? [] : describeSchemaErrors(this.validateFn.errors ?? [], document);
  }

  toCanonical(document: unknown): TranslationResult {
    const value: Record<string, unknown> = {};
    const faults: TranslationFault[] = [];
    const rules = this.mapping.rules;
    const gathered = this.mapping.gather.toCanonical(document);
    for (let i = 0; i < rules.length; i++) rules[i]!.toCanonical(document, value, faults, '', gathered);
    return { value, faults };
  }

  /** `provenance`: the envelope of the message being delivered, for the mapping's provenance rules. */
  toDialect(canonical: unknown, provenance?: ProvenanceContext): TranslationResult {
    const value: Record<string, unknown> = {};
    const faults: TranslationFault[] = [];
    const rules = this.mapping.rules;
    const gathered = this.mapping.gather.toDialect(canonical);
    for (let i = 0; i < rules.length; i++) rules[i]!.toDialect(canonical, value, faults, '', gathered);
    if (provenance !== undefined) {
      for (const write of this.mapping.provenance) {
        const from = provenance[write.from];
        if (from !== undefined) write.set(value, from);
      }
    }
    return { value, faults };
  }

  /** The pointer in this dialect that carries a canonical pointer, if a rule maps it. */
  dialectPointerFor(canonicalPointer: string): string | undefined {
    const target = parsePointer(canonicalPointer);
    if (typeof target === 'string') return undefined;
    let best: { length: number; pointer: string } | undefined;
    for (const path of this.mapping.paths) {
      if (path.canonical === undefined || path.dialect === undefined) continue;
      const indices = matchPattern(path.canonical, target);
      if (indices === undefined) continue;
      if (best !== undefined && best.length >= path.canonical.length) continue;
      let i = 0;
      const dialect = path.dialect.map((s) => (s === '*' ? (indices[i++] ?? '0') : s));
      best = {
        length: path.canonical.length,
        pointer: formatPointer([...dialect, ...target.slice(path.canonical.length)]),
      };
    }
    return best?.pointer;
  }
}

/** Matches a pattern (with `*` for any index) against the start of a pointer; returns the indices. */
function matchPattern(pattern: Segments, pointer: Segments): string[] | undefined {
  if (pattern.length > pointer.length) return undefined;
  const indices: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*') {
      if (!isIndex(pointer[i]!)) return undefined;
      indices.push(pointer[i]!);
    } else if (pattern[i] !== pointer[i]) return undefined;
  }
  return indices;
}

/** A contract version, compiled: its canonical validator, its message types and its dialects. */
export class Contract {
  constructor(
    readonly domain: string,
    readonly version: string,
    readonly title: string,
    readonly base: string,
    readonly canonicalSchema: SchemaNode,
    readonly requires: ReadonlyMap<MessageType, readonly Segments[]>,
    readonly dialects: ReadonlyMap<string, Dialect>,
    readonly walker: SchemaWalker,
    private readonly validateCanonicalFn: ValidateFn,
    /** The state machines of its request types (contract.json `workflows`), by name. */
    readonly workflows: ReadonlyMap<string, Workflow> = new Map(),
    /** The titles of its message types that declare one (contract.json `messageTypes.<type>.title`). */
    readonly typeTitles: ReadonlyMap<MessageType, Title> = new Map(),
  ) {}

  /** The workflow a request of `type` opens, if any. */
  workflowOpenedBy(type: MessageType): Workflow | undefined {
    for (const workflow of this.workflows.values()) if (workflow.opens.includes(type)) return workflow;
    return undefined;
  }

  get id(): string {
    return `${this.domain}@${this.version}`;
  }

  get messageTypes(): MessageType[] {
    return [...this.requires.keys()];
  }

  /**
   * How this version translates: `built` when every plan runs in ahead-of-time code (`yrdx contracts
   * build`), `engine` when none does (a stale build), `mixed` when some do (e.g. a version uploaded
   * through the admin API whose unchanged plans run the code built for an earlier version).
   */
  get translation(): 'built' | 'mixed' | 'engine' {
    const plans = this.plans;
    const bound = plans.filter((p) => p.run !== undefined).length;
    return bound === 0 ? 'engine' : bound === plans.length ? 'built' : 'mixed';
  }

  /** Every run of field steps in the mappings of every dialect (what ahead-of-time code is written for). */
  get plans(): StepPlan[] {
    return [...this.dialects.values()].flatMap((d) => d.mapping.plans);
  }

  /** Validates a canonical body for a message type: the schema, then what the type requires. */
  validateCanonical(type: MessageType | undefined, document: unknown): TranslationFault[] {
    const faults = this.validateCanonicalFn(document)
      ? []
      : describeSchemaErrors(this.validateCanonicalFn.errors ?? [], document);
    if (type === undefined) return faults;
    const requires = this.requires.get(type);
    if (requires === undefined) {
      faults.push({ pointer: '/', rule: 'message-type', detail: messageFault('messageType', { type }) });
      return faults;
    }
    for (const pointer of requires) {
      if (getAt(document, pointer) === undefined) {
        faults.push({
          pointer: formatPointer(pointer),
          rule: 'required',
          detail: messageFault('requiredByType', { type }),
        });
      }
    }
    return faults;
  }
}

/**
 * Reads a contract's files into a compiled contract, or returns every fault found in them. The
 * files pass `admitContractFiles` first (names, depth, size, patterns), so nothing below recurses
 * into a file of unknown depth. The mapping checks of `checks.ts` run separately (`checkContract`).
 */
export function loadContract(
  files: ContractFiles,
  core: CoreSchemas,
  validators: ValidatorProvider,
): Contract | ContractFault[] {
  const refused = admitContractFiles(files);
  if (refused.length > 0) return refused;
  const faults: ContractFault[] = [];
  const add = (file: string, pointer: string, detail: string) => faults.push({ file, pointer, detail });
  const meta = files.contract as Record<string, unknown>;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    add('contract.json', '', 'expected a JSON object');
    return faults;
  }
  // Names checked by admitContractFiles.
  const domain = meta.domain as string;
  const version = meta.version as string;
  const requires = new Map<MessageType, Segments[]>();
  const types = meta.messageTypes as Record<string, { requires?: unknown; title?: unknown }> | undefined;
  const typeTitles = new Map<MessageType, Title>();
  if (typeof types !== 'object' || types === null || Object.keys(types).length === 0) {
    add('contract.json', '/messageTypes', 'expected the message types this contract carries');
  } else {
    for (const [type, spec] of Object.entries(types)) {
      if (!isMessageType(type)) {
        add('contract.json', `/messageTypes/${type}`, 'not a yrdx message type');
        continue;
      }
      const list = Array.isArray(spec?.requires) ? spec.requires : [];
      const pointers: Segments[] = [];
      list.forEach((p: unknown, i: number) => {
        const parsed = parsePointer(p);
        if (typeof parsed === 'string') add('contract.json', `/messageTypes/${type}/requires/${i}`, parsed);
        else pointers.push(parsed);
      });
      requires.set(type, pointers);
      const title = spec?.title as Partial<Title> | undefined;
      if (title !== undefined) {
        const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200;
        if (typeof title !== 'object' || title === null || !ok(title['zh-CN']) || !ok(title.en))
          add('contract.json', `/messageTypes/${type}/title`, 'expected {"zh-CN": "…", "en": "…"}');
        else typeTitles.set(type, { 'zh-CN': title['zh-CN']!, en: title.en! });
      }
    }
  }
  const workflowFaults: { pointer: string; detail: string }[] = [];
  const workflows = readWorkflows(meta.workflows, new Set(requires.keys()), workflowFaults);
  for (const f of workflowFaults) add('contract.json', f.pointer, f.detail);
  const canonical = files.canonical as SchemaNode;
  const walker = new SchemaWalker([...core, canonical]);
  // Every pointer a workflow reads in a body must be one the canonical schema has.
  for (const [name, workflow] of workflows) {
    const pointers = [
      ...workflow.transitions.flatMap((t) => [...t.when, ...t.whenRequest].map(([p]) => p)),
      ...workflow.organs,
      ...workflow.requires,
      ...(workflow.participants === undefined ? [] : [workflow.participants]),
      ...[...workflow.states.values()].flatMap((st) =>
        [st.due?.fromRequest, st.expires?.fromRequest].flatMap((d) =>
          d === undefined ? [] : 'pointer' in d ? [d.pointer] : [d.list],
        ),
      ),
    ];
    for (const p of pointers)
      if (
        walker.at(
          canonical,
          p.map((seg) => (seg === '*' ? '0' : seg)),
        ) === undefined
      )
        add('contract.json', `/workflows/${name}`, `${pointerText(p)} is not in the canonical schema`);
  }
  const dialectMeta = (meta.dialects ?? {}) as Record<string, { messageTypes?: unknown }>;
  const schemas: Record<string, SchemaNode> = { canonical };
  for (const name of Object.keys(files.dialects))
    schemas[`dialect:${name}`] = files.dialects[name]!.schema as SchemaNode;
  let compiled: ValidatorSet;
  try {
    compiled = validators(`${domain}@${version}`, schemas);
  } catch (error) {
    add('canonical.schema.json', '', `a schema does not compile: ${(error as Error).message}`);
    return faults;
  }
  const dialects = new Map<string, Dialect>();
  for (const [name, dialectFiles] of Object.entries(files.dialects)) {
    const file = (f: string) => `dialects/${name}/${f}`;
    const carried = dialectMeta[name]?.messageTypes;
    if (!Array.isArray(carried)) {
      add(
        'contract.json',
        `/dialects/${name}/messageTypes`,
        'expected the message types this dialect carries',
      );
      continue;
    }
    const carriedTypes = carried.filter((t): t is MessageType => isMessageType(t) && requires.has(t));
    if (carriedTypes.length !== carried.length)
      add('contract.json', `/dialects/${name}/messageTypes`, 'lists a type the contract does not carry');
    const mapping = dialectFiles.mapping as MappingDocument;
    const result = compileMapping({
      mapping,
      canonicalSchema: canonical,
      dialectSchema: dialectFiles.schema as SchemaNode,
      walker,
    });
    if (Array.isArray(result)) {
      for (const f of result) add(file('mapping.json'), f.pointer, f.detail);
      continue;
    }
    if (mapping.domain !== domain) add(file('mapping.json'), '/domain', `expected "${domain}"`);
    if (mapping.dialect !== name) add(file('mapping.json'), '/dialect', `expected "${name}"`);
    dialects.set(
      name,
      new Dialect(
        name,
        carriedTypes,
        dialectFiles.schema as SchemaNode,
        result,
        dialectFiles.examples,
        mapping.codeTables ?? {},
        compiled[`dialect:${name}`]!,
      ),
    );
  }
  for (const name of Object.keys(dialectMeta)) {
    if (!Object.hasOwn(files.dialects, name))
      add('contract.json', `/dialects/${name}`, `no folder dialects/${name}`);
  }
  if (faults.length > 0) return faults;
  return new Contract(
    domain,
    version,
    typeof meta.title === 'string' ? meta.title : domain,
    files.base,
    canonical,
    requires,
    dialects,
    walker,
    compiled.canonical!,
    workflows,
    typeTitles,
  );
}

export type { RulePath };
