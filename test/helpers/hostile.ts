/**
 * Seeded generators of hostile input for the hostile-input suite: mutations of valid requests at
 * the byte level and at the JSON level, and the values attackers reach for first (NUL, lone
 * surrogates, huge arrays, deep nesting, prototype keys, numbers JSON cannot hold). Everything is
 * derived from one seed, so a failure names the seed and the case, and replays exactly.
 */

/** mulberry32: small, fast and good enough to choose mutations; the seed makes a run repeatable. */
export function random(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

export interface Random {
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** Raw JSON text nested `depth` levels deep (built as text: no recursion here or in the sender). */
export function deepJson(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** Values that have broken parsers, stores and templates before, as JSON-able values. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  '',
  '\u0000',
  'case\u0000number',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\uffff\ufffe',
  '\u202e\u2028\u2029',
  '../../../../etc/passwd',
  '..%2f..%2fconfig%2fnode',
  '<script>alert(1)</script>',
  "'; DROP TABLE messages; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as plain text
  '${process.exit()}',
  '{{constructor.constructor("return process")()}}',
  'a'.repeat(70_000),
  '浙'.repeat(20_000),
  [],
  {},
  Array.from({ length: 50_000 }, () => 0),
  Array.from({ length: 2_000 }, (_, i) => ({ i, name: `第${i}项` })),
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
];

/** Raw JSON texts that are hostile as text (not expressible as values through JSON.stringify). */
export function hostileJsonTexts(valid: string): string[] {
  return [
    deepJson(100_000),
    `{"a":${deepJson(5_000, '{"a":', '}').replace(/\{"a":\}/, '1')}}`,
    `[${'1,'.repeat(150_000)}1]`,
    valid.replace(/"([^"]*)"/, '"$1\\u0000"'),
    valid.replace(/"([^"]*)"/, '"$1\\ud800"'),
    valid.replace(/"([^"]*)"/, '"\\udc00$1"'),
    valid.replace(/^\{/, '{"__proto__":{"admin":true},'),
    valid.replace(/^\{/, '{"a":1,"a":2,'),
    `\ufeff${valid}`,
    `${valid}${valid}`,
    valid.slice(0, Math.floor(valid.length / 2)),
    '',
    'null',
    '[]',
    '"string"',
    '1e999999',
    '{"a":1e999999}',
    '{"a":-0.0000000000000000000000000000001}',
    '{"a":9007199254740993}',
    '\u0000',
  ];
}

/** Bytes that are not UTF-8, or are UTF-8 of things that should never arrive. */
export function hostileBytes(valid: string): Uint8Array[] {
  const enc = new TextEncoder().encode(valid);
  const at = Math.floor(enc.length / 3);
  const splice = (insert: number[]) => {
    const out = new Uint8Array(enc.length + insert.length);
    out.set(enc.subarray(0, at));
    out.set(insert, at);
    out.set(enc.subarray(at), at + insert.length);
    return out;
  };
  return [
    splice([0xff, 0xfe]),
    splice([0xc0, 0x80]), // overlong NUL
    splice([0xed, 0xa0, 0x80]), // a surrogate encoded as UTF-8 (CESU)
    splice([0x00]),
    splice([0xf4, 0x90, 0x80, 0x80]), // beyond U+10FFFF
    splice([0xe4, 0xb8]), // a truncated sequence
  ];
}

/** A byte-level mutation of a text: flips, insertions, deletions, duplication or truncation. */
export function mutateText(text: string, r: Random): string {
  const chars = [...text];
  const times = 1 + r.int(4);
  for (let i = 0; i < times && chars.length > 0; i++) {
    const at = r.int(chars.length);
    switch (r.int(6)) {
      case 0: {
        const code = chars[at]!.charCodeAt(0) ^ (1 << r.int(7));
        chars[at] = String.fromCharCode(code);
        break;
      }
      case 1:
        chars.splice(at, 0, r.pick(['"', '\\', '{', '}', '[', ']', ',', ':', '\u0000', '\ud800', '.', '=']));
        break;
      case 2:
        chars.splice(at, 1 + r.int(8));
        break;
      case 3:
        chars.splice(at, 0, ...chars.slice(at, at + 1 + r.int(32)));
        break;
      case 4:
        chars.length = at;
        break;
      default:
        chars[at] = r.pick(['0', 'a', '-', '_', '.', ' ', '\n', '浙']);
    }
  }
  return chars.join('');
}

/** Every JSON pointer path of a value (objects and arrays), the root included. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) paths(value[i], [...at, i], out);
  } else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

/**
 * A JSON-level mutation: one member somewhere in the document replaced by a hostile value, removed,
 * or joined by an unexpected member. The input is not changed.
 */
export function mutateJson(value: unknown, r: Random): unknown {
  const copy = structuredClone(value);
  const all = paths(copy);
  const path = r.pick(all);
  const hostile = structuredClone(r.pick(HOSTILE_VALUES));
  if (path.length === 0)
    return r.chance(0.5)
      ? hostile
      : { ...(copy as object), [r.pick(['x', '', '\u0000', '__proto__'])]: hostile };
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  switch (r.int(3)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    case 1:
      if (!Array.isArray(parent)) {
        parent[`${String(last)}_${r.pick(['x', '\u0000', '\ud800'])}`] = hostile;
        break;
      }
      parent[last] = hostile;
      break;
    default:
      parent[last] = hostile;
  }
  return copy;
}

/**
 * A text as an HTTP header value a client can send at all (visible Latin-1; anything else becomes
 * `x`): fetch refuses control characters and code points above U+00FF before they leave.
 */
export function headerValue(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x21 && c <= 0xff && c !== 0x7f ? ch : 'x';
  }
  return out || 'x';
}

/**
 * The document with one of its strings (chosen at random) carrying a NUL or a lone surrogate and
 * otherwise valid: what a store that cannot hold such text meets first.
 */
export function taintString(value: unknown, r: Random): unknown {
  const copy = structuredClone(value);
  const strings = paths(copy).filter((p) => p.length > 0 && typeof at(copy, p) === 'string');
  if (strings.length === 0) return copy;
  const path = r.pick(strings);
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, string>;
  const last = path.at(-1)!;
  const poison = r.pick(['\u0000', '\ud800', '\udfff', '\u0000\u0000']);
  parent[last] = r.chance(0.5) ? `${parent[last]}${poison}` : `${poison}${parent[last]}`;
  return copy;
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown>)[key];
  return v;
}

/** Every byte of a text's UTF-8 percent-encoded (lone surrogates become U+FFFD, as a client sends them). */
export function percentEncode(text: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += `%${b.toString(16).padStart(2, '0')}`;
  return out;
}
