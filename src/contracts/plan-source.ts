import { engineOnly, type StepPlan } from './compile/step-plan.js';

/**
 * Ahead-of-time translation code: the JavaScript source of one run of field steps (a `StepPlan`),
 * written by `yrdx contracts build` next to the standalone validators. It does exactly what
 * `runSteps` does with that plan — same reads, conversions, faults and writes, in the same order —
 * but as straight-line code with the names written out, so that every read and write is a property
 * access V8 can specialise. Nothing here runs generated code: the source is bundled or required like
 * any module, and a plan without generated code runs in `runSteps`.
 *
 * The generated code takes the plan's conversions, code tables and defaults from the plan itself
 * when it is bound (`steps[i].convert`, …): it depends only on the plan's structure, which
 * `planKey` names. `__proto__`, `constructor` and `prototype` never reach a plan (pointers refuse
 * them); a plan naming another member `Object.prototype` has (`toString`, …) gets no code and runs
 * in `runSteps`, which reads such names from own members only (`engineOnly`). Keys are written as
 * string literals, so no input or mapping text can become code.
 */

/** Bumped whenever the code written here changes meaning, so that older generated files are not used. */
const FORMAT = 1;

/** A plan's structure: everything the generated code assumes about it. */
export function planStructure(plan: StepPlan): string {
  return JSON.stringify({
    format: FORMAT,
    steps: plan.steps.map((s) => [
      s.read,
      s.parent,
      s.key,
      s.slot,
      s.convert !== undefined,
      s.lookup !== undefined,
      s.compactDate,
      s.fallback !== undefined,
    ]),
    parents: plan.parents.map((p) => [p.parent, p.key, p.array]),
  });
}

/**
 * A 64-bit hash of a plan's structure, as 16 hex digits: the name of its generated code. Two 32-bit
 * multiply-xor lanes (as in cyrb53, all 64 bits kept): fast enough for every isolate's start, and the
 * build refuses two structures that share a name (`runsModule`).
 */
export function planKey(plan: StepPlan): string {
  const text = planStructure(plan);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return hex(h2) + hex(h1);
}

const literal = (key: string | number) => (typeof key === 'number' ? String(key) : JSON.stringify(key));
const member = (key: string | number) => `[${literal(key)}]`;

/**
 * The body of `function (steps, helpers) { … }` returning the run function
 * `(src, dst, faults, base, g) => void` (the signature of `runSteps` without the plan).
 *
 * What it writes, per step, mirrors `runSteps`: read the value (a gathered slot, a name of the
 * source, or a path through it), skip or default an absent one, convert it (code table first, then
 * the conversion, whose fault is reported against the source pointer), clone an object, open the
 * containers down to the target and store. Containers are opened by one small function each, as
 * `open` does: an object already at that key is written into, not replaced. Objects met on the way
 * to a value are read once per run: the run never writes into its source.
 */
export function planSource(plan: StepPlan): string {
  if (engineOnly(plan)) throw new Error('a plan naming a member of Object.prototype runs in the engine only');
  const bind: string[] = [
    'const { clone, fault, compactToIsoDate } = helpers;',
    "const obj = (x) => (typeof x === 'object' && x !== null ? x : undefined);",
  ];
  plan.parents.forEach((p, k) => {
    const fresh = p.array ? '[]' : '{}';
    bind.push(
      `const open${k} = (h) => { let c = h${member(p.key)}; ` +
        `if (typeof c !== 'object' || c === null) { c = ${fresh}; h${member(p.key)} = c; } return c; };`,
    );
  });
  // The objects on the way to each value, read once: p<n> is the object at one path prefix, or undefined.
  const prefixes = new Map<string, string>();
  const head: string[] = [];
  const prefix = (path: readonly (string | number)[]): string => {
    if (path.length === 0) return 'o';
    const id = JSON.stringify(path);
    let name = prefixes.get(id);
    if (name === undefined) {
      const holder = prefix(path.slice(0, -1));
      name = `p${prefixes.size}`;
      prefixes.set(id, name);
      head.push(`const ${name} = obj(${holder}?.${member(path.at(-1)!)});`);
    }
    return name;
  };
  const container = (k: number): string => {
    const p = plan.parents[k]!;
    return `(c${k} ??= open${k}(${p.parent < 0 ? 'dst' : container(p.parent)}))`;
  };
  const body: string[] = [];
  plan.steps.forEach((s, i) => {
    if (s.convert !== undefined)
      bind.push(`const C${i} = steps[${i}].convert, T${i} = steps[${i}].sourceText;`);
    if (s.lookup !== undefined) bind.push(`const L${i} = steps[${i}].lookup;`);
    if (s.fallback !== undefined) bind.push(`const F${i} = steps[${i}].fallback;`);
    const last = member(s.read.at(-1)!);
    const holder = prefix(s.read.slice(0, -1));
    const read =
      s.read.length === 1 && s.slot >= 0
        ? `v = o === undefined ? undefined : g !== undefined ? g[${s.slot}] : o${last};`
        : `v = ${holder}?.${last};`;
    const absent = s.fallback !== undefined ? `v = clone(F${i});` : `break s${i};`;
    let present: string;
    if (s.convert !== undefined) {
      const convert = `try { v = C${i}(v); } catch (error) { fault(faults, base + T${i}, error); break s${i}; }`;
      const hit = s.lookup !== undefined ? `L${i}.get(v)` : s.compactDate ? 'compactToIsoDate(v)' : undefined;
      present =
        hit === undefined ? `{ ${convert} }` : `{ h = ${hit}; if (h !== undefined) v = h; else ${convert} }`;
    } else present = `if (typeof v === 'object') v = clone(v);`;
    const target = s.parent < 0 ? 'dst' : container(s.parent);
    body.push(`s${i}: { ${read} if (v == null) ${absent} else ${present} ${target}${member(s.key)} = v; }`);
  });
  return [
    ...bind,
    'return function run(src, dst, faults, base, g) {',
    "const o = typeof src === 'object' && src !== null ? src : undefined;",
    ...head,
    `let v, h${plan.parents.map((_, k) => `, c${k}`).join('')};`,
    ...body,
    '};',
  ].join('\n');
}

/**
 * The module `yrdx contracts build` writes for a contract: the ahead-of-time code of every plan of
 * its mappings, once per structure, by `planKey` (CommonJS, like the standalone validators). Plans
 * that run in the engine only (`engineOnly`) are left out.
 */
export function runsModule(id: string, plans: readonly StepPlan[]): string {
  const byKey = new Map<string, StepPlan>();
  for (const plan of plans) {
    if (engineOnly(plan)) continue;
    const key = planKey(plan);
    const known = byKey.get(key);
    // Two structures with one 64-bit name would bind one's code to the other: refuse to build.
    if (known !== undefined && planStructure(known) !== planStructure(plan))
      throw new Error(`${id}: two different plans share the key ${key}`);
    byKey.set(key, plan);
  }
  const entries = [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    `// Generated by \`yrdx contracts build\` from the mappings of ${id}. Do not edit.`,
    '// Each entry is the translation code of one run of field rules; see src/contracts/plan-source.ts.',
    '"use strict";',
    'module.exports = {',
    ...entries.map(
      ([key, plan]) => `${JSON.stringify(key)}: function (steps, helpers) {\n${planSource(plan)}\n},`,
    ),
    '};',
    '',
  ].join('\n');
}
