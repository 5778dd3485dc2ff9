import { formatPointer } from './pointer.js';

/** At most this many pointers are listed in a loss report; the rest are counted (like problem faults). */
export const MAX_LOSSES = 100;

/**
 * What a local system cannot see of a canonical document: the canonical JSON pointers at which the
 * document read back from its dialect differs from the one received (missing, changed or extra),
 * at most `MAX_LOSSES` of them, the rest counted in `omitted`. A whole missing subtree is one
 * pointer (`/parties/1`), not one per leaf.
 */
export interface LossReport {
  readonly pointers: readonly string[];
  readonly omitted: number;
}

export const NO_LOSS: LossReport = Object.freeze({ pointers: Object.freeze([]), omitted: 0 });

/**
 * Whether a value holds no fact: an object or list whose members all hold none (`{}`, `[]`,
 * `{"manifest": {}}`). A dialect with no way to write an empty object or list loses nothing when it
 * does not carry one, and one read back where none was sent invents nothing.
 */
function holdsNoFact(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(holdsNoFact);
}

/**
 * Every pointer at which two JSON values differ, in document order, bounded. A value that holds no
 * fact (`holdsNoFact`) on one side and is absent on the other is no difference.
 */
export function differences(a: unknown, b: unknown, max = MAX_LOSSES): LossReport {
  const found: string[] = [];
  let omitted = 0;
  const walk = (x: unknown, y: unknown, path: string[]): void => {
    if (x === y) return;
    if ((x === undefined && holdsNoFact(y)) || (y === undefined && holdsNoFact(x))) return;
    const bothObjects =
      typeof x === 'object' &&
      typeof y === 'object' &&
      x !== null &&
      y !== null &&
      Array.isArray(x) === Array.isArray(y);
    if (!bothObjects) {
      if (found.length < max) found.push(formatPointer(path) || '/');
      else omitted++;
      return;
    }
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) {
      path.push(k);
      walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path);
      path.pop();
    }
  };
  walk(a, b, []);
  return { pointers: found, omitted };
}

/**
 * Adds pointers to a report (e.g. the faults of a conversion towards the dialect), skipping those
 * already listed or inside a listed pointer, within the same bound.
 */
export function withPointers(report: LossReport, more: readonly string[], max = MAX_LOSSES): LossReport {
  const pointers = [...report.pointers];
  let omitted = report.omitted;
  for (const p of more) {
    if (pointers.some((q) => q === p || p.startsWith(`${q}/`) || q === '/')) continue;
    if (pointers.length < max) pointers.push(p);
    else omitted++;
  }
  return { pointers, omitted };
}

/** How many canonical values a report says were not carried (listed and omitted). */
export function lossCount(report: LossReport): number {
  return report.pointers.length + report.omitted;
}
