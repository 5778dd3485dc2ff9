import {
  CONTENT_TYPE,
  escapeHelp,
  formatLabels,
  formatValue,
  LABEL_NAME,
  METRIC_NAME,
} from './exposition.js';

export type Labels<L extends string> = Readonly<Record<L, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

/** A series key from label values in the family's label order. */
function keyOf<L extends string>(names: readonly L[], labels: Labels<L>): string[] {
  return names.map((n) => String(labels[n] ?? ''));
}

abstract class Series<L extends string> {
  protected readonly values = new Map<string, { labels: string[]; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  protected slot(labels: Labels<L>): { labels: string[]; value: number } {
    const values = keyOf(this.labelNames, labels);
    const key = JSON.stringify(values);
    let slot = this.values.get(key);
    if (slot === undefined) {
      slot = { labels: values, value: 0 };
      this.values.set(key, slot);
    }
    return slot;
  }

  /** The current value of one series (0 when it was never touched). */
  get(labels: Labels<L>): number {
    return this.values.get(JSON.stringify(keyOf(this.labelNames, labels)))?.value ?? 0;
  }

  lines(): string[] {
    return [...this.values.values()].map(
      (s) => `${this.name}${formatLabels(this.labelNames, s.labels)} ${formatValue(s.value)}`,
    );
  }
}

/** A value that only goes up (resets with the process). */
export class Counter<L extends string = never> extends Series<L> implements Family {
  readonly type = 'counter' as const;
  inc(labels: Labels<L>, by = 1): void {
    if (!(by >= 0)) throw new RangeError(`${this.name}: a counter cannot go down`);
    this.slot(labels).value += by;
  }
}

/** A value that goes up and down; `reset` forgets every series (for values computed at scrape time). */
export class Gauge<L extends string = never> extends Series<L> implements Family {
  readonly type = 'gauge' as const;
  set(labels: Labels<L>, value: number): void {
    this.slot(labels).value = value;
  }
  reset(): void {
    this.values.clear();
  }
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram<L extends string = never> implements Family {
  readonly type = 'histogram' as const;
  readonly #series = new Map<string, { labels: string[]; buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels<L>, value: number): void {
    const values = keyOf(this.labelNames, labels);
    const key = JSON.stringify(values);
    let s = this.#series.get(key);
    if (s === undefined) {
      s = { labels: values, buckets: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.buckets[i]!++;
    s.sum += value;
    s.count++;
  }

  /** How many observations a series has (for tests and health reports). */
  count(labels: Labels<L>): number {
    return this.#series.get(JSON.stringify(keyOf(this.labelNames, labels)))?.count ?? 0;
  }

  lines(): string[] {
    const out: string[] = [];
    const names = [...this.labelNames, 'le'];
    for (const s of this.#series.values()) {
      this.buckets.forEach((bound, i) => {
        out.push(
          `${this.name}_bucket${formatLabels(names, [...s.labels, formatValue(bound)])} ${s.buckets[i]}`,
        );
      });
      out.push(`${this.name}_bucket${formatLabels(names, [...s.labels, '+Inf'])} ${s.count}`);
      out.push(`${this.name}_sum${formatLabels(this.labelNames, s.labels)} ${formatValue(s.sum)}`);
      out.push(`${this.name}_count${formatLabels(this.labelNames, s.labels)} ${s.count}`);
    }
    return out;
  }
}

/** Computes values at scrape time (e.g. from the store); a failure is reported, not thrown. */
export type Collector = () => void | Promise<void>;

/**
 * A small, runtime-neutral metrics registry: counters, gauges and histograms with labels, rendered
 * in the Prometheus text format. Names and label names are checked when a metric is declared.
 */
export class MetricsRegistry {
  readonly contentType = CONTENT_TYPE;
  readonly #families = new Map<string, Family>();
  readonly #collectors: Collector[] = [];

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.#add(new Counter<L>(name, help, labelNames), labelNames);
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.#add(new Gauge<L>(name, help, labelNames), labelNames);
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: readonly number[],
  ): Histogram<L> {
    if (buckets.length === 0 || buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!))
      throw new RangeError(`${name}: buckets must increase strictly`);
    if ((labelNames as readonly string[]).includes('le')) throw new RangeError(`${name}: "le" is reserved`);
    return this.#add(new Histogram<L>(name, help, labelNames, buckets), labelNames);
  }

  /** Runs `collect` before every rendering. */
  onCollect(collect: Collector): void {
    this.#collectors.push(collect);
  }

  /** Runs the collectors and renders every family: HELP, TYPE, then its series. */
  async render(): Promise<string> {
    const failures: string[] = [];
    for (const collect of this.#collectors) {
      try {
        await collect();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    const out: string[] = [];
    for (const family of this.#families.values()) {
      out.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
      out.push(`# TYPE ${family.name} ${family.type}`);
      out.push(...family.lines());
    }
    out.push('# HELP yrdx_metrics_collector_failures Collectors that failed during this scrape.');
    out.push('# TYPE yrdx_metrics_collector_failures gauge');
    out.push(`yrdx_metrics_collector_failures ${failures.length}`);
    return `${out.join('\n')}\n`;
  }

  #add<F extends Family>(family: F, labelNames: readonly string[]): F {
    if (!METRIC_NAME.test(family.name)) throw new RangeError(`invalid metric name "${family.name}"`);
    for (const l of labelNames)
      if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new RangeError(`invalid label name "${l}"`);
    if (this.#families.has(family.name)) throw new RangeError(`metric "${family.name}" declared twice`);
    this.#families.set(family.name, family);
    return family;
  }
}
