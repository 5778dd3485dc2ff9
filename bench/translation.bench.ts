import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';
import type { Contract, Dialect } from '../src/contracts/contract.js';
import { loadContracts } from '../src/contracts/load-all.js';
import { compileValidators } from '../src/contracts/validators-ajv.js';
import { readContractsDir } from '../src/runtime/node/contracts-dir.js';
import { type AheadOfTimeRuns, aheadOfTimeRuns } from '../src/runtime/node/runs.js';
import * as foodSafety from './handwritten/food-safety.js';
import * as ipProtection from './handwritten/ip-protection.js';
import * as pollution from './handwritten/pollution.js';
import * as roadTransport from './handwritten/road-transport.js';
import type { Benchmark } from './runner.js';
import { sideBySide } from './runner.js';

/**
 * Translation throughput: a ~2 KB 浙江 (zj) case document → canonical body, i.e. the compiled mapping
 * alone (`Dialect.toCanonical`, no schema validation), per domain, as a node runs it: with the
 * ahead-of-time code `yrdx contracts build` wrote under contracts/build/. The engine alone (a
 * contract without that code, e.g. one uploaded through the admin API) is measured beside it. Two
 * peers do the very same mapping: the same rules hand-written in plain TypeScript
 * (bench/handwritten/) and written in JSONata (bench/jsonata/), compiled once and evaluated per
 * document. All must produce the same canonical body for the benchmark document before anything is
 * timed.
 */

/**
 * Translations per timed operation against the hand-written code (on both sides): one translation
 * takes microseconds, and the batch loop's await per operation would otherwise weigh on it.
 */
const INNER = 50;
/**
 * yrdx translations per JSONata evaluation in the second comparison, so that both sides of a round
 * take comparable time (one evaluation is ~100 yrdx translations); the ratio is scaled back.
 */
const PER_EVALUATION = 20;
/** The result of every translation lands here, so that no call can be optimised away. */
let _sink: unknown;

/** A file beside this one (the benchmark may be started from any directory). */
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

interface Loaded {
  /** As a node loads them: with their ahead-of-time code. */
  readonly built: ReadonlyMap<string, Contract>;
  /** The same contracts in the engine alone. */
  readonly engine: ReadonlyMap<string, Contract>;
}

let contracts: Promise<Loaded> | undefined;

/** The real contracts under contracts/, loaded once for all the translation benchmarks. */
/** Domains whose benchmark is written for a version other than the newest. */
function loadRealContracts(): Promise<Loaded> {
  contracts ??= Promise.resolve().then(() => {
    const root = here('../contracts');
    const dir = readContractsDir(root);
    const load = (runs?: AheadOfTimeRuns) =>
      loadContracts(dir.core, dir.contracts, (_k, schemas) => compileValidators(dir.core, schemas), {
        ...(runs === undefined ? {} : { runs: runs.runs }),
      }).registry;
    const aot = aheadOfTimeRuns(root);
    const registries = { built: load(aot), engine: load() };
    if (aot.notCurrent.length > 0)
      throw new Error(
        `bench: contracts/build is not current (${aot.notCurrent.join(', ')}); run "yrdx contracts build"`,
      );
    const byDomain = (registry: typeof registries.built) => {
      const map = new Map<string, Contract>();
      for (const domain of ['food-safety', 'road-transport', 'ip-protection', 'pollution']) {
        // The documents, hand-written code and JSONata are written against major 1 (every 2.0.0 zj differs).
        const contract = registry.latest(domain, 1);
        if (contract === undefined) throw new Error(`bench: no contract for ${domain} under contracts/`);
        map.set(domain, contract);
      }
      return map;
    };
    return { built: byDomain(registries.built), engine: byDomain(registries.engine) };
  });
  return contracts;
}

