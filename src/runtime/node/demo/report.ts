import type { CitySpec } from './federation.js';
import type { MessageResult } from './follow.js';

export interface CityTally {
  readonly id: string;
  readonly name: string;
  readonly dialect: string;
  readonly algorithm: string;
  readonly mode: 'push' | 'pull';
  /** Messages it sent that its gateway accepted. */
  readonly sent: number;
  /** Messages its local system received. */
  readonly received: number;
}

/** The counts of a demo run. */
export interface DemoCounts {
  readonly ok: boolean;
  readonly messages: number;
  readonly failed: number;
  /** One per recipient of each message (a risk alert fans out to three). */
  readonly deliveries: number;
  readonly delivered: number;
  readonly receiptsVerified: number;
  readonly deliveredLocally: { readonly push: number; readonly pull: number };
  readonly threadsOpened: number;
  readonly threadsClosed: number;
  readonly cities: readonly CityTally[];
  readonly durationMs: number;
}

export function tally(
  results: readonly MessageResult[],
  cities: readonly CitySpec[],
  durationMs: number,
): DemoCounts {
  const deliveries = results.flatMap((r) => r.deliveries.map((d) => ({ r, d })));
  const failed = results.filter((r) => r.failure !== undefined).length;
  return {
    ok: failed === 0 && results.length > 0,
    messages: results.length,
    failed,
    deliveries: deliveries.length,
    delivered: deliveries.filter(({ r }) => r.passed.includes('delivered')).length,
    receiptsVerified: deliveries.filter(({ d }) => d.receiptSha256 !== undefined).length,
    deliveredLocally: {
      push: deliveries.filter(({ d }) => d.mode === 'push').length,
      pull: deliveries.filter(({ d }) => d.mode === 'pull').length,
    },
    threadsOpened: results.filter((r) => r.threadState?.status === 'open').length,
    threadsClosed: results.filter((r) => r.threadState?.status === 'closed').length,
    cities: cities.map((c) => ({
      id: c.id,
      name: c.name,
      dialect: c.province,
      algorithm: c.algorithm,
      mode: c.mode,
      sent: results.filter((r) => r.from === c.id && r.passed.includes('submitted')).length,
      received: deliveries.filter(({ d }) => d.to === c.id && d.mode !== undefined).length,
    })),
    durationMs,
  };
}

/** Columns a terminal gives the text: CJK characters take two. */
const width = (text: string) => [...text].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);

const list = (items: readonly (string | undefined)[]) => [...new Set(items)].join(', ');

/**
 * One line per message with every hop it passed, e.g.
 * `✓ [湖州→苏州] food-safety assistance-request 01KQ…X7Z2 submitted (zj) → sealed (ES256) → …`.
 */
export function messageLine(r: MessageResult, names: ReadonlyMap<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  const id = r.id === undefined ? '—' : `${r.id.slice(0, 6)}…${r.id.slice(-4)}`;
  const route = `[${name(r.from)}→${r.to.map(name).join('、') || '?'}]`;
  const parts: string[] = [];
  const fanOut = r.deliveries.length > 1;
  for (const hop of r.passed) {
    if (hop === 'submitted') parts.push(`submitted (${r.dialect})`);
    else if (hop === 'sealed') parts.push(`sealed (${r.alg})`);
    else if (hop === 'delivered') parts.push(fanOut ? `delivered ×${r.deliveries.length}` : 'delivered');
    else if (hop === 'receipt verified') {
      const sha = `sha256 ${r.deliveries[0]?.receiptSha256?.slice(0, 8)}…`;
      parts[parts.length - 1] += fanOut
        ? `, ${r.deliveries.length} receipts verified (${sha})`
        : `, receipt verified (${sha})`;
    } else if (hop === 'translated') parts.push(`translated to ${list(r.deliveries.map((d) => d.dialect))}`);
    else if (hop === 'delivered locally')
      parts.push(`delivered locally (${r.deliveries.map((d) => d.mode).join(', ')})`);
    else if (r.threadState?.status === 'open')
      parts.push(
        `${r.threadState.workflow ?? 'thread'} ${r.threadState.states?.join('/')}, due ${r.threadState.dueAt}`,
      );
    else if (r.threadState?.status === 'moved')
      parts.push(`${r.threadState.workflow ?? 'thread'} → ${r.threadState.states?.join('/')}`);
    else if (r.threadState?.status === 'closed')
      parts.push(`thread closed (answered in ${((r.threadState.answeredAfterMs ?? 0) / 1000).toFixed(1)} s)`);
    else parts.push('no thread (informational)');
  }
  if (r.failure !== undefined) parts.push(`FAILED at "${r.failure.hop}": ${r.failure.reason}`);
  const mark = r.failure === undefined ? '✓' : '✗';
  return `${mark} ${route}${' '.repeat(Math.max(1, 12 - width(route)))}${r.domain.padEnd(14)} ${r.type.padEnd(18)} ${id}  ${parts.join(' → ')}`;
}

/** One JSON object per message (`--json`). */
export function messageJson(r: MessageResult): string {
  return JSON.stringify({
    message: r.id ?? null,
    step: r.step,
    from: r.from,
    to: r.to,
    domain: r.domain,
    type: r.type,
    contract: r.contract,
    dialect: r.dialect,
    alg: r.alg,
    sha256: r.sha256,
    thread: r.thread,
    inReplyTo: r.inReplyTo,
    deliveries: r.deliveries,
    threadState: r.threadState,
    hops: r.passed,
    ok: r.failure === undefined,
    failure: r.failure,
    ms: r.ms,
  });
}

export function summaryLines(c: DemoCounts): string[] {
  const cities = c.cities.map((t) => `${t.name} ${t.sent}/${t.received}`).join(' · ');
  return [
    '',
    `Summary (${(c.durationMs / 1000).toFixed(1)} s)`,
    `  messages sent        ${c.messages} (${c.deliveries} deliveries; risk alerts fan out to every subscribed partner)`,
    `  delivered            ${c.delivered}/${c.deliveries}, receipts verified ${c.receiptsVerified}/${c.deliveries}`,
    `  delivered locally    ${c.deliveredLocally.push + c.deliveredLocally.pull}/${c.deliveries} (${c.deliveredLocally.push} push, ${c.deliveredLocally.pull} pull)`,
    `  threads              ${c.threadsOpened} opened by requests, ${c.threadsClosed} closed by replies`,
    `  sent/received        ${cities}`,
    c.ok
      ? `  result               every message passed every hop`
      : `  result               ${c.failed} of ${c.messages} messages failed a hop`,
  ];
}
