/**
 * Rewrites a JSON Schema pattern (ECMAScript syntax, `u` flag, already accepted by `new RegExp`) into
 * the syntax of RE2, the linear-time engine contract patterns run in, keeping ECMAScript's meaning
 * where the two differ: `\s` and `.` name ECMAScript's sets, `\uXXXX` becomes `\x{XXXX}`, an empty
 * class matches nothing. What RE2 cannot run in linear time (lookaround, backreferences) is refused,
 * and so is a pattern whose program would be larger than `maxCost` (see `CONTRACT_LIMITS`).
 *
 * The cost counts what the matcher's program holds: one per character, class or assertion, a
 * repeated piece as many times as it may repeat, so `(?:a{30}){30}` costs 900.
 */
export interface Translated {
  readonly re2: string;
  readonly cost: number;
  /**
   * For a pattern anchored at both ends (`^…$`, as most field formats are): the part between the
   * anchors, to match against the whole text, which RE2 does several times faster than a search.
   */
  readonly exact?: string;
}

/** ECMAScript's WhiteSpace and LineTerminator code points (`\s`), as ranges. */
const SPACE: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;
const hex = (c: number) => `\\x{${c.toString(16)}}`;
const ranges = (list: readonly (readonly [number, number])[]) =>
  list.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');
/** The complement of `SPACE` (`\S`), written as ranges so it can also stand inside a class. */
const NOT_SPACE = (() => {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of SPACE) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  out.push([next, MAX_CODE_POINT]);
  return out;
})();
const SPACE_ITEMS = ranges(SPACE);
const NOT_SPACE_ITEMS = ranges(NOT_SPACE);
/** `.` without the `s` flag: anything but a line terminator. */
const DOT = `[^${hex(0x0a)}${hex(0x0d)}${hex(0x2028)}${hex(0x2029)}]`;
/** RE2 counts repetitions up to 1000. */
const MAX_REPEAT = 1000;

class Refusal extends Error {}

/** Translates `pattern`, or returns why it cannot run in the linear-time engine. */
export function translatePattern(
  pattern: string,
  options: { readonly maxCost: number; readonly knownProperty: (name: string) => boolean },
): Translated | string {
  try {
    return new Translator(pattern, options).run();
  } catch (error) {
    if (error instanceof Refusal) return error.message;
    throw error;
  }
}

class Translator {
  #i = 0;
  constructor(
    private readonly p: string,
    private readonly options: { readonly maxCost: number; readonly knownProperty: (name: string) => boolean },
  ) {}

  run(): Translated {
    const { out, cost, alternatives } = this.disjunction();
    if (this.#i < this.p.length) throw new Refusal(`unexpected "${this.p[this.#i]}" at ${this.#i}`);
    const terms = alternatives.length === 1 ? alternatives[0]! : [];
    const anchored = terms.length >= 2 && terms[0] === '^' && terms.at(-1) === '$';
    const exact = anchored ? terms.slice(1, -1).join('') || '(?:)' : undefined;
    return { re2: out === '' ? '(?:)' : out, cost, ...(exact === undefined ? {} : { exact }) };
  }

  #budget(cost: number): number {
    if (cost > this.options.maxCost)
      throw new Refusal(
        `the pattern would compile to more than ${this.options.maxCost} steps (repetitions multiply: write {1,50} rather than {1,5000}, or check lengths with maxLength)`,
      );
    return cost;
  }

