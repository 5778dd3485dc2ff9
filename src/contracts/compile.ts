import { codes } from './conversions/codes.js';
import { compactToIsoDate, date } from './conversions/date.js';
import { join } from './conversions/join.js';
import { money } from './conversions/money.js';
import { normalize } from './conversions/normalize.js';
import { type Conversion, type ConversionFactory, ConversionFault } from './conversions/op.js';
import { patent } from './conversions/patent.js';
import { number, shift } from './conversions/shift.js';
import { template } from './conversions/template.js';
import type {
  CompiledRule,
  Direction,
  FieldStep,
  MappingDocument,
  MappingFault,
  RulePath,
  TranslationFault,
} from './mapping-types.js';
import { compilePointer, formatPointer, parsePointer, type Segments } from './pointer.js';
import { type SchemaNode, type SchemaWalker, typeOf } from './schema-walk.js';

const FACTORIES: Readonly<Record<string, ConversionFactory>> = {
  date,
  money,
  shift,
  number,
  template,
  patent,
  normalize,
};
const FIELD_KEYS = new Set([
  'canonical',
  'dialect',
  'codes',
  'join',
  'default',
  'lossy',
  'description',
  ...Object.keys(FACTORIES),
]);
const CONSTANT_KEYS = new Set(['canonical', 'dialect', 'constant', 'description']);
const ARRAY_KEYS = new Set(['canonical', 'dialect', 'each', 'lossy', 'description']);
const BRANCH_KEYS = new Set(['switch', 'cases', 'description']);

export interface CompileInput {
  readonly mapping: MappingDocument;
  readonly canonicalSchema: SchemaNode;
  readonly dialectSchema: SchemaNode;
  readonly walker: SchemaWalker;
}

export interface CompiledMapping {
  readonly rules: readonly CompiledRule[];
  readonly paths: readonly RulePath[];
  /** Every run of field steps in the rules (see `batch`), in the order they were planned. */
  readonly plans: readonly StepPlan[];
  /**
   * Per direction: the top-level values of a source document that the rules read, gathered in one
   * pass, to hand to every rule as its `gathered` argument (see `Gatherer`).
   */
  readonly gather: { readonly [D in Direction]: (source: unknown) => unknown[] | undefined };
}

interface Scope {
  readonly canonical: Segments;
  readonly dialect: Segments;
}

type Record_ = Record<string, unknown>;
const isRecord = (v: unknown): v is Record_ => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compiles a mapping into closures — no code is generated from text, so the result runs where
 * `eval` is forbidden. Every fault of the mapping file is collected and returned with its pointer.
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
  const ctx = { input, faults, paths, tables: isRecord(tables) ? tables : {}, names, plans };
  const rules = compileRules(ctx, input.mapping.rules, '/rules', { canonical: [], dialect: [] });
  if (faults.length > 0) return faults;
  const gather = {
    toCanonical: (source: unknown) => names.toCanonical.gather(source),
    toDialect: (source: unknown) => names.toDialect.gather(source),
  };
  return { rules, paths, plans, gather };
}

/** The most document shapes (lists of top-level names) a `Gatherer` remembers. */
const SHAPES = 8;

/**
 * Reads the top-level names that field rules ask for from a document in one pass over its own
 * keys, instead of one generic keyed lookup per name (which costs as much for an absent name as for
 * a present one). A document's list of own keys is compared with the shapes seen before; for a
 * known shape each key's slot is already known, so the pass is a copy. Each name has one slot.
 */
class Gatherer {
  private readonly slots = new Map<string, number>();
  private readonly shapes: { readonly keys: readonly string[]; readonly slotOfKey: Int32Array }[] = [];

