import { problemCatalogue } from '../errors/errors.js';
import type { LogFn } from '../http/env.js';
import { rateLimitedLog } from '../logging/rate-limited.js';
import type { Metrics } from '../metrics/yrdx.js';
import { AUDIT_FIELD_LIMITS, boundText } from '../store/audit-bounds.js';
import type { AdminAuditEvent, AuditSink } from './sink.js';

/** The fixed window of anonymous-refusal summaries: at most one chain entry per window (per instance). */
export const REFUSAL_WINDOW_MS = 10 * 60_000;
/** Log lines about anonymous refusals per minute (then one `log lines suppressed` line). */
export const REFUSAL_LOG_LINES_PER_MINUTE = 10;
/** Distinct (surface, code) pairs counted per window; more fall under `other`. */
const MAX_KINDS = 32;
/** Codes the console reports that are not problem codes. */
const CONSOLE_CODES: ReadonlySet<string> = new Set(['csrf_refused']);

type Surface = 'admin_api' | 'console' | 'other';

interface Window {
  readonly index: number;
  readonly counts: Map<string, number>;
  total: number;
}

/**
 * Wraps the audit sink of the admin API and the console. A refusal of a caller without a valid
 * credential (no `role`: none presented, a wrong or expired one, or rate limited before one) is
 * outside traffic: anyone can send it, as often as they like. So it is not one chain entry each:
 *
 * - it is counted in `yrdx_anonymous_refusals_total{surface, code}` (bounded labels: never the path
 *   or the address);
 * - it is logged through a rate-limited log (at most `REFUSAL_LOG_LINES_PER_MINUTE` lines a
 *   minute, fields cut short);
 * - the chain gets at most one entry per fixed window of `REFUSAL_WINDOW_MS` (aligned to the
 *   clock), written at the window's first refusal: it shows that refusals happened in that window
 *   and what the first was (bounded), and carries the counts of the previous window that had any.
 *   Growth is then bounded by time — 144 entries a day per instance at most, each bounded — not by
 *   the attacker's traffic. The counts of the last window reach the chain with the next refusal;
 *   the metric always has them.
 *
 * Everything a principal does — allowed, or refused by role — goes to the chain as before, one
 * entry each, its fields cut to their bounds.
 */
export function summariseAnonymousRefusals(
  inner: AuditSink,
  options: {
    readonly now: () => number;
    readonly metrics?: Metrics;
    readonly log?: LogFn;
    readonly windowMs?: number;
  },
): AuditSink {
  const windowMs = options.windowMs ?? REFUSAL_WINDOW_MS;
  const log = rateLimitedLog(options.log, { perMinute: REFUSAL_LOG_LINES_PER_MINUTE, now: options.now });
  let current: Window | undefined;

  return {
    async recordAdmin(event, now) {
      if (event.role !== undefined || event.outcome !== 'refused') {
        await inner.recordAdmin(boundEvent(event), now);
        return;
      }
      const surface = surfaceOf(event.action);
      const code = codeOf(event.detail);
      options.metrics?.anonymousRefusals.inc({ surface, code });
      const [method, path] = splitAction(event.action);
      log('info', 'anonymous admin request refused', { surface, code, status: event.status, method, path });
      const index = Math.floor(now / windowMs);
      const kind = `${surface} ${code} ${event.status}`;
      if (current !== undefined && current.index === index) {
        count(current, kind);
        return;
      }
      // The first refusal of a window: decided before any await, so concurrent ones write once.
      const previous = current;
      current = { index, counts: new Map(), total: 0 };
      count(current, kind);
      await inner.recordAdmin(summary(event, kind, index * windowMs, windowMs, previous), now);
    },
  };
}

function count(window: Window, kind: string): void {
  window.total++;
  const key = window.counts.has(kind) || window.counts.size < MAX_KINDS ? kind : 'other';
  window.counts.set(key, (window.counts.get(key) ?? 0) + 1);
}

/** The chain entry of a window: its first refusal, and the counts of the previous window with any. */
function summary(
  first: AdminAuditEvent,
  kind: string,
  start: number,
  windowMs: number,
  previous: Window | undefined,
): AdminAuditEvent {
  const minutes = windowMs / 60_000;
  const firstText = `window ${iso(start)} +${minutes}min: first ${kind} ${boundText(first.action, 120)}`;
  const earlier =
    previous === undefined
      ? ''
      : `; window ${iso(previous.index * windowMs)}: ${previous.total} refused (${[...previous.counts]
          .map(([k, n]) => `${k}: ${n}`)
          .join(', ')})`;
  return {
    actor: 'anonymous',
    action: 'anonymous refusals',
    outcome: 'refused',
    status: first.status,
    detail: boundText(`${firstText}${earlier}`, AUDIT_FIELD_LIMITS.detail),
  };
}

function boundEvent(event: AdminAuditEvent): AdminAuditEvent {
  return {
    ...event,
    actor: boundText(event.actor, AUDIT_FIELD_LIMITS.actor),
    action: boundText(event.action, AUDIT_FIELD_LIMITS.action),
    ...(event.detail === undefined ? {} : { detail: boundText(event.detail, AUDIT_FIELD_LIMITS.detail) }),
  };
}

function splitAction(action: string): [string, string] {
  const space = action.indexOf(' ');
  return space < 0 ? ['', action] : [action.slice(0, space), action.slice(space + 1)];
}

function surfaceOf(action: string): Surface {
  const path = splitAction(action)[1];
  if (path.startsWith('/admin/')) return 'admin_api';
  if (path.startsWith('/console/') || path === '/console') return 'console';
  return 'other';
}

/** A problem code as a label value: from the catalogue or the console's few, else `other`. */
function codeOf(detail: string | undefined): string {
  if (detail === undefined) return 'none';
  return Object.hasOwn(problemCatalogue, detail) || CONSOLE_CODES.has(detail) ? detail : 'other';
}

const iso = (ms: number) => new Date(ms).toISOString();
