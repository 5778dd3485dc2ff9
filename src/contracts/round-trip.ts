import type { Direction, RulePath } from './mapping-types.js';
import { formatPointer, isIndex, type Segments } from './pointer.js';

/**
 * What a round trip through a dialect may legitimately change: values the mapping declares lossy,
 * drops, or fills with constants, defaults and provenance (from the envelope, absent in a round trip). Pointer patterns use `*` for array items.
 */
export function roundTripIgnores(paths: readonly RulePath[], side: 'canonical' | 'dialect'): Segments[] {
  const lossyDirection: Direction = side === 'canonical' ? 'toDialect' : 'toCanonical';
  const out: Segments[] = [];
  for (const p of paths) {
    const pointer = p[side];
    if (pointer === undefined) continue;
    if (p.keep !== undefined) out.push([...pointer, `@${p.keep}`]);
    else if (
      p.kind === 'constant' ||
      p.kind === 'provenance' ||
      p.kind === 'drop' ||
      p.lossy === lossyDirection ||
      p.defaults?.includes(side)
    )
      out.push(pointer);
  }
  return out;
}

/** A deep copy of `value` without the values at the given patterns (and without emptied objects). */
export function without(value: unknown, patterns: readonly Segments[]): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  for (const pattern of patterns) remove(copy, pattern, 0);
  return prune(copy);
}

function remove(node: unknown, pattern: Segments, i: number): void {
  if (typeof node !== 'object' || node === null) return;
  const seg = pattern[i]!;
  const last = i === pattern.length - 1;
  if (Array.isArray(node)) {
    if (seg.startsWith('@')) {
      // `@n`: every item from index n on.
      const from = Number(seg.slice(1));
      if (last) node.length = Math.min(node.length, from);
      else for (let k = from; k < node.length; k++) remove(node[k], pattern, i + 1);
      return;
    }
    const indices = seg === '*' ? node.map((_, k) => k) : isIndex(seg) ? [Number(seg)] : [];
    for (const k of indices) {
      if (last) node[k] = undefined;
      else remove(node[k], pattern, i + 1);
    }
    return;
  }
  const record = node as Record<string, unknown>;
  if (!Object.hasOwn(record, seg)) return;
  if (last) delete record[seg];
  else remove(record[seg], pattern, i + 1);
}

function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((x) => x !== undefined).map(prune);
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const p = prune(v);
      if (p === undefined) continue;
      if (typeof p === 'object' && p !== null && !Array.isArray(p) && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return node;
}

/** The first pointer at which two JSON values differ, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path: string[] = []): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
    return formatPointer(path) || '/';
  if (Array.isArray(a) !== Array.isArray(b)) return formatPointer(path) || '/';
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [
      ...path,
      k,
    ]);
    if (d !== undefined) return d;
  }
  return undefined;
}