  /** The slot of a top-level name read by some rule (assigned while compiling). */
  slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  }

  gather(source: unknown): unknown[] | undefined {
    if (this.slots.size === 0 || typeof source !== 'object' || source === null || Array.isArray(source))
      return undefined;
    const keys = Object.keys(source);
    const shape = this.shapeOf(keys);
    const values = Object.values(source);
    const gathered: unknown[] = new Array(this.slots.size);
    const slotOfKey = shape.slotOfKey;
    for (let k = 0; k < slotOfKey.length; k++) {
      const slot = slotOfKey[k]!;
      if (slot >= 0) gathered[slot] = values[k];
    }
    return gathered;
  }

  private shapeOf(keys: readonly string[]): { readonly slotOfKey: Int32Array } {
    const shapes = this.shapes;
    search: for (let i = 0; i < shapes.length; i++) {
      const known = shapes[i]!.keys;
      if (known.length !== keys.length) continue;
      for (let k = 0; k < keys.length; k++) if (known[k] !== keys[k]) continue search;
      return shapes[i]!;
    }
    const slotOfKey = Int32Array.from(keys, (key) => this.slots.get(key) ?? -1);
    const shape = { keys, slotOfKey };
    if (shapes.length >= SHAPES) shapes.pop();
    shapes.unshift(shape);
    return shape;
  }
}

interface Ctx {
  readonly input: CompileInput;
  readonly faults: MappingFault[];
  readonly paths: RulePath[];
  readonly tables: Readonly<Record<string, unknown>>;
  readonly names: { readonly [D in Direction]: Gatherer };
  readonly plans: StepPlan[];
}

function compileRules(ctx: Ctx, rules: readonly unknown[], at: string, scope: Scope): CompiledRule[] {
  const out: CompiledRule[] = [];
  // Rules at the top of the document (not inside an "each") read from the document itself.
  const top = scope.canonical.length === 0 && scope.dialect.length === 0;
  rules.forEach((rule, i) => {
    const compiled = compileRule(ctx, rule, `${at}/${i}`, scope);
    if (compiled) out.push(compiled);
  });
  return batch(out, top ? ctx.names : undefined, ctx.plans);
}

/**
 * Replaces each run of consecutive plain field rules (a run of one too) with one rule that executes
 * them as data in a single loop: the same reads, conversions and writes in the same order, without a
 * call per rule. Each run's plan is recorded; ahead-of-time code may later be bound to it.
 */
