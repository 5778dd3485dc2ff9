/**
 * The benchmark runner behind `npm run bench`. Each benchmark measures yrdx and a baseline side by
 * side in the same process, interleaving rounds so that machine noise hits both alike, and reports
 * the ratio. `--json` prints one JSON object per benchmark per line, for comparing runs.
 */
export interface Figure {
  readonly label: string;
  readonly opsPerSecond: number;
  /** What `opsPerSecond` counts per second, when not operations (e.g. `MiB/s`); printed after it. */
  readonly unit?: string;
}

export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  /** yrdx relative to the baseline (higher is better for yrdx): the median of the per-round ratios. */
  readonly ratio: number;
  /** The lowest and highest per-round ratio, to show how noisy the run was. */
  readonly ratioRange?: readonly [number, number];
  /** The ratio the issue asks for; the run reports whether it was met. */
  readonly target?: number;
  readonly notes?: string;
}

export interface Benchmark {
  readonly name: string;
  run(options: { readonly quick: boolean; readonly progress: (text: string) => void }): Promise<BenchResult>;
}

export interface SideBySide {
  /** Operations per second over all measured rounds. */
  readonly subject: number;
  readonly baseline: number;
  /** Median and range of the per-round ratios subject/baseline. */
  readonly ratio: number;
  readonly range: readonly [number, number];
}

/**
 * Times two async operations in interleaved rounds (the order alternates every round). Each round
 * runs `batch` operations with `concurrency` in flight for each side; two warm-up rounds are
 * discarded. The ratio is the median of the rounds' ratios, which one noisy round cannot move.
 */
export async function sideBySide(options: {
  readonly rounds: number;
  readonly batch: number;
  readonly concurrency: number;
  readonly subject: () => Promise<unknown>;
  readonly baseline: () => Promise<unknown>;
  readonly progress?: (text: string) => void;
}): Promise<SideBySide> {
  let subjectMs = 0;
  let baselineMs = 0;
  const ratios: number[] = [];
  const warmup = 2;
  for (let round = 1 - warmup; round <= options.rounds; round++) {
    const order = round % 2 === 0 ? (['subject', 'baseline'] as const) : (['baseline', 'subject'] as const);
    const elapsed = { subject: 0, baseline: 0 };
    for (const side of order) {
      const started = performance.now();
      await runBatch(
        side === 'subject' ? options.subject : options.baseline,
        options.batch,
        options.concurrency,
      );
      elapsed[side] = performance.now() - started;
    }
    if (round > 0) {
      subjectMs += elapsed.subject;
      baselineMs += elapsed.baseline;
      ratios.push(elapsed.baseline / elapsed.subject);
    }
    options.progress?.(round <= 0 ? 'warming up' : `round ${round}/${options.rounds}`);
  }
  const ops = options.rounds * options.batch;
  ratios.sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  return {
    subject: (ops / subjectMs) * 1000,
    baseline: (ops / baselineMs) * 1000,
    ratio: median,
    range: [ratios[0]!, ratios[ratios.length - 1]!],
  };
}

export interface Interleaved<K extends string> {
  /** Operations per second of each side over all measured rounds. */
  readonly opsPerSecond: Readonly<Record<K, number>>;
  /** Median and range of the per-round ratios time(of) / time(side): how many times faster `side` is. */
  ratio(side: K, of: K): { readonly ratio: number; readonly range: readonly [number, number] };
}

/**
 * `sideBySide` for more than two sides: every round runs one batch of each, in an order that rotates
 * from round to round (so that each side takes each position alike); two warm-up rounds are discarded.
 */
export async function interleaved<K extends string>(options: {
  readonly rounds: number;
  readonly batch: number;
  readonly sides: Readonly<Record<K, () => Promise<unknown>>>;
  readonly progress?: (text: string) => void;
}): Promise<Interleaved<K>> {
  const names = Object.keys(options.sides) as K[];
  const perRound: Record<string, number>[] = [];
  const warmup = 2;
  for (let round = 1 - warmup; round <= options.rounds; round++) {
    const start = (((round % names.length) + names.length) % names.length) as number;
    const order = [...names.slice(start), ...names.slice(0, start)];
    const elapsed: Record<string, number> = {};
    for (const side of order) {
      const started = performance.now();
      await runBatch(options.sides[side], options.batch, 1);
      elapsed[side] = performance.now() - started;
    }
    if (round > 0) perRound.push(elapsed);
    options.progress?.(round <= 0 ? 'warming up' : `round ${round}/${options.rounds}`);
  }
  const ops = options.rounds * options.batch;
  const opsPerSecond = Object.fromEntries(
    names.map((k) => [k, (ops / perRound.reduce((sum, r) => sum + r[k]!, 0)) * 1000]),
  ) as Record<K, number>;
  return {
    opsPerSecond,
    ratio(side, of) {
      const ratios = perRound.map((r) => r[of]! / r[side]!).sort((a, b) => a - b);
      const mid = ratios.length >> 1;
      const median = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
      return { ratio: median, range: [ratios[0]!, ratios[ratios.length - 1]!] };
    },
  };
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
