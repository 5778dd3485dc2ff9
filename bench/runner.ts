/**
 * The benchmark runner behind `npm run bench`. Each benchmark measures yrdx and a baseline side by
 * side in the same process, interleaving rounds so that machine noise hits both alike, and reports
 * the ratio. `--json` prints one JSON object per benchmark per line, for comparing runs.
 */
export interface Figure {
  readonly label: string;
  readonly opsPerSecond: number;
}

export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  /** yrdx relative to the baseline (higher is better for yrdx). */
  readonly ratio: number;
  /** The ratio the issue asks for; the run reports whether it was met. */
  readonly target?: number;
  readonly notes?: string;
}

export interface Benchmark {
  readonly name: string;
  run(options: { readonly quick: boolean; readonly progress: (text: string) => void }): Promise<BenchResult>;
}

/**
 * Times two async operations in interleaved rounds. Each round runs `batch` operations with
 * `concurrency` in flight for each side; the first round is a warm-up and is discarded.
 */
export async function sideBySide(options: {
  readonly rounds: number;
  readonly batch: number;
  readonly concurrency: number;
  readonly subject: () => Promise<unknown>;
  readonly baseline: () => Promise<unknown>;
  readonly progress?: (text: string) => void;
}): Promise<{ subject: number; baseline: number }> {
  let subjectMs = 0;
  let baselineMs = 0;
  let ops = 0;
  for (let round = 0; round <= options.rounds; round++) {
    const order = round % 2 === 0 ? (['subject', 'baseline'] as const) : (['baseline', 'subject'] as const);
    for (const side of order) {
      const fn = side === 'subject' ? options.subject : options.baseline;
      const started = performance.now();
      await runBatch(fn, options.batch, options.concurrency);
      const elapsed = performance.now() - started;
      if (round === 0) continue;
      if (side === 'subject') subjectMs += elapsed;
      else baselineMs += elapsed;
    }
    if (round > 0) ops += options.batch;
    options.progress?.(`round ${round}/${options.rounds}`);
  }
  return { subject: (ops / subjectMs) * 1000, baseline: (ops / baselineMs) * 1000 };
}

async function runBatch(fn: () => Promise<unknown>, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