function batch(rules: CompiledRule[], names: Ctx['names'] | undefined, plans: StepPlan[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  let run: CompiledRule[] = [];
  const flush = () => {
    if (run.length > 0) {
      const toCanonical = planSteps(
        run.map((r) => r.steps!.toCanonical),
        names?.toCanonical,
      );
      const toDialect = planSteps(
        run.map((r) => r.steps!.toDialect),
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
    if (rule.steps) run.push(rule);
    else {
      flush();
      out.push(rule);
    }
  }
  flush();
  return out;
}

type Keyed = Record<string | number, unknown>;

/** What a run of field steps does to one source: `runSteps` without the plan. */
export type RunFn = (
  src: unknown,
  dst: Record_,
  faults: TranslationFault[],
  base: string,
  gathered: readonly unknown[] | undefined,
) => void;

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
    if (!Object.hasOwn(factories, key)) continue;
    plan.run = factories[key]!(plan.steps, helpers);
    bound++;
  }
  return bound;
}

function planSteps(steps: readonly FieldStep[], names: Gatherer | undefined): StepPlan {
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

function open(plan: StepPlan, containers: (Keyed | undefined)[], dst: Keyed, id: number): Keyed {
  const known = containers[id];
  if (known !== undefined) return known;
  const p = plan.parents[id]!;
  const holder = p.parent < 0 ? dst : open(plan, containers, dst, p.parent);
  let node = holder[p.key];
  if (typeof node !== 'object' || node === null) {
    node = p.array ? [] : {};
    holder[p.key] = node;
  }
  containers[id] = node as Keyed;
  return node as Keyed;
}

function runSteps(
  plan: StepPlan,
  src: unknown,
  dst: Record_,
  faults: TranslationFault[],
  base: string,
  gathered: readonly unknown[] | undefined,
): void {
  const containers: (Keyed | undefined)[] = new Array(plan.parents.length);
  const steps = plan.steps;
  // Consecutive steps mostly write into the same container: the last one is kept at hand.
  let lastParent = -1;
  let lastContainer = dst as Keyed;
  const source = typeof src === 'object' && src !== null ? (src as Keyed) : undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const read = s.read;
    let value: unknown;
    if (source === undefined) value = undefined;
    else if (gathered !== undefined && s.slot >= 0) value = gathered[s.slot];
    else if (read.length === 1) value = source[read[0]!];
    else {
      value = source;
      for (let j = 0; j < read.length; j++) {
        if (typeof value !== 'object' || value === null) {
          value = undefined;
          break;
        }
        value = (value as Keyed)[read[j]!];
      }
    }
    if (value === undefined || value === null) {
      if (s.fallback === undefined) continue;
      value = clone(s.fallback);
    } else if (s.convert !== undefined) {
      // A code table is looked up directly; a miss goes through the conversion, which reports it.
      const hit =
        s.lookup !== undefined ? s.lookup.get(value) : s.compactDate ? compactToIsoDate(value) : undefined;
      if (hit !== undefined) {
        value = hit;
        if (s.parent !== lastParent) {
          lastParent = s.parent;
          lastContainer = s.parent < 0 ? (dst as Keyed) : open(plan, containers, dst as Keyed, s.parent);
        }
        lastContainer[s.key] = value;
        continue;
      }
      try {
        value = s.convert(value);
      } catch (error) {
        fault(faults, base + s.sourceText, error);
        continue;
      }
    } else if (typeof value === 'object') {
      value = clone(value);
    }
    if (s.parent !== lastParent) {
      lastParent = s.parent;
      lastContainer = s.parent < 0 ? (dst as Keyed) : open(plan, containers, dst as Keyed, s.parent);
    }
    lastContainer[s.key] = value;
  }
}

function compileRule(ctx: Ctx, rule: unknown, at: string, scope: Scope): CompiledRule | undefined {
  if (!isRecord(rule)) {
    ctx.faults.push({ pointer: at, detail: 'expected a rule object' });
    return undefined;
  }
  if ('switch' in rule) return compileBranch(ctx, rule, at, scope);
  if ('each' in rule) return compileArray(ctx, rule, at, scope);
  if ('constant' in rule) return compileConstant(ctx, rule, at, scope);
  if (!('canonical' in rule) || !('dialect' in rule)) return compileDrop(ctx, rule, at, scope);
  return compileField(ctx, rule, at, scope);
}

function unknownKeys(ctx: Ctx, rule: Record_, allowed: ReadonlySet<string>, at: string): boolean {
  const extra = Object.keys(rule).filter((k) => !allowed.has(k));
  for (const k of extra)
    ctx.faults.push({
      pointer: `${at}/${k}`,
      detail: `unknown key "${k}" (allowed here: ${[...allowed].join(', ')})`,
    });
  return extra.length > 0;
}

function pointerOf(ctx: Ctx, value: unknown, at: string): Segments | undefined {
  const parsed = parsePointer(value);
  if (typeof parsed === 'string') {
    ctx.faults.push({ pointer: at, detail: parsed });
    return undefined;
  }
  if (parsed.length === 0) {
    ctx.faults.push({ pointer: at, detail: 'a rule cannot map the whole document' });
    return undefined;
  }
  return parsed;
}

/** Checks that a pointer exists in its schema; returns the schema node there. */
function schemaAt(
  ctx: Ctx,
  side: 'canonical' | 'dialect',
  full: Segments,
  at: string,
): SchemaNode | undefined {
  const schema = side === 'canonical' ? ctx.input.canonicalSchema : ctx.input.dialectSchema;
  const node = ctx.input.walker.at(schema, full);
  if (node === undefined)
    ctx.faults.push({ pointer: at, detail: `"${formatPointer(full)}" does not exist in the ${side} schema` });
  return node;
}

function lossyOf(ctx: Ctx, value: unknown, at: string): Direction | undefined {
  if (value === undefined) return undefined;
  if (value === 'toCanonical' || value === 'toDialect') return value;
  ctx.faults.push({ pointer: at, detail: 'expected "toCanonical" or "toDialect"' });
  return undefined;
}

const full = (scope: Segments, own: Segments) => [...scope, ...own];
const clone = <T>(v: T): T =>
  typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as T) : v;
const absent = (v: unknown) => v === undefined || v === null;

