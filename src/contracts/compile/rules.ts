import { listOf } from '../../errors/text.js';
import { messageFault } from '../fault-text.js';
import type { TranslationFault } from '../faults.js';
import type { CompiledRule, Direction, FieldRule, FieldStep } from '../mapping-types.js';
import { compilePointer, formatPointer, parsePointer, type Segments } from '../pointer.js';
import { typeOf } from '../schema-walk.js';
import { type Ctx, isRecord, type Record_, type Scope } from './context.js';
import { conversionOf, FACTORIES } from './conversion.js';
import { batch, DROP } from './plan.js';
import { compileProvenance } from './provenance.js';
import { lossyOf, pointerOf, schemaAt, unknownKeys } from './rule-checks.js';
import { clone } from './run-steps.js';

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

export function compileRules(ctx: Ctx, rules: readonly unknown[], at: string, scope: Scope): CompiledRule[] {
  const out: (CompiledRule | FieldRule)[] = [];
  // Rules at the top of the document (not inside an "each") read from the document itself.
  const top = scope.canonical.length === 0 && scope.dialect.length === 0;
  rules.forEach((rule, i) => {
    const compiled = compileRule(ctx, rule, `${at}/${i}`, scope);
    if (compiled) out.push(compiled);
  });
  return batch(out, top ? ctx.names : undefined, ctx.plans);
}

function compileRule(
  ctx: Ctx,
  rule: unknown,
  at: string,
  scope: Scope,
): CompiledRule | FieldRule | undefined {
  if (!isRecord(rule)) {
    ctx.faults.push({ pointer: at, detail: 'expected a rule object' });
    return undefined;
  }
  if ('switch' in rule) return compileBranch(ctx, rule, at, scope);
  if ('each' in rule) return compileArray(ctx, rule, at, scope);
  if ('constant' in rule) return compileConstant(ctx, rule, at, scope);
  if ('provenance' in rule) return compileProvenance(ctx, rule, at, scope);
  if (!('canonical' in rule) || !('dialect' in rule)) return compileDrop(ctx, rule, at, scope);
  return compileField(ctx, rule, at, scope);
}

const full = (scope: Segments, own: Segments) => [...scope, ...own];
const absent = (v: unknown) => v === undefined || v === null;

function compileField(ctx: Ctx, rule: Record_, at: string, scope: Scope): FieldRule | undefined {
  unknownKeys(ctx, rule, FIELD_KEYS, at);
  const c = pointerOf(ctx, rule.canonical, `${at}/canonical`);
  const d = pointerOf(ctx, rule.dialect, `${at}/dialect`);
  const lossy = lossyOf(ctx, rule.lossy, `${at}/lossy`);
  if (!c || !d) return undefined;
  const canonicalNode = schemaAt(ctx, 'canonical', full(scope.canonical, c), `${at}/canonical`);
  schemaAt(ctx, 'dialect', full(scope.dialect, d), `${at}/dialect`);
  const conversion = conversionOf(ctx, rule, at, canonicalNode, full(scope.canonical, c));
  if (conversion?.losesTime && lossy !== 'toDialect')
    ctx.faults.push({
      pointer: at,
      detail:
        'this date-only form cannot carry the time of day a canonical `when` may have: declare "lossy": "toDialect" (or use a form with a time)',
    });
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
    ...('date' in rule || 'money' in rule ? { spellings: true as const } : {}),
    ...(isRecord(defaults) ? { defaults: Object.keys(defaults) as ('canonical' | 'dialect')[] } : {}),
    at,
  });
  // A name Object.prototype also has is read from the document's own members only (see runSteps).
  const own = [...d, ...c].some((seg) => seg in Object.prototype);
  const step = (
    read: Segments,
    write: Segments,
    convert: ((v: unknown) => unknown) | undefined,
    lookup: ReadonlyMap<unknown, unknown> | undefined,
    compactDate: boolean,
    fallback: unknown,
  ): FieldStep => ({
    read: read.map((x) => (/^(0|[1-9]\d*)$/.test(x) ? Number(x) : x)),
    write: write.map((x) => (/^(0|[1-9]\d*)$/.test(x) ? Number(x) : x)),
    arrays: write.map((_, i) => i + 1 < write.length && /^(0|[1-9]\d*)$/.test(write[i + 1]!)),
    ...(convert === undefined ? {} : { convert }),
    ...(lookup === undefined ? {} : { lookup }),
    ...(compactDate ? { compactDate } : {}),
    ...(fallback === undefined ? {} : { fallback }),
    ...(own ? { own } : {}),
    sourceText: formatPointer(read),
  });
  return {
    steps: {
      toCanonical: step(
        d,
        c,
        conversion?.toCanonical,
        conversion?.lookup?.toCanonical,
        conversion?.compactDate === true,
        defaultCanonical,
      ),
      toDialect: step(c, d, conversion?.toDialect, conversion?.lookup?.toDialect, false, defaultDialect),
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
        faults.push({ pointer: base + sourceText, rule: 'type', detail: messageFault('array') });
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
    cases.set(value, compileRules(ctx, rules, `${at}/cases/${value}`, { ...scope, inCase: true }));
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
        detail: messageFault('noCase', { value: JSON.stringify(value), cases: listOf([...cases.keys()]) }),
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
