import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bindRuns, type RunFactory } from '../../src/contracts/compile/bind.js';
import type { StepPlan } from '../../src/contracts/compile/step-plan.js';
import { type Contract, type Dialect, loadContract } from '../../src/contracts/contract.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { KnownRuns } from '../../src/contracts/known-runs.js';
import { loadContracts } from '../../src/contracts/load-all.js';
import { planKey, planSource, planStructure } from '../../src/contracts/plan-source.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { type ContractsDir, readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { aheadOfTimeRuns, runsFileName } from '../../src/runtime/node/runs.js';
import { fixture, loadAll } from '../helpers/contracts.js';
import { schemaArbitrary } from '../helpers/schema-arbitrary.js';

/**
 * Ahead-of-time translation code (`yrdx contracts build`, src/contracts/plan-source.ts) must
 * translate exactly as the engine does: the same values with their keys in the same order, the same
 * faults in the same order. Every test here translates with both and compares the two.
 */

const shipped = readContractsDir('contracts');
const engine = loadAll(shipped).registry;
const aot = aheadOfTimeRuns('contracts');
const ahead = loadContracts(shipped.core, shipped.contracts, (_k, s) => compileValidators(shipped.core, s), {
  runs: aot.runs,
}).registry;

/** The test's own compilation of generated code (tests may generate code; yrdx never does at run time). */
function compiledHere(plans: readonly StepPlan[]): Record<string, RunFactory> {
  const factories: Record<string, RunFactory> = {};
  for (const plan of plans)
    factories[planKey(plan)] = new Function('steps', 'helpers', planSource(plan)) as RunFactory;
  return factories;
}

function loadWithGeneratedCode(dir: ContractsDir) {
  return loadContracts(dir.core, dir.contracts, (_k, s) => compileValidators(dir.core, s), {
    runs: (contract) => compiledHere(contract.plans),
  }).registry;
}

/** Both results, serialised so that key order counts too. */
function same(a: unknown, b: unknown): void {
  expect(JSON.stringify(b)).toBe(JSON.stringify(a));
}

/** Translates with both dialects, in both directions where the input allows, and compares. */
function compareToCanonical(one: Dialect, other: Dialect, document: unknown): void {
  same(one.toCanonical(document), other.toCanonical(document));
}
function compareToDialect(one: Dialect, other: Dialect, document: unknown): void {
  same(one.toDialect(document), other.toDialect(document));
}

/** Documents derived from an example that break it in every way one top-level member can. */
function broken(example: Record<string, unknown>): unknown[] {
  const replacements = [null, 12345, 0, '', '??', '2025-13-45', {}, [], [1, '二'], { x: 1 }, true];
  const out: unknown[] = [];
  for (const key of Object.keys(example)) {
    for (const r of replacements) out.push({ ...example, [key]: r });
    const { [key]: _, ...rest } = example;
    out.push(rest);
  }
  out.push({}, [], 'text', null, 42);
  return out;
}

describe('ahead-of-time translation code for the contracts under contracts/', () => {
  it('is current for every contract and runs every plan', () => {
    expect(aot.notCurrent).toEqual([]);
    for (const contract of ahead.list()) {
      expect(contract.plans.length).toBeGreaterThan(0);
      for (const plan of contract.plans) expect(plan.run).toBeTypeOf('function');
    }
  });

  for (const contract of ahead.list()) {
    const reference = engine.get(contract.domain, contract.version)!;
    for (const dialect of contract.dialects.values()) {
      const plain = reference.dialects.get(dialect.name)!;
      it(`${contract.id} ${dialect.name}: examples, and every way of breaking them, translate as in the engine`, () => {
        for (const example of Object.values(dialect.examples)) {
          compareToCanonical(plain, dialect, example);
          for (const doc of broken(example as Record<string, unknown>))
            compareToCanonical(plain, dialect, doc);
          const canonical = plain.toCanonical(example).value;
          compareToDialect(plain, dialect, canonical);
          for (const doc of broken(canonical)) compareToDialect(plain, dialect, doc);
        }
      });
      it(`${contract.id} ${dialect.name}: generated canonical documents translate as in the engine`, () => {
        fc.assert(
          fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
            compareToDialect(plain, dialect, doc);
            const there = plain.toDialect(doc).value;
            compareToCanonical(plain, dialect, there);
          }),
          { numRuns: 40 },
        );
      });
    }
  }
});

