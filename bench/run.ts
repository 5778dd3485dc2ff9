import { attachmentBenchmarks } from './attachment.bench.js';
import { envelopeBenchmarks } from './envelope.bench.js';
import { exchangeBenchmarks } from './exchange.bench.js';
import { gmBenchmarks } from './gm.bench.js';
import { postgresBenchmarks } from './postgres.bench.js';
import type { Benchmark, BenchResult } from './runner.js';
import { translationBenchmarks } from './translation.bench.js';
import { validationBenchmarks } from './validation.bench.js';

/**
 * `npm run bench [-- --json] [-- --quick] [-- --filter TEXT]`. Prints each benchmark's figures and
 * its ratio to the baseline measured in the same run. Later capabilities add their benchmarks here.
 */
const benchmarks: Benchmark[] = [
  ...envelopeBenchmarks,
  ...translationBenchmarks,
  ...validationBenchmarks,
  ...exchangeBenchmarks,
  ...postgresBenchmarks,
  ...gmBenchmarks,
  ...attachmentBenchmarks,
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;

function print(result: BenchResult): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`\n${result.name}\n`);
  for (const f of result.figures)
    process.stdout.write(
      `  ${f.label.padEnd(36)} ${f.opsPerSecond.toFixed(0).padStart(8)} ${f.unit ?? 'ops/s'}\n`,
    );
  const verdict =
    result.target === undefined
      ? ''
      : result.ratio >= result.target
        ? `  (target ≥ ${result.target}: met)`
        : `  (target ≥ ${result.target}: NOT met)`;
  const range = result.ratioRange
    ? ` (rounds ${result.ratioRange[0].toFixed(2)}–${result.ratioRange[1].toFixed(2)})`
    : '';
  process.stdout.write(`  ratio ${result.ratio.toFixed(2)}${range}${verdict}\n`);
  if (result.notes) process.stdout.write(`  ${result.notes}\n`);
}

const selected = benchmarks.filter((b) => filter === undefined || b.name.includes(filter));
for (const [i, benchmark] of selected.entries()) {
  const progress = (text: string) => {
    if (process.stderr.isTTY)
      process.stderr.write(`\r[${i + 1}/${selected.length}] ${benchmark.name}: ${text}   `);
    else process.stderr.write(`[${i + 1}/${selected.length}] ${benchmark.name}: ${text}\n`);
  };
  const result = await benchmark.run({ quick, progress });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  print(result);
}