function fault(faults: TranslationFault[], pointer: string, error: unknown): void {
  if (error instanceof ConversionFault)
    faults.push({ pointer: pointer || '/', rule: error.rule, detail: error.message });
  else throw error;
}

/** The conversion a field rule asks for, built from its keys, or undefined for a plain copy. */
function conversionOf(
  ctx: Ctx,
  rule: Record_,
  at: string,
  canonicalNode: SchemaNode | undefined,
  canonicalPointer: Segments,
): Conversion | undefined {
  const primary = Object.keys(FACTORIES).filter((k) => k in rule);
  const hasCodes = 'codes' in rule;
  const hasJoin = 'join' in rule;
  const allowedPair = primary.length === 2 && primary.includes('shift') && primary.includes('number');
  if (
    (primary.length > 1 && !allowedPair) ||
    (hasCodes && primary.length > 0) ||
    (hasJoin && primary.length > 0)
  ) {
    ctx.faults.push({
      pointer: at,
      detail: 'a rule takes one conversion ("join" may combine with "codes", "shift" with "number")',
    });
    return undefined;
  }
  const itemNode =
    (hasJoin || hasCodes) && typeOf(canonicalNode) === 'array'
      ? ctx.input.walker.at(ctx.input.canonicalSchema, [...canonicalPointer, '*'])
      : canonicalNode;
  const facts = {
    type: typeOf(itemNode),
    format: typeof itemNode?.format === 'string' ? itemNode.format : undefined,
  };
  let element: Conversion | undefined;
  if (hasCodes) {
    const name = rule.codes;
    const table = typeof name === 'string' ? ctx.tables[name] : undefined;
    if (!isRecord(table)) {
      ctx.faults.push({ pointer: `${at}/codes`, detail: `no code table named ${JSON.stringify(name)}` });
      return undefined;
    }
    const built = codes(table, name as string, facts.type);
    if (typeof built === 'string')
      ctx.faults.push({ pointer: `/codeTables/${name as string}`, detail: built });
    else element = built;
  }
  const chain: Conversion[] = [];
  for (const key of primary) {
    const built = FACTORIES[key]!(rule[key], facts);
    if (typeof built === 'string') ctx.faults.push({ pointer: `${at}/${key}`, detail: built });
    else chain.push(built);
  }
  if (hasJoin) {
    const built = join(rule.join, element);
    if (typeof built === 'string') ctx.faults.push({ pointer: `${at}/join`, detail: built });
    return typeof built === 'string' ? undefined : built;
  }
  if (element) return typeOf(canonicalNode) === 'array' ? eachElement(element) : element;
  if (chain.length === 0) return undefined;
  if (chain.length === 1) return chain[0];
  // toDialect applies the chain in order (e.g. shift, then number); toCanonical in reverse.
  const order =
    primary.includes('number') && primary.includes('shift')
      ? [chain[primary.indexOf('shift')]!, chain[primary.indexOf('number')]!]
      : chain;
  return {
    toDialect: (v) => order.reduce((acc, c) => c.toDialect(acc), v),
    toCanonical: (v) => order.reduceRight((acc, c) => c.toCanonical(acc), v),
  };
}

/** Applies an element conversion to every item of an array (e.g. a code table over a list of codes). */
function eachElement(element: Conversion): Conversion {
  const map = (v: unknown, f: (x: unknown) => unknown) => {
    if (!Array.isArray(v)) throw new ConversionFault('type', '应为数组');
    return v.map(f);
  };
  return {
    toCanonical: (v) => map(v, (x) => element.toCanonical(x)),
    toDialect: (v) => map(v, (x) => element.toDialect(x)),
  };
}