  /** `alternatives` holds the RE2 source of each term of each alternative. */
  disjunction(): { out: string; cost: number; alternatives: string[][] } {
    const alternatives: string[][] = [];
    let cost = 0;
    for (;;) {
      const alt = this.alternative();
      alternatives.push(alt.terms);
      cost = this.#budget(cost + alt.cost);
      if (this.p[this.#i] !== '|') break;
      this.#i++;
      cost++;
    }
    return { out: alternatives.map((t) => t.join('')).join('|'), cost, alternatives };
  }

  alternative(): { terms: string[]; cost: number } {
    const terms: string[] = [];
    let cost = 0;
    while (this.#i < this.p.length && this.p[this.#i] !== '|' && this.p[this.#i] !== ')') {
      const atom = this.term();
      terms.push(atom.out);
      cost = this.#budget(cost + atom.cost);
    }
    return { terms, cost };
  }

  term(): { out: string; cost: number } {
    const c = this.p[this.#i]!;
    if (c === '^' || c === '$') {
      this.#i++;
      return { out: c, cost: 1 };
    }
    const atom = this.atom();
    return this.quantified(atom);
  }

  quantified(atom: { out: string; cost: number }): { out: string; cost: number } {
    const c = this.p[this.#i];
    let times: number;
    let q: string;
    if (c === '*' || c === '+' || c === '?') {
      this.#i++;
      q = c;
      times = 1;
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.p.slice(this.#i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.#i))!;
      this.#i += m[0].length;
      const min = Number(m[1]);
      const max = m[3] === undefined ? (m[2] === undefined ? min : undefined) : Number(m[3]);
      if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT))
        throw new Refusal(`a repetition counts at most ${MAX_REPEAT} times ({${m[1]}${m[2] ?? ''}})`);
      q = m[0];
      times = max ?? min + 1;
    } else return atom;
    if (this.p[this.#i] === '?') {
      this.#i++;
      q += '?';
    }
    // An atom is always one RE2 atom (a character, a class, an escape or a group).
    return { out: `${atom.out}${q}`, cost: this.#budget(Math.max(1, atom.cost) * Math.max(1, times) + 1) };
  }

  atom(): { out: string; cost: number } {
    const c = this.p[this.#i]!;
    if (c === '(') return this.group();
    if (c === '[') return { out: this.characterClass(), cost: 1 };
    if (c === '.') {
      this.#i++;
      return { out: DOT, cost: 1 };
    }
    if (c === '\\') return this.atomEscape();
    const cp = this.p.codePointAt(this.#i)!;
    this.#i += cp > 0xffff ? 2 : 1;
    return { out: literal(cp), cost: 1 };
  }

  group(): { out: string; cost: number } {
    const rest = this.p.slice(this.#i, this.#i + 4);
    if (/^\(\?[=!]|^\(\?<[=!]/.test(rest))
      throw new Refusal(
        'lookahead and lookbehind assertions ((?=, (?!, (?<=, (?<!) cannot run in linear time',
      );
    if (rest.startsWith('(?:')) this.#i += 3;
    else if (rest.startsWith('(?<')) this.#i = this.p.indexOf('>', this.#i) + 1;
    else if (rest.startsWith('(?')) throw new Refusal('modifier groups such as (?i:…) are not supported');
    else this.#i += 1;
    const inner = this.disjunction();
    if (this.p[this.#i] !== ')') throw new Refusal('unbalanced parenthesis');
    this.#i++;
    // Groups capture nothing that a test needs: non-capturing groups make a smaller program.
    return { out: `(?:${inner.out})`, cost: inner.cost };
  }

  atomEscape(): { out: string; cost: number } {
    const e = this.p[this.#i + 1]!;
    if (e === 'b' || e === 'B') {
      this.#i += 2;
      return { out: `\\${e}`, cost: 1 };
    }
    if (/[1-9]/.test(e) || e === 'k')
      throw new Refusal('backreferences (\\1, \\k<name>) cannot run in linear time');
    const item = this.classEscape(false);
    return { out: item.set ? `[${item.text}]` : item.text, cost: 1 };
  }

  /**
   * An escape inside or outside a class: `text` is RE2 class content when `set` (to wrap in [...]
   * outside a class), else one RE2 atom; `cp` is the code point of a single character.
   */
  classEscape(inClass: boolean): { text: string; set: boolean; cp?: number } {
    const e = this.p[this.#i + 1]!;
    this.#i += 2;
    switch (e) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return { text: `\\${e}`, set: false };
      case 's':
        return { text: SPACE_ITEMS, set: true };
      case 'S':
        return { text: NOT_SPACE_ITEMS, set: true };
      case 'p':
      case 'P':
        return { text: this.property(e), set: false };
      case 'f':
        return single(0x0c);
      case 'n':
        return single(0x0a);
      case 'r':
        return single(0x0d);
      case 't':
        return single(0x09);
      case 'v':
        return single(0x0b);
      case 'b':
        if (inClass) return single(0x08);
        break;
      case '0':
        return single(0);
      case 'c': {
        const letter = this.p.charCodeAt(this.#i);
        this.#i++;
        return single(letter % 32);
      }
      case 'x': {
        const cp = Number.parseInt(this.p.slice(this.#i, this.#i + 2), 16);
        this.#i += 2;
        return single(cp);
      }
      case 'u':
        return single(this.unicodeEscape());
      case '-':
        return single(0x2d);
      default: {
        // An identity escape: in `u` mode only a syntax character or "/".
        const cp = this.p.codePointAt(this.#i - 1)!;
        return single(cp);
      }
    }
    throw new Refusal(`unsupported escape \\${e}`);
  }

  unicodeEscape(): number {
    if (this.p[this.#i] === '{') {
      const end = this.p.indexOf('}', this.#i);
      const cp = Number.parseInt(this.p.slice(this.#i + 1, end), 16);
      this.#i = end + 1;
      return surrogateFree(cp);
    }
    const high = Number.parseInt(this.p.slice(this.#i, this.#i + 4), 16);
    this.#i += 4;
    if (high >= 0xd800 && high <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(this.p.slice(this.#i))) {
      const low = Number.parseInt(this.p.slice(this.#i + 2, this.#i + 6), 16);
      this.#i += 6;
      return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    }
    return surrogateFree(high);
  }

  property(e: 'p' | 'P'): string {
    const end = this.p.indexOf('}', this.#i);
    const body = this.p.slice(this.#i + 1, end);
    this.#i = end + 1;
    const [key, value] = body.includes('=') ? (body.split('=') as [string, string]) : [undefined, body];
    const name = key === undefined || /^(gc|General_Category|sc|Script)$/.test(key) ? value : undefined;
    if (name === undefined || !/^[A-Za-z_]+$/.test(name) || !this.options.knownProperty(name))
      throw new Refusal(
        `the Unicode property \\${e}{${body}} is not supported (use a general category such as \\p{L} or a script such as \\p{sc=Han})`,
      );
    return `\\${e}{${name}}`;
  }

  characterClass(): string {
    this.#i++;
    let negated = false;
    if (this.p[this.#i] === '^') {
      negated = true;
      this.#i++;
    }
    let items = '';
    while (this.p[this.#i] !== ']') {
      if (this.#i >= this.p.length) throw new Refusal('unterminated character class');
      const from = this.classAtom();
      if (this.p[this.#i] === '-' && this.p[this.#i + 1] !== ']' && from.cp !== undefined) {
        this.#i++;
        const to = this.classAtom();
        if (to.cp === undefined) throw new Refusal('a class range must be between two characters');
        items += `${hex(from.cp)}-${hex(to.cp)}`;
      } else items += from.text;
    }
    this.#i++;
    // ECMAScript's [] matches nothing and [^] anything; RE2 has no empty class.
    if (items === '')
      return negated ? `[${hex(0)}-${hex(MAX_CODE_POINT)}]` : `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;
    return `[${negated ? '^' : ''}${items}]`;
  }

  classAtom(): { text: string; cp?: number } {
    if (this.p[this.#i] === '\\') {
      const item = this.classEscape(true);
      return item.cp === undefined ? { text: item.text } : { text: hex(item.cp), cp: item.cp };
    }
    const cp = surrogateFree(this.p.codePointAt(this.#i)!);
    this.#i += cp > 0xffff ? 2 : 1;
    return { text: hex(cp), cp };
  }
}

function single(cp: number): { text: string; set: false; cp: number } {
  return { text: hex(cp), set: false, cp };
}

function surrogateFree(cp: number): number {
  if (cp >= 0xd800 && cp <= 0xdfff) throw new Refusal('a lone surrogate (\\uD800–\\uDFFF) cannot be matched');
  return cp;
}

/** A character outside a class: ASCII letters and digits as they are, anything else as \x{…}. */
function literal(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a))
    return String.fromCodePoint(cp);
  return hex(surrogateFree(cp));
}
