/**
 * RFC 6901 JSON pointers compiled once into segment lists. Reads see only own properties; writes
 * create missing objects and arrays. Segments that could reach a prototype are refused when a
 * mapping is compiled, so no translation can ever write to `__proto__`, `constructor` or `prototype`.
 */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type Segments = readonly string[];

/** Parses a pointer, or returns why it cannot be one. */
export function parsePointer(pointer: unknown): Segments | string {
  if (typeof pointer !== 'string') return 'a JSON pointer must be a string';
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return `"${pointer}" must start with "/"`;
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  for (const s of segments) {
    if (FORBIDDEN_SEGMENTS.has(s)) return `"${pointer}" uses the forbidden segment "${s}"`;
    if (s === '') return `"${pointer}" has an empty segment`;
  }
  return segments;
}

export function formatPointer(segments: Segments): string {
  return segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

const INDEX = /^(0|[1-9]\d*)$/;

export function isIndex(segment: string): boolean {
  return INDEX.test(segment);
}

/** The value at `segments` below `root`, or undefined. */
export function getAt(root: unknown, segments: Segments): unknown {
  let node = root;
  for (const s of segments) {
    if (Array.isArray(node)) {
      if (!isIndex(s)) return undefined;
      node = node[Number(s)];
    } else if (typeof node === 'object' && node !== null) {
      if (!Object.hasOwn(node, s)) return undefined;
      node = (node as Record<string, unknown>)[s];
    } else {
      return undefined;
    }
  }
  return node;
}

/** Writes `value` at `segments` below `root`, creating objects (or arrays before an index). */
export function setAt(root: Record<string, unknown>, segments: Segments, value: unknown): void {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const last = i === segments.length - 1;
    const container = node as Record<string, unknown> | unknown[];
    const key: string | number = Array.isArray(container) ? Number(s) : s;
    if (last) {
      (container as Record<string | number, unknown>)[key] = value;
      return;
    }
    let next = (container as Record<string | number, unknown>)[key];
    if (typeof next !== 'object' || next === null) {
      next = isIndex(segments[i + 1]!) ? [] : {};
      (container as Record<string | number, unknown>)[key] = next;
    }
    node = next;
  }
}
