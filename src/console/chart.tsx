import type { MessageSummary } from '../store/port.js';

const HOUR = 3_600_000;

/** Messages per hour and partner over the last `hours`, out and in. */
export function hourlyCounts(
  messages: readonly MessageSummary[],
  now: number,
  hours = 24,
): Map<string, { out: number[]; in: number[] }> {
  const start = Math.floor(now / HOUR) * HOUR - (hours - 1) * HOUR;
  const byPartner = new Map<string, { out: number[]; in: number[] }>();
  for (const m of messages) {
    const slot = Math.floor((m.at - start) / HOUR);
    if (slot < 0 || slot >= hours) continue;
    for (const partner of m.partners) {
      const counts = byPartner.get(partner) ?? { out: Array(hours).fill(0), in: Array(hours).fill(0) };
      counts[m.direction === 'outbound' ? 'out' : 'in'][slot]! += 1;
      byPartner.set(partner, counts);
    }
  }
  return byPartner;
}

/** Paired bars per hour, drawn with SVG attributes only (the CSP allows no inline style, and no script). */
export function HourlyChart(props: {
  label: string;
  /** The words at the ends of the time axis, in the page's language. */
  axis: { readonly start: string; readonly end: string };
  out: readonly number[];
  in: readonly number[];
}) {
  const width = 600;
  const height = 90;
  const slot = width / props.out.length;
  const max = Math.max(1, ...props.out, ...props.in);
  const bar = (n: number) => Math.round(((height - 14) * n) / max);
  const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return (
    <svg
      class="chart"
      role="img"
      aria-label={`${props.label}: ${total(props.out)} / ${total(props.in)}`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="none"
    >
      <title>{props.label}</title>
      <line class="axis" x1="0" y1={height - 12} x2={width} y2={height - 12} />
      {props.out.map((n, i) => (
        <rect class="out" x={i * slot + 1} y={height - 12 - bar(n)} width={slot / 2 - 1} height={bar(n)} />
      ))}
      {props.in.map((n, i) => (
        <rect
          class="in"
          x={i * slot + slot / 2}
          y={height - 12 - bar(n)}
          width={slot / 2 - 1}
          height={bar(n)}
        />
      ))}
      <text x="0" y={height - 1}>
        {props.axis.start}
      </text>
      <text x={width} y={height - 1} text-anchor="end">
        {props.axis.end}
      </text>
      <text x="2" y="10">
        {max}
      </text>
    </svg>
  );
}
