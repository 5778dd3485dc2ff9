import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PatternEngine } from '../src/contracts/patterns/engine.js';
import type { SchemaNode } from '../src/contracts/schema-walk.js';
import { compileValidators } from '../src/contracts/validators-ajv.js';
import type { Benchmark } from './runner.js';
import { sideBySide } from './runner.js';

/**
 * Schema validation of the ~2 KB 浙江 (zj) benchmark document of each domain, with contract patterns
 * in RE2 (re2js, linear time: what a node runs) against the same ajv validator with V8's backtracking
 * RegExp (what ran before issue 14). The ratio is the price of linear-time patterns; translation
 * itself (`translation …`) validates nothing and is unaffected.
 */
const INNER = 50;
let _sink: unknown;
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const json = (relative: string) => JSON.parse(readFileSync(here(relative), 'utf8')) as unknown;

/** ajv's own engine: `new RegExp(pattern, "u")`. */
const backtracking: PatternEngine = Object.assign((p: string, f: string) => new RegExp(p, f), {
  code: 'new RegExp',
});

function validationBenchmark(domain: string): Benchmark {
  return {
    name: `validation zj schema ${domain} (RE2 vs RegExp)`,
    async run({ quick, progress }) {
      const core = [json('../contracts/core/case.schema.json') as SchemaNode];
      const schema = json(`../contracts/${domain}/1.0.0/dialects/zj/schema.json`) as SchemaNode;
      const doc = json(`documents/${domain}.zj.json`);
      const linear = compileValidators(core, { zj: schema }).zj!;
      const native = compileValidators(core, { zj: schema }, backtracking).zj!;
      if (!linear(doc) || !native(doc))
        throw new Error(`bench: bench/documents/${domain}.zj.json is not valid`);
      const patterns = (JSON.stringify(schema).match(/"pattern":/g) ?? []).length;
      const result = await sideBySide({
        rounds: quick ? 7 : 21,
        batch: quick ? 30 : 80,
        concurrency: 1,
        progress,
        subject: async () => {
          for (let i = 0; i < INNER; i++) _sink = linear(doc);
        },
        baseline: async () => {
          for (let i = 0; i < INNER; i++) _sink = native(doc);
        },
      });
      return {
        name: this.name,
        figures: [
          { label: 'ajv + RE2 (re2js)', opsPerSecond: result.subject * INNER },
          { label: 'ajv + RegExp (backtracking)', opsPerSecond: result.baseline * INNER },
        ],
        ratio: result.ratio,
        ratioRange: result.range,
        notes: `${patterns} patterns in the zj schema; µs per document: RE2 ${(1e6 / (result.subject * INNER)).toFixed(1)}, RegExp ${(1e6 / (result.baseline * INNER)).toFixed(1)}`,
      };
    },
  };
}

export const validationBenchmarks: Benchmark[] = [
  'food-safety',
  'road-transport',
  'ip-protection',
  'pollution',
].map(validationBenchmark);