describe('the edge bundle', () => {
  it('carries the translation code of every contract, and binds it to every plan', () => {
    const require = createRequire(import.meta.url);
    const bundle = require('../../build/worker/contracts.cjs') as {
      runs: Record<string, Record<string, RunFactory>>;
    };
    const dir = readContractsDir('contracts');
    const { registry } = loadContracts(dir.core, dir.contracts, (_k, s) => compileValidators(dir.core, s), {
      check: false,
      runs: (contract) => bundle.runs[contract.id],
    });
    expect(Object.keys(bundle.runs).sort()).toEqual(
      registry
        .list()
        .map((c) => c.id)
        .sort(),
    );
    for (const contract of registry.list())
      expect(contract.plans.filter((p) => p.run === undefined)).toEqual([]);
  });
});

describe('ahead-of-time translation code for the fixture contract (compiled by the test)', () => {
  const dir = fixture();
  const reference = loadAll(dir).registry;
  const generated = loadWithGeneratedCode(dir);
  for (const contract of generated.list()) {
    for (const dialect of contract.dialects.values()) {
      const plain = reference.get(contract.domain, contract.version)!.dialects.get(dialect.name)!;
      it(`${contract.id} ${dialect.name} translates as in the engine`, () => {
        for (const plan of contract.plans) expect(plan.run).toBeTypeOf('function');
        for (const example of Object.values(dialect.examples)) {
          for (const doc of [example, ...broken(example as Record<string, unknown>)])
            compareToCanonical(plain, dialect, doc);
        }
        fc.assert(
          fc.property(schemaArbitrary(contract.walker, contract.canonicalSchema), (doc) => {
            compareToDialect(plain, dialect, doc);
            compareToCanonical(plain, dialect, plain.toDialect(doc).value);
          }),
          { numRuns: 60 },
        );
      });
    }
  }
});

describe('what ahead-of-time code can contain', () => {
  it('writes every key as a string literal, whatever characters it has', () => {
    const keys = [
      'a"b',
      'back\\slash',
      '</script>',
      'line\u2028sep',
      '$' + '{x}',
      "it's",
      '案件编号',
      '0x',
      '`',
    ];
    const plan: StepPlan = {
      steps: keys.map((key, i) => ({
        read: [key],
        write: ['out', key],
        arrays: [false, false],
        convert: undefined,
        lookup: undefined,
        compactDate: false,
        fallback: undefined,
        sourceText: `/${i}`,
        parent: 0,
        key,
        slot: -1,
      })),
      parents: [{ parent: -1, key: 'out', array: false }],
    };
    const [run] = Object.values(compiledHere([plan]));
    const fn = run!(plan.steps, { clone: (v) => v, fault: () => {}, compactToIsoDate: () => undefined });
    const src = Object.fromEntries(keys.map((k, i) => [k, i]));
    const dst: Record<string, unknown> = {};
    fn(src, dst, [], '', undefined);
    same({ out: src }, dst);
  });

  it('never names a key that Object.prototype has (such rules stay in the engine)', () => {
    for (const registry of [ahead, loadWithGeneratedCode(fixture())]) {
      for (const contract of registry.list()) {
        for (const plan of contract.plans) {
          const names = [
            ...plan.steps.flatMap((s) => [...s.read, s.key]),
            ...plan.parents.map((p) => p.key),
          ].filter((k) => typeof k === 'string');
          expect(names.filter((k) => k in Object.prototype)).toEqual([]);
        }
      }
    }
  });
});

