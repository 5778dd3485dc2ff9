/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * `# HELP`, a `# TYPE`, a comment or a sample; names, label names and escapes must be valid; a
 * family's TYPE comes before its samples, at most once; samples of one family are contiguous; and
 * histograms have cumulative `_bucket` series ending in `le="+Inf"` equal to `_count`.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  help?: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function fail(line: number, message: string): never {
  throw new Error(`prometheus text, line ${line}: ${message}`);
}

function unescapeText(text: string, lineNo: number, quote: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && quote) out += '"';
    else fail(lineNo, `invalid escape \\${next ?? ''}`);
  }
  return out;
}

function parseValue(text: string, lineNo: number): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) fail(lineNo, `invalid value "${text}"`);
  return Number(text);
}

function familyOf(name: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  for (const suffix of ['_bucket', '_sum', '_count', '']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, name.length - suffix.length);
    const family = families.get(base);
    if (family !== undefined && (suffix === '' || family.type === 'histogram' || family.type === 'summary'))
      return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('prometheus text: must end with a newline');
  const families = new Map<string, MetricFamily>();
  const finished = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) ([^ ]+)(?: (.*))?$/.exec(line);
      if (m === null) return; // a plain comment
      const [, kind, name = '', rest = ''] = m;
      if (!NAME.test(name) || NAME.exec(name)?.[0] !== name) fail(n, `invalid metric name "${name}"`);
      let family = families.get(name);
      if (family === undefined) {
        if (finished.has(name)) fail(n, `${name} appears twice`);
        family = { name, type: 'untyped', samples: [] };
        families.set(name, family);
      }
      if (family.samples.length > 0) fail(n, `${kind} of ${name} after its samples`);
      if (kind === 'HELP') {
        if (family.help !== undefined) fail(n, `second HELP for ${name}`);
        family.help = unescapeText(rest, n, false);
      } else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest))
          fail(n, `invalid type "${rest}"`);
        if ((family as { typed?: boolean }).typed) fail(n, `second TYPE for ${name}`);
        family.type = rest as MetricFamily['type'];
        (family as { typed?: boolean }).typed = true;
      }
      if (current !== undefined && current !== name) finished.add(current);
      current = name;
      return;
    }
    const nameMatch = NAME.exec(line);
    if (nameMatch === null) fail(n, 'expected a metric name');
    const name = nameMatch[0];
    let at = name.length;
    const labels: Record<string, string> = {};
    if (line[at] === '{') {
      at++;
      while (line[at] !== '}') {
        const label = LABEL.exec(line.slice(at));
        if (label === null) fail(n, 'expected a label name');
        at += label[0].length;
        if (line[at] !== '=' || line[at + 1] !== '"') fail(n, 'expected ="');
        at += 2;
        let raw = '';
        while (line[at] !== '"') {
          if (at >= line.length) fail(n, 'unterminated label value');
          if (line[at] === '\\') {
            raw += line.slice(at, at + 2);
            at += 2;
          } else raw += line[at++];
        }
        at++;
        if (labels[label[0]] !== undefined) fail(n, `label ${label[0]} repeated`);
        labels[label[0]] = unescapeText(raw, n, true);
        if (line[at] === ',') at++;
        else if (line[at] !== '}') fail(n, 'expected , or }');
      }
      at++;
    }
    const rest = line.slice(at);
    const parts = /^ ([^ ]+)(?: (-?\d+))?$/.exec(rest);
    if (parts === null) fail(n, `expected " value [timestamp]", got "${rest}"`);
    const value = parseValue(parts[1]!, n);
    let family = familyOf(name, families);
    if (family === undefined) {
      family = { name, type: 'untyped', samples: [] };
      families.set(name, family);
    }
    if (finished.has(family.name)) fail(n, `samples of ${family.name} are not contiguous`);
    if (current !== undefined && current !== family.name) finished.add(current);
    current = family.name;
    const key = JSON.stringify([name, Object.entries(labels).sort()]);
    if (family.samples.some((s) => JSON.stringify([s.name, Object.entries(s.labels).sort()]) === key))
      fail(n, `duplicate series ${key}`);
    if (family.type === 'counter' && !(value >= 0)) fail(n, `counter ${name} is negative`);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: MetricFamily): void {
  const groups = new Map<string, Sample[]>();
  for (const s of family.samples) {
    if (s.name !== `${family.name}_bucket`) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${family.name}: bucket without le`);
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, buckets] of groups) {
    const bounds = buckets.map((b) =>
      b.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(b.labels.le),
    );
    if (bounds.at(-1) !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`${family.name}${key}: buckets out of order`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family.name}${key}: not cumulative`);
    }
    const count = family.samples.find(
      (s) => s.name === `${family.name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key,
    );
    if (count === undefined || count.value !== buckets.at(-1)!.value)
      throw new Error(`${family.name}${key}: _count differs from the +Inf bucket`);
  }
}

/** The value of the first series with this name whose labels include `labels`, or undefined. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
