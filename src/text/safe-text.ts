/**
 * The one rule for text that comes from outside: no NUL (U+0000) and no lone surrogate (a UTF-16
 * half without its other half, which no UTF-8 store can hold). PostgreSQL refuses both, SQLite and
 * D1 keep them, so text that breaks the rule is refused where it enters — the same on every store.
 */

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSAFE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds NUL or a lone surrogate. */
export function isUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/**
 * Whether JSON text may decode to NUL or a lone surrogate: a `\u0000` or `\uD800`–`\uDFFF` escape, or
 * a raw surrogate. When it cannot, its parsed value need not be walked (the common case, and cheap).
 */
export function mayHoldUnsafeText(json: string): boolean {
  return /\\u(?:0000|[dD][89a-fA-F])|[\uD800-\uDFFF]/.test(json);
}

/** Whether any string (member name or value) in a JSON-like value holds NUL or a lone surrogate. */
export function hasUnsafeText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (UNSAFE.test(node)) return true;
    } else if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (typeof node === 'object' && node !== null) {
      const proto = Object.getPrototypeOf(node) as unknown;
      if (proto !== Object.prototype && proto !== null) continue;
      for (const name in node) {
        if (!Object.hasOwn(node, name)) continue;
        if (UNSAFE.test(name)) return true;
        stack.push((node as Record<string, unknown>)[name]);
      }
    }
  }
  return false;
}

/**
 * The JSON pointer of the first string (member name or value) in a JSON-like value that holds NUL or
 * a lone surrogate, or undefined when there is none. Walks plain objects and arrays without
 * recursion, so that no depth of nesting can exhaust the stack; pointers are only built for a value
 * that has such a string.
 */
export function findUnsafeText(value: unknown): string | undefined {
  if (!hasUnsafeText(value)) return undefined;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (typeof node === 'string') {
      if (UNSAFE.test(node)) return pointer;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${pointer}/${i}`]);
      continue;
    }
    const proto = Object.getPrototypeOf(node) as unknown;
    if (proto !== Object.prototype && proto !== null) continue;
    for (const [name, member] of Object.entries(node)) {
      const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (UNSAFE.test(name)) return at;
      stack.push([member, at]);
    }
  }
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes as text, or undefined when they are not valid UTF-8 (never a silent U+FFFD). */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Percent-decodes a URL component as UTF-8 and returns it only when the result is safe text:
 * undefined when an escape decodes to invalid UTF-8, NUL or a lone surrogate. A `%` that starts no
 * escape stays as it is (URL parsers keep it too).
 */
export function decodePercentStrict(text: string): string | undefined {
  let bad = false;
  const decoded = text.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      bad = true;
      return '';
    }
  });
  return bad || UNSAFE.test(decoded) ? undefined : decoded;
}

/** At most `max` UTF-16 units of a text, never ending in half of a surrogate pair. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/**
 * Text from a peer that is kept, not judged (a partner's problem code and detail): NUL and lone
 * surrogates become U+FFFD, and at most `max` units are kept, ending in `…` when cut. Refusing it
 * would turn the partner's final answer into a delivery that is retried forever.
 */
export function scrubText(text: string, max: number): string {
  const clean = UNSAFE.test(text) ? text.replace(UNSAFE_ALL, '\ufffd') : text;
  return clean.length <= max ? clean : `${clipText(clean, max - 1)}…`;
}