/** JSONata has no code-point arithmetic, so the expressions call this for the mapping's "halfwidth" step. */
function halfwidth(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

function mustEqual(actual: unknown, expected: unknown, what: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (error) {
    throw new Error(`bench: ${what} does not produce what yrdx produces:\n${(error as Error).message}`);
  }
}

/**
 * Loads the benchmark document and checks it (zj schema, mapping, canonical schema), then checks that
 * the hand-written code and the JSONata expression produce exactly what yrdx produces. Throws if not.
 */
async function prepare<D>(domain: string, handwritten: (doc: D) => unknown, expression: jsonata.Expression) {
  const loaded = await loadRealContracts();
  const contract = loaded.built.get(domain)!;
  const zj: Dialect | undefined = contract.dialects.get('zj');
  const engine: Dialect | undefined = loaded.engine.get(domain)!.dialects.get('zj');
  if (zj === undefined || engine === undefined) throw new Error(`bench: ${domain} has no zj dialect`);
  const text = readFileSync(here(`documents/${domain}.zj.json`), 'utf8');
  const doc = JSON.parse(text) as D;
  const bytes = Buffer.byteLength(JSON.stringify(doc));
  const schemaFaults = zj.validate(doc);
  const { value, faults } = zj.toCanonical(doc);
  const canonicalFaults = contract.validateCanonical(undefined, value);
  for (const [what, list] of [
    ['zj schema', schemaFaults],
    ['zj mapping', faults],
    ['canonical schema', canonicalFaults],
  ] as const) {
    if (list.length > 0)
      throw new Error(`bench: bench/documents/${domain}.zj.json fails the ${what}: ${JSON.stringify(list)}`);
  }
  mustEqual(engine.toCanonical(doc).value, value, `the engine without ahead-of-time code`);
  mustEqual(handwritten(doc), value, `bench/handwritten/${domain}.ts`);
  // Compared as JSON, as a caller would send it on: JSONata may leave undefined values and marks its sequences.
  mustEqual(
    JSON.parse(JSON.stringify(await expression.evaluate(doc))),
    value,
    `bench/jsonata/${domain}.jsonata`,
  );
  return { zj, engine, doc, bytes, fields: Object.keys(doc as object).length };
}

function translationBenchmark<D>(domain: string, handwritten: (doc: D) => unknown): Benchmark {
  return {
    name: `translation zj→canonical ${domain}`,
    async run({ quick, progress }) {
      const expression = jsonata(readFileSync(here(`jsonata/${domain}.jsonata`), 'utf8'));
      expression.registerFunction('halfwidth', halfwidth, '<s:s>');
      const { zj, engine, doc, bytes, fields } = await prepare(domain, handwritten, expression);

      // yrdx against the same mapping hand-written: INNER translations per operation on both sides.
      const vsHand = await sideBySide({
        rounds: quick ? 7 : 21,
        batch: quick ? 30 : 80,
        concurrency: 1,
        progress: (text) => progress(`vs hand-written, ${text}`),
        subject: async () => {
          for (let i = 0; i < INNER; i++) _sink = zj.toCanonical(doc);
        },
        baseline: async () => {
          for (let i = 0; i < INNER; i++) _sink = handwritten(doc);
        },
      });
      // The engine alone against the same hand-written code (fewer rounds: a second opinion).
      const engineVsHand = await sideBySide({
        rounds: quick ? 5 : 11,
        batch: quick ? 30 : 80,
        concurrency: 1,
        progress: (text) => progress(`engine alone vs hand-written, ${text}`),
        subject: async () => {
          for (let i = 0; i < INNER; i++) _sink = engine.toCanonical(doc);
        },
        baseline: async () => {
          for (let i = 0; i < INNER; i++) _sink = handwritten(doc);
        },
      });
      // yrdx against JSONata: PER_EVALUATION translations against one evaluation per operation.
      const vsJsonata = await sideBySide({
        rounds: quick ? 7 : 21,
        batch: quick ? 15 : 50,
        concurrency: 1,
        progress: (text) => progress(`vs JSONata, ${text}`),
        subject: async () => {
          for (let i = 0; i < PER_EVALUATION; i++) _sink = zj.toCanonical(doc);
        },
        baseline: async () => {
          _sink = await expression.evaluate(doc);
        },
      });
      const jsonataRatio = vsJsonata.ratio * PER_EVALUATION;
      const target = 40;
      const low = vsJsonata.range[0] * PER_EVALUATION;
      const high = vsJsonata.range[1] * PER_EVALUATION;
      return {
        name: this.name,
        figures: [
          { label: 'yrdx Dialect.toCanonical (built)', opsPerSecond: vsHand.subject * INNER },
          { label: 'hand-written TypeScript', opsPerSecond: vsHand.baseline * INNER },
          { label: 'JSONata 2.2 evaluate', opsPerSecond: vsJsonata.baseline },
        ],
        ratio: vsHand.ratio,
        ratioRange: vsHand.range,
        target: 0.5,
        notes:
          `document ${bytes} bytes (${fields} fields); engine alone ${engineVsHand.ratio.toFixed(2)} of ` +
          `hand-written (rounds ${engineVsHand.range[0].toFixed(2)}–${engineVsHand.range[1].toFixed(2)}); ` +
          `yrdx/JSONata ${jsonataRatio.toFixed(1)}× ` +
          `(rounds ${low.toFixed(1)}–${high.toFixed(1)}) (target ≥ ${target}×: ` +
          `${jsonataRatio >= target ? 'met' : 'NOT met'})`,
      };
    },
  };
}

export const translationBenchmarks: Benchmark[] = [
  translationBenchmark('food-safety', foodSafety.zjToCanonical),
  translationBenchmark('road-transport', roadTransport.zjToCanonical),
  translationBenchmark('ip-protection', ipProtection.zjToCanonical),
  translationBenchmark('pollution', pollution.zjToCanonical),
];