describe('built code reused for a contract compiled later (an upload)', () => {
  const files = () =>
    JSON.parse(
      JSON.stringify(readContractsDir('contracts', { domain: 'pollution' }).contracts[0]),
    ) as ContractFiles;
  const compile = (f: ContractFiles) => {
    const loaded = loadContract(f, shipped.core, (_k, s) => compileValidators(shipped.core, s));
    if (Array.isArray(loaded)) throw new Error(JSON.stringify(loaded));
    return loaded;
  };
  const learnt = (keyOf?: (plan: StepPlan) => string) => {
    const known = new KnownRuns(keyOf);
    const built = ahead.get('pollution', '1.0.0')!;
    known.learn(built, compiledHere(built.plans));
    return known;
  };

  it('binds every plan of an identical version, which then translates as the engine does', () => {
    const same = compile(files());
    expect(learnt().bind(same)).toBe(same.plans.length);
    expect(same.translation).toBe('built');
    const plain = engine.get('pollution', '1.0.0')!;
    for (const dialect of same.dialects.values()) {
      for (const example of Object.values(dialect.examples))
        compareToCanonical(plain.dialects.get(dialect.name)!, dialect, example);
    }
  });

  it('binds only the plans whose structure is unchanged (a changed dialect runs in the engine)', () => {
    const f = files();
    (f.dialects.zj!.mapping as { rules: unknown[] }).rules.reverse();
    const changed = compile(f);
    const bound = learnt().bind(changed);
    expect(changed.translation).toBe('mixed');
    const zjPlans = changed.dialects.get('zj')!.mapping.plans;
    expect(bound).toBe(changed.plans.length - zjPlans.filter((p) => p.run === undefined).length);
    expect(zjPlans.some((p) => p.run === undefined)).toBe(true);
  });

  it('never binds by name alone: with every plan given one name, only identical structures bind', () => {
    const f = files();
    (f.dialects.zj!.mapping as { rules: unknown[] }).rules.reverse();
    const changed = compile(f);
    const built = ahead.get('pollution', '1.0.0')!;
    const first = built.plans[0]!;
    const known = new KnownRuns(() => 'one-name');
    // The code of the first built plan, under the one name every plan now has.
    known.learn(built, { 'one-name': compiledHere([first])[planKey(first)]! });
    known.bind(changed);
    const bound = changed.plans.filter((p) => p.run !== undefined);
    expect(bound.length).toBeGreaterThan(0);
    expect(bound.every((p) => planStructure(p) === planStructure(first))).toBe(true);
    expect(changed.plans.length - bound.length).toBeGreaterThan(0);
  });
});

describe('a node loads ahead-of-time code only when it is exactly what its mappings produce', () => {
  const root = mkdtempSync(join(tmpdir(), 'yrdx-aot-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  cpSync('contracts', root, { recursive: true });
  const load = () => {
    const runs = aheadOfTimeRuns(root);
    const dir = readContractsDir(root);
    const { registry } = loadContracts(dir.core, dir.contracts, (_k, s) => compileValidators(dir.core, s), {
      runs: runs.runs,
    });
    return { registry, notCurrent: runs.notCurrent };
  };
  const bound = (c: Contract) => c.plans.filter((p) => p.run !== undefined).length;

  it('never runs a file that was edited, and translates that contract in the engine instead', () => {
    const file = join(root, 'build', runsFileName('pollution@1.0.0'));
    const original = readFileSync(file, 'utf8');
    const g = globalThis as { yrdxTampered?: boolean };
    writeFileSync(file, original.replace('"use strict";', '"use strict";\nglobalThis.yrdxTampered = true;'));
    const { registry, notCurrent } = load();
    expect(g.yrdxTampered).toBeUndefined();
    expect(notCurrent).toEqual(['pollution@1.0.0']);
    const pollution = registry.get('pollution', '1.0.0')!;
    expect(bound(pollution)).toBe(0);
    expect(bound(registry.get('food-safety', '1.0.0')!)).toBe(
      registry.get('food-safety', '1.0.0')!.plans.length,
    );
    const example = Object.values(pollution.dialects.get('zj')!.examples)[0];
    same(
      engine.get('pollution', '1.0.0')!.dialects.get('zj')!.toCanonical(example),
      pollution.dialects.get('zj')!.toCanonical(example),
    );
    writeFileSync(file, original);
  });

  it('runs a contract whose file is missing in the engine', () => {
    rmSync(join(root, 'build', runsFileName('ip-protection@1.0.0')));
    const { registry, notCurrent } = load();
    expect(notCurrent).toEqual(['ip-protection@1.0.0']);
    expect(bound(registry.get('ip-protection', '1.0.0')!)).toBe(0);
  });

  it('binds nothing to a plan whose structure changed (a mapping edited after the build)', () => {
    const plans = ahead.get('road-transport', '1.0.0')!.plans;
    const factories = compiledHere(plans);
    const { run: _, ...unbound } = plans[0]!;
    const changed: StepPlan = { ...unbound, steps: unbound.steps.slice(1) };
    expect(bindRuns([changed], factories, planKey)).toBe(0);
    expect(changed.run).toBeUndefined();
  });
});