function compileField(ctx: Ctx, rule: Record_, at: string, scope: Scope): CompiledRule | undefined {
  unknownKeys(ctx, rule, FIELD_KEYS, at);
  const c = pointerOf(ctx, rule.canonical, `${at}/canonical`);
  const d = pointerOf(ctx, rule.dialect, `${at}/dialect`);
  const lossy = lossyOf(ctx, rule.lossy, `${at}/lossy`);
  if (!c || !d) return undefined;
  const canonicalNode = schemaAt(ctx, 'canonical', full(scope.canonical, c), `${at}/canonical`);
  schemaAt(ctx, 'dialect', full(scope.dialect, d), `${at}/dialect`);
  const conversion = conversionOf(ctx, rule, at, canonicalNode, full(scope.canonical, c));
  const defaults = rule.default;
  if (
    defaults !== undefined &&
    (!isRecord(defaults) || Object.keys(defaults).some((k) => k !== 'canonical' && k !== 'dialect'))
  ) {
    ctx.faults.push({
      pointer: `${at}/default`,
      detail: 'expected {"canonical": value} and/or {"dialect": value}',
    });
  }
  const defaultCanonical = isRecord(defaults) ? defaults.canonical : undefined;
  const defaultDialect = isRecord(defaults) ? defaults.dialect : undefined;
  ctx.paths.push({
    kind: 'field',
    canonical: full(scope.canonical, c),
    dialect: full(scope.dialect, d),
    ...(lossy ? { lossy } : {}),
    ...(typeof rule.codes === 'string' ? { codes: rule.codes, joined: 'join' in rule } : {}),
    ...(isRecord(defaults) ? { defaults: Object.keys(defaults) as ('canonical' | 'dialect')[] } : {}),
    at,
  });
  const dp = compilePointer(d);
  const cp = compilePointer(c);
  const plain = [...d, ...c].every((seg) => !(seg in Object.prototype));
  const step = (
    read: Segments,
    write: Segments,
    convert: ((v: unknown) => unknown) | undefined,
    lookup: ReadonlyMap<unknown, unknown> | undefined,
    compactDate: boolean,
    fallback: unknown,
    sourceText: string,
  ): FieldStep => ({
    read: read.map((x) => (/^(0|[1-9]\d*)$/.test(x) ? Number(x) : x)),
    write: write.map((x) => (/^(0|[1-9]\d*)$/.test(x) ? Number(x) : x)),
    arrays: write.map((_, i) => i + 1 < write.length && /^(0|[1-9]\d*)$/.test(write[i + 1]!)),
    ...(convert === undefined ? {} : { convert }),
    ...(lookup === undefined ? {} : { lookup }),
    ...(compactDate ? { compactDate } : {}),
    ...(fallback === undefined ? {} : { fallback }),
    sourceText,
  });
  const steps = plain
    ? {
        toCanonical: step(
          d,
          c,
          conversion?.toCanonical,
          conversion?.lookup?.toCanonical,
          conversion?.compactDate === true,
          defaultCanonical,
          dp.text,
        ),
        toDialect: step(
          c,
          d,
          conversion?.toDialect,
          conversion?.lookup?.toDialect,
          false,
          defaultDialect,
          cp.text,
        ),
      }
    : undefined;
  return {
    ...(steps === undefined ? {} : { steps }),
    toCanonical(src, dst, faults, base) {
      const value = dp.get(src);
      if (value === undefined || value === null) {
        if (defaultCanonical !== undefined) cp.set(dst, clone(defaultCanonical));
        return;
      }
      try {
        cp.set(
          dst,
          conversion ? conversion.toCanonical(value) : typeof value === 'object' ? clone(value) : value,
        );
      } catch (error) {
        fault(faults, base + dp.text, error);
      }
    },
    toDialect(src, dst, faults, base) {
      const value = cp.get(src);
      if (value === undefined || value === null) {
        if (defaultDialect !== undefined) dp.set(dst, clone(defaultDialect));
        return;
      }
      try {
        dp.set(
          dst,
          conversion ? conversion.toDialect(value) : typeof value === 'object' ? clone(value) : value,
        );
      } catch (error) {
        fault(faults, base + cp.text, error);
      }
    },
  };
}

