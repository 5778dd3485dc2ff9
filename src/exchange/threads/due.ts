import type { DueRule, StateSpec } from '../../contracts/workflow.js';
import { type Facts, requestDate } from './facts.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** China Standard Time, UTC+8 all year. */
const CST = 8 * HOUR;

/**
 * When a track entering `state` at `now` is due: a date the request gives first (the end of that day
 * in China Standard Time, or its time when it has one), else the node's setting in days
 * (`threads.dueDays`), else the contract's period. Working days are Monday to Friday: public holidays
 * and their make-up working days are not known to yrdx, so a period across a holiday is due early —
 * never late — and a node may set the days itself.
 */
export function dueAt(
  state: StateSpec,
  context: {
    readonly now: number;
    readonly facts: Facts;
    readonly participant: string;
    readonly days?: number;
  },
): number | undefined {
  const rule = state.due;
  if (rule === undefined) return undefined;
  return fromRequest(rule, context) ?? fromPeriod(rule, context.now, context.days);
}

/** When a track in `state` expires (a hard end, such as an alert's validity). */
export function expiresAt(
  state: StateSpec,
  context: { readonly facts: Facts; readonly participant: string },
): number | undefined {
  if (state.expires === undefined) return undefined;
  const date = requestDate(context.facts, state.expires.fromRequest, context.participant);
  return date === undefined ? undefined : endOf(date);
}

function fromRequest(rule: DueRule, context: { facts: Facts; participant: string }): number | undefined {
  if (rule.fromRequest === undefined) return undefined;
  const date = requestDate(context.facts, rule.fromRequest, context.participant);
  return date === undefined ? undefined : endOf(date);
}

function fromPeriod(rule: DueRule, now: number, days?: number): number | undefined {
  const count = days ?? rule.days;
  if (count !== undefined)
    return rule.calendar === 'working' && days === undefined ? workingDays(now, count) : now + count * DAY;
  if (rule.hours !== undefined) return now + rule.hours * HOUR;
  return undefined;
}

/** A date's end (23:59:59.999 China Standard Time), or a date-time's instant; undefined if neither. */
export function endOf(value: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(`${value}T23:59:59.999+08:00`);
    return Number.isFinite(t) ? t : undefined;
  }
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** The end of the `n`th working day after `now`'s day, in China Standard Time. */
function workingDays(now: number, n: number): number {
  let day = Math.floor((now + CST) / DAY);
  let left = n;
  while (left > 0) {
    day += 1;
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday, 6 = Saturday
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return (day + 1) * DAY - CST - 1;
}
