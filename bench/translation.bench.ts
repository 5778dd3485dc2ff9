import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';
import type { Contract, Dialect } from '../src/contracts/contract.js';
import { loadContracts } from '../src/contracts/load-all.js';
import { compileValidators } from '../src/contracts/validators-ajv.js';
import { readContractsDir } from '../src/runtime/node/contracts-dir.js';
import { type AheadOfTimeRuns, aheadOfTimeRuns } from '../src/runtime/node/runs.js';
import * as foodSafety2 from './handwritten/food-safety@2.0.0.js';
import * as foodSafety from './handwritten/food-safety.js';
import * as ipProtection2 from './handwritten/ip-protection@2.0.0.js';
import * as ipProtection from './handwritten/ip-protection.js';
import * as pollution from './handwritten/pollution.js';
import * as roadTransport2 from './handwritten/road-transport@2.0.0.js';
import * as roadTransport from './handwritten/road-transport.js';
import type { Benchmark } from './runner.js';
import { sideBySide } from './runner.js';

/**
 * Translation throughput: a 2–6 KB 浙江 (zj) case document → canonical body, i.e. the compiled mapping
 * alone (`Dialect.toCanonical`, no schema validation), per domain and contract version (the 1.x of each
 * domain, and the 2.0.0 of those that have one), as a node runs it: with the
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

/**
 * The cases measured: a name (the file names under documents/, handwritten/ and jsonata/) and the
 * contract it runs. The 1.x cases measure the newest 1.x of each domain; the 2.0.0 zj field sets differ
 * (administrative_cp rows, measured results, times with precision), so they have documents of their own.
 */
interface Case {
  readonly name: string;
  readonly domain: string;
  /** An exact version, or the newest of major 1 when absent. */
  readonly version?: string;
  /** The same translation hand-written (it takes the zj document type of its version). */
  readonly handwritten: (doc: never) => unknown;
}

const CASES: readonly Case[] = [
  { name: 'food-safety', domain: 'food-safety', handwritten: foodSafety.zjToCanonical },
  { name: 'road-transport', domain: 'road-transport', handwritten: roadTransport.zjToCanonical },
  { name: 'ip-protection', domain: 'ip-protection', handwritten: ipProtection.zjToCanonical },
  { name: 'pollution', domain: 'pollution', handwritten: pollution.zjToCanonical },
  {
    name: 'food-safety@2.0.0',
    domain: 'food-safety',
    version: '2.0.0',
    handwritten: foodSafety2.zjToCanonical,
  },
  {
    name: 'road-transport@2.0.0',
    domain: 'road-transport',
    version: '2.0.0',
    handwritten: roadTransport2.zjToCanonical,
  },
  {
    name: 'ip-protection@2.0.0',
    domain: 'ip-protection',
    version: '2.0.0',
    handwritten: ipProtection2.zjToCanonical,
  },
];

/** The real contracts under contracts/, loaded once for all the translation benchmarks. */
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
    const byCase = (registry: typeof registries.built) => {
      const map = new Map<string, Contract>();
      for (const { name, domain, version } of CASES) {
        const contract = version === undefined ? registry.latest(domain, 1) : registry.get(domain, version);
        if (contract === undefined)
          throw new Error(
            `bench: no contract for ${domain}${version === undefined ? ' 1.x' : `@${version}`}`,
          );
        map.set(name, contract);
      }
      return map;
    };
    return { built: byCase(registries.built), engine: byCase(registries.engine) };
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
async function prepare({ name, handwritten }: Case, expression: jsonata.Expression) {
  const loaded = await loadRealContracts();
  const contract = loaded.built.get(name)!;
  const zj: Dialect | undefined = contract.dialects.get('zj');
  const engine: Dialect | undefined = loaded.engine.get(name)!.dialects.get('zj');
  if (zj === undefined || engine === undefined) throw new Error(`bench: ${name} has no zj dialect`);
  const text = readFileSync(here(`documents/${name}.zj.json`), 'utf8');
  const doc = JSON.parse(text) as never;
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
      throw new Error(`bench: bench/documents/${name}.zj.json fails the ${what}: ${JSON.stringify(list)}`);
  }
  mustEqual(engine.toCanonical(doc).value, value, `the engine without ahead-of-time code`);
  mustEqual(handwritten(doc), value, `bench/handwritten/${name}.ts`);
  // Compared as JSON, as a caller would send it on: JSONata may leave undefined values and marks its sequences.
  mustEqual(
    JSON.parse(JSON.stringify(await expression.evaluate(doc))),
    value,
    `bench/jsonata/${name}.jsonata`,
  );
  return { zj, engine, doc, bytes, fields: Object.keys(doc as object).length, version: contract.version };
}

function translationBenchmark(c: Case): Benchmark {
  const handwritten = c.handwritten as (doc: unknown) => unknown;
  return {
    name: `translation zj→canonical ${c.name}`,
    async run({ quick, progress }) {
      const expression = jsonata(readFileSync(here(`jsonata/${c.name}.jsonata`), 'utf8'));
      expression.registerFunction('halfwidth', halfwidth, '<s:s>');
      const { zj, engine, doc, bytes, fields, version } = await prepare(c, expression);

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
      const target = 100;
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
        target: 0.7,
        notes:
          `${c.domain}@${version}; document ${bytes} bytes (${fields} fields); engine alone ${engineVsHand.ratio.toFixed(2)} of ` +
          `hand-written (rounds ${engineVsHand.range[0].toFixed(2)}–${engineVsHand.range[1].toFixed(2)}); ` +
          `yrdx/JSONata ${jsonataRatio.toFixed(1)}× ` +
          `(rounds ${low.toFixed(1)}–${high.toFixed(1)}) (target ≥ ${target}×: ` +
          `${jsonataRatio >= target ? 'met' : 'NOT met'})`,
      };
    },
  };
}

export const translationBenchmarks: Benchmark[] = CASES.map(translationBenchmark);