function compileConstant(ctx: Ctx, rule: Record_, at: string, scope: Scope): CompiledRule | undefined {
  unknownKeys(ctx, rule, CONSTANT_KEYS, at);
  const side = 'canonical' in rule ? 'canonical' : 'dialect';
  if ('canonical' in rule && 'dialect' in rule) {
    ctx.faults.push({ pointer: at, detail: 'a constant rule names one side: "canonical" or "dialect"' });
    return undefined;
  }
  const p = pointerOf(ctx, rule[side], `${at}/${side}`);
  if (!p) return undefined;
  schemaAt(ctx, side, full(side === 'canonical' ? scope.canonical : scope.dialect, p), `${at}/${side}`);
  const value = rule.constant;
  ctx.paths.push({
    kind: 'constant',
    [side]: full(side === 'canonical' ? scope.canonical : scope.dialect, p),
    at,
  });
  const pointer = compilePointer(p);
  const write = (dst: Record_) => {
    if (absent(pointer.get(dst))) pointer.set(dst, clone(value));
  };
  return side === 'canonical'
    ? { toCanonical: (_s, dst) => write(dst), toDialect: () => {} }
    : { toCanonical: () => {}, toDialect: (_s, dst) => write(dst) };
}

function compileDrop(ctx: Ctx, rule: Record_, at: string, scope: Scope): CompiledRule | undefined {
  unknownKeys(ctx, rule, new Set(['canonical', 'dialect', 'lossy', 'keep', 'description']), at);
  const side = 'dialect' in rule ? 'dialect' : 'canonical';
  const expected: Direction = side === 'dialect' ? 'toCanonical' : 'toDialect';
  if (rule.lossy !== expected) {
    ctx.faults.push({
      pointer: at,
      detail: `a rule with only "${side}" drops the field and must say "lossy": "${expected}" (or name both sides to map it)`,
    });
    return undefined;
  }
  const p = pointerOf(ctx, rule[side], `${at}/${side}`);
  if (!p) return undefined;
  const fullP = full(side === 'dialect' ? scope.dialect : scope.canonical, p);
  const node = schemaAt(ctx, side, fullP, `${at}/${side}`);
  const keep = rule.keep;
  if (
    keep !== undefined &&
    (!Number.isInteger(keep) || (keep as number) < 1 || (node && typeOf(node) !== 'array'))
  ) {
    ctx.faults.push({
      pointer: `${at}/keep`,
      detail: '"keep" is the number (≥ 1) of leading items of an array that are carried',
    });
  }
  ctx.paths.push({
    kind: 'drop',
    [side]: fullP,
    lossy: expected,
    ...(typeof keep === 'number' ? { keep } : {}),
    at,
  });
  return DROP;
}

/** What a dropped field does when translating: nothing (its path was recorded for the checks). */
const DROP: CompiledRule = { toCanonical: () => {}, toDialect: () => {} };

function compileArray(ctx: Ctx, rule: Record_, at: string, scope: Scope): CompiledRule | undefined {
  unknownKeys(ctx, rule, ARRAY_KEYS, at);
  const c = pointerOf(ctx, rule.canonical, `${at}/canonical`);
  const d = pointerOf(ctx, rule.dialect, `${at}/dialect`);
  if (!c || !d) return undefined;
  const canonicalNode = schemaAt(ctx, 'canonical', full(scope.canonical, c), `${at}/canonical`);
  const dialectNode = schemaAt(ctx, 'dialect', full(scope.dialect, d), `${at}/dialect`);
  if (canonicalNode && typeOf(canonicalNode) !== 'array')
    ctx.faults.push({
      pointer: `${at}/canonical`,
      detail: 'an "each" rule maps arrays; this canonical field is not one',
    });
  if (dialectNode && typeOf(dialectNode) !== 'array')
    ctx.faults.push({
      pointer: `${at}/dialect`,
      detail: 'an "each" rule maps arrays; this dialect field is not one',
    });
  if (!Array.isArray(rule.each)) {
    ctx.faults.push({ pointer: `${at}/each`, detail: 'expected a list of rules for each item' });
    return undefined;
  }
  const itemScope = { canonical: [...scope.canonical, ...c, '*'], dialect: [...scope.dialect, ...d, '*'] };
  const lossy = lossyOf(ctx, rule.lossy, `${at}/lossy`);
  ctx.paths.push({
    kind: 'array',
    canonical: full(scope.canonical, c),
    dialect: full(scope.dialect, d),
    ...(lossy ? { lossy } : {}),
    at,
  });
  const items = compileRules(ctx, rule.each, `${at}/each`, itemScope);
  const map = (direction: Direction, source: Segments, target: Segments) => {
    const apply = items.map((r) => r[direction]);
    const sourcePointer = compilePointer(source);
    const targetPointer = compilePointer(target);
    const sourceText = sourcePointer.text;
    return (src: unknown, dst: Record_, faults: TranslationFault[], base: string) => {
      const list = sourcePointer.get(src);
      if (absent(list)) return;
      if (!Array.isArray(list)) {
        faults.push({ pointer: base + sourceText, rule: 'type', detail: '应为数组' });
        return;
      }
      const prefix = `${base}${sourceText}/`;
      const out: Record_[] = new Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const target: Record_ = {};
        const at = prefix + i;
        for (let r = 0; r < apply.length; r++) apply[r]!(list[i], target, faults, at);
        out[i] = target;
      }
      targetPointer.set(dst, out);
    };
  };
  return { toCanonical: map('toCanonical', d, c), toDialect: map('toDialect', c, d) };
}

