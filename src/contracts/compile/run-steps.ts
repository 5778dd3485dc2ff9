import { compactToIsoDate } from '../conversions/date.js';
import { ConversionFault } from '../conversions/op.js';
import { messageFault } from '../fault-text.js';
import type { TranslationFault } from '../faults.js';
import type { Record_ } from './context.js';
import type { StepPlan } from './step-plan.js';

type Keyed = Record<string | number, unknown>;

function open(plan: StepPlan, containers: (Keyed | undefined)[], dst: Keyed, id: number): Keyed {
  const known = containers[id];
  if (known !== undefined) return known;
  const p = plan.parents[id]!;
  const holder = p.parent < 0 ? dst : open(plan, containers, dst, p.parent);
  let node = holder[p.key];
  if (typeof node !== 'object' || node === null) {
    node = p.array ? [] : {};
    holder[p.key] = node;
  }
  containers[id] = node as Keyed;
  return node as Keyed;
}

/** The value at `path` below `node` through own members only (array items by index), as `getAt` reads. */
function ownAt(node: unknown, path: readonly (string | number)[]): unknown {
  for (let j = 0; j < path.length; j++) {
    const key = path[j]!;
    if (typeof node !== 'object' || node === null) return undefined;
    if (Array.isArray(node)) node = typeof key === 'number' ? node[key] : undefined;
    else if (Object.hasOwn(node, key)) node = (node as Keyed)[key];
    else return undefined;
  }
  return node;
}

export function runSteps(
  plan: StepPlan,
  src: unknown,
  dst: Record_,
  faults: TranslationFault[],
  base: string,
  gathered: readonly unknown[] | undefined,
): void {
  const containers: (Keyed | undefined)[] = new Array(plan.parents.length);
  const steps = plan.steps;
  // Consecutive steps mostly write into the same container: the last one is kept at hand.
  let lastParent = -1;
  let lastContainer = dst as Keyed;
  const source = typeof src === 'object' && src !== null ? (src as Keyed) : undefined;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const read = s.read;
    let value: unknown;
    if (source === undefined) value = undefined;
    else if (gathered !== undefined && s.slot >= 0) value = gathered[s.slot];
    else if (s.own) value = ownAt(source, read);
    else if (read.length === 1) value = source[read[0]!];
    else {
      value = source;
      for (let j = 0; j < read.length; j++) {
        if (typeof value !== 'object' || value === null) {
          value = undefined;
          break;
        }
        value = (value as Keyed)[read[j]!];
      }
    }
    if (value === undefined || value === null) {
      if (s.fallback === undefined) continue;
      value = clone(s.fallback);
    } else if (s.convert !== undefined) {
      // A code table is looked up directly; a miss goes through the conversion, which reports it.
      const hit =
        s.lookup !== undefined ? s.lookup.get(value) : s.compactDate ? compactToIsoDate(value) : undefined;
      if (hit !== undefined) {
        value = hit;
        if (s.parent !== lastParent) {
          lastParent = s.parent;
          lastContainer = s.parent < 0 ? (dst as Keyed) : open(plan, containers, dst as Keyed, s.parent);
        }
        lastContainer[s.key] = value;
        continue;
      }
      try {
        value = s.convert(value);
      } catch (error) {
        fault(faults, base + s.sourceText, error);
        continue;
      }
    } else if (typeof value === 'object') {
      value = clone(value);
    }
    if (s.parent !== lastParent) {
      lastParent = s.parent;
      lastContainer = s.parent < 0 ? (dst as Keyed) : open(plan, containers, dst as Keyed, s.parent);
    }
    lastContainer[s.key] = value;
  }
}

export const clone = <T>(v: T): T =>
  typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as T) : v;

export function fault(faults: TranslationFault[], pointer: string, error: unknown): void {
  if (error instanceof ConversionFault)
    faults.push({
      pointer: pointer || '/',
      rule: error.rule,
      detail: { zh: error.message, en: error.en ?? messageFault('conversion', { rule: error.rule }).en },
    });
  else throw error;
}
