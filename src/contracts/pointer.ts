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

/** A pointer compiled into a reader and a writer, for the hot path of translation. */
export interface CompiledPointer {
  readonly segments: Segments;
  readonly text: string;
  get(root: unknown): unknown;
  set(root: Record<string, unknown>, value: unknown): void;
}

interface Step {
  readonly key: string;
  /** The array index this segment names, or -1. */
  readonly index: number;
  /** Whether a plain property read could find an inherited member (e.g. "toString"). */
  readonly inherited: boolean;
  /** Whether the container to create below this segment is an array. */
  readonly childIsArray: boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Compiles segments (already checked by `parsePointer`) into closures with the same meaning as
 * `getAt` and `setAt`, doing the per-segment work once: index parsing, and whether a key needs an
 * own-property check at all.
 */
export function compilePointer(segments: Segments): CompiledPointer {
  const steps: Step[] = segments.map((key, i) => ({
    key,
    index: isIndex(key) ? Number(key) : -1,
    inherited: key in Object.prototype,
    childIsArray: i + 1 < segments.length && isIndex(segments[i + 1]!),
  }));
  const n = steps.length;
  const read = (node: unknown, s: Step): unknown => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (Array.isArray(node)) return s.index < 0 ? undefined : node[s.index];
    if (s.inherited && !hasOwn.call(node, s.key)) return undefined;
    return (node as Record<string, unknown>)[s.key];
  };
  const get = steps.every((s) => !s.inherited)
    ? fastGetter(steps)
    : (root: unknown) => {
        let node = root;
        for (let i = 0; i < n; i++) {
          node = read(node, steps[i]!);
          if (node === undefined) return undefined;
        }
        return node;
      };
  const set =
    n <= 3
      ? fastSetter(steps)
      : (root: Record<string, unknown>, value: unknown) => {
          let node = root as Record<string | number, unknown>;
          for (let i = 0; i < n - 1; i++) {
            const s = steps[i]!;
            const key = s.index >= 0 && Array.isArray(node) ? s.index : s.key;
            let next = node[key];
            if (typeof next !== 'object' || next === null) {
              next = s.childIsArray ? [] : {};
              node[key] = next;
            }
            node = next as Record<string | number, unknown>;
          }
          const last = steps[n - 1]!;
          node[last.index >= 0 && Array.isArray(node) ? last.index : last.key] = value;
        };
  return { segments, text: formatPointer(segments), get, set };
}

type Container = Record<string, unknown>;
type Keyed = Record<string | number, unknown>;

/**
 * Readers for pointers without inherited names, unrolled for the usual depths: one keyed load per
 * segment. Documents are validated before they are translated; on anything else a reader returns
 * a harmless value rather than throwing.
 */
function fastGetter(steps: readonly Step[]): (root: unknown) => unknown {
  const keys = steps.map((s) => (s.index >= 0 ? s.index : s.key));
  const [a, b, c] = keys as [string | number, string | number, string | number];
  const step = (node: unknown, key: string | number): unknown =>
    typeof node === 'object' && node !== null ? (node as Keyed)[key] : undefined;
  switch (steps.length) {
    case 1:
      return (root) => step(root, a);
    case 2:
      return (root) => step(step(root, a), b);
    case 3:
      return (root) => step(step(step(root, a), b), c);
    default:
      return (root) => {
        let node = root;
        for (const key of keys) node = step(node, key);
        return node;
      };
  }
}

/** Writers unrolled for depths 1–3: create missing containers, then store. */
function fastSetter(steps: readonly Step[]): (root: Container, value: unknown) => void {
  const keys = steps.map((s) => (s.index >= 0 ? s.index : s.key));
  const [a, b, c] = keys as [string | number, string | number, string | number];
  const arrayBelow = steps.map((s) => s.childIsArray);
  const open = (node: Keyed, key: string | number, array: boolean): Keyed => {
    const next = node[key];
    if (typeof next === 'object' && next !== null) return next as Keyed;
    const created: Keyed = array ? ([] as unknown as Keyed) : {};
    node[key] = created;
    return created;
  };
  switch (steps.length) {
    case 1:
      return (root, value) => {
        (root as Keyed)[a] = value;
      };
    case 2:
      return (root, value) => {
        open(root as Keyed, a, arrayBelow[0]!)[b] = value;
      };
    default:
      return (root, value) => {
        open(open(root as Keyed, a, arrayBelow[0]!), b, arrayBelow[1]!)[c] = value;
      };
  }
}