function compileBranch(ctx: Ctx, rule: Record_, at: string, scope: Scope): CompiledRule | undefined {
  unknownKeys(ctx, rule, BRANCH_KEYS, at);
  const sw = rule.switch;
  if (!isRecord(sw) || !('canonical' in sw) || !('dialect' in sw)) {
    ctx.faults.push({
      pointer: `${at}/switch`,
      detail: 'expected a field rule naming the discriminator on both sides',
    });
    return undefined;
  }
  // The discriminator is a run of one field step, so that it has a plan (and ahead-of-time code).
  const field = compileField(ctx, sw, `${at}/switch`, scope);
  const top = scope.canonical.length === 0 && scope.dialect.length === 0;
  const discriminator = field && batch([field], top ? ctx.names : undefined, ctx.plans)[0];
  const c = parsePointer(sw.canonical);
  if (!isRecord(rule.cases) || Object.keys(rule.cases).length === 0) {
    ctx.faults.push({ pointer: `${at}/cases`, detail: 'expected cases by canonical discriminator value' });
    return undefined;
  }
  const cases = new Map<string, CompiledRule[]>();
  for (const [value, rules] of Object.entries(rule.cases)) {
    if (!Array.isArray(rules)) {
      ctx.faults.push({ pointer: `${at}/cases/${value}`, detail: 'expected a list of rules' });
      continue;
    }
    cases.set(value, compileRules(ctx, rules, `${at}/cases/${value}`, scope));
  }
  const last = ctx.paths.findLast((p) => p.at === `${at}/switch`);
  if (last) ctx.paths[ctx.paths.indexOf(last)] = { ...last, kind: 'switch' };
  const dSegments = parsePointer(sw.dialect);
  if (!discriminator || typeof c === 'string' || typeof dSegments === 'string') return undefined;
  const cPointer = compilePointer(c);
  const cText = cPointer.text;
  const dText = formatPointer(dSegments);
  const pick = (
    value: unknown,
    faults: TranslationFault[],
    base: string,
    text: string,
  ): CompiledRule[] | undefined => {
    const chosen = cases.get(String(value)) ?? cases.get('*');
    if (chosen === undefined) {
      faults.push({
        pointer: base + text,
        rule: 'switch',
        detail: `${JSON.stringify(value)} 没有对应的映射分支（可用：${[...cases.keys()].join('、')}）`,
      });
    }
    return chosen;
  };
  return {
    toCanonical(src, dst, faults, base, gathered) {
      const before = faults.length;
      discriminator.toCanonical(src, dst, faults, base, gathered);
      if (faults.length > before) return;
      const value = cPointer.get(dst);
      if (absent(value)) return;
      const chosen = pick(value, faults, base, dText);
      if (chosen === undefined) return;
      for (const r of chosen) r.toCanonical(src, dst, faults, base, gathered);
    },
    toDialect(src, dst, faults, base, gathered) {
      const value = cPointer.get(src);
      if (absent(value)) return;
      const chosen = pick(value, faults, base, cText);
      if (chosen === undefined) return;
      discriminator.toDialect(src, dst, faults, base, gathered);
      for (const r of chosen) r.toDialect(src, dst, faults, base, gathered);
    },
  };
}
