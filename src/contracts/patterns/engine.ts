import { RE2JS } from 're2js';
import { CONTRACT_LIMITS } from '../limits.js';
import { type Translated, translatePattern } from './translate.js';

/**
 * The regular-expression engine of contract schemas, given to ajv as `code.regExp` on Node and passed
 * to the standalone validators on Workers: RE2 (re2js, pure JavaScript), whose matching time is
 * linear in the input whatever the pattern, so an uploaded pattern cannot stall the event loop.
 *
 * Checking a pattern (its length, its ECMAScript syntax, its translation and its cost) is cheap and
 * done when validators are built; compiling it for RE2 costs ~1 ms and is done on its first use,
 * once per distinct pattern, so a node or an isolate that starts pays nothing for the patterns of
 * the contracts it loads (or that an admin uploaded) until a document needs them.
 */
export interface LinearPattern {
  test(text: string): boolean;
  toString(): string;
}

/** An ajv `RegExpEngine`: called as `engine(pattern, flags)`; `code` names it in standalone code. */
export interface PatternEngine {
  (pattern: string, flags: string): LinearPattern;
  code: string;
}

/** In the modules `yrdx contracts build` writes, the engine is the factory's `regExp` argument. */
const STANDALONE_NAME = 'regExp';

/** Whether `pattern` can run here, or why not (the fault a contract gets, with its pointer). */
export function checkPattern(pattern: string): Translated | string {
  if (pattern.length > CONTRACT_LIMITS.maxPatternLength)
    return `a pattern has at most ${CONTRACT_LIMITS.maxPatternLength} characters (this one has ${pattern.length}); check lengths with minLength/maxLength`;
  try {
    // Parses only: V8 compiles a RegExp when it first runs, and this one never runs.
    new RegExp(pattern, 'u');
  } catch (error) {
    return `not an ECMAScript regular expression: ${(error as Error).message}`;
  }
  return translatePattern(pattern, { maxCost: CONTRACT_LIMITS.maxPatternCost, knownProperty });
}

/** RE2 programs by translated source: patterns repeat across contracts and dialects. */
const compiled = new Map<string, RE2JS>();
const MAX_COMPILED = 4096;

function compile(re2: string): RE2JS {
  let found = compiled.get(re2);
  if (found === undefined) {
    found = RE2JS.compile(re2);
    // Bounded: uploads that are refused leave their patterns here too.
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(re2, found);
  }
  return found;
}

const properties = new Map<string, boolean>();

/** Whether RE2 knows a Unicode property name (a general category or a script). */
function knownProperty(name: string): boolean {
  let known = properties.get(name);
  if (known === undefined) {
    try {
      RE2JS.compile(`\\p{${name}}`);
      known = true;
    } catch {
      known = false;
    }
    if (properties.size < 1024) properties.set(name, known);
  }
  return known;
}

function checked(pattern: string, flags: string): Translated {
  if (flags !== '' && flags !== 'u') throw new Error(`unsupported regular expression flags "${flags}"`);
  const result = checkPattern(pattern);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

/** `RegExp.prototype.test` in RE2: a whole-text match where the pattern is anchored at both ends. */
function tester(translated: Translated): (text: string) => boolean {
  if (translated.exact !== undefined) {
    const program = compile(translated.exact);
    return (text) => program.testExact(text);
  }
  const program = compile(translated.re2);
  return (text) => program.test(text);
}

/** Checks now, compiles on first use (building validators at boot, on Workers). */
export const linearRegExp: PatternEngine = Object.assign(
  (pattern: string, flags: string): LinearPattern => {
    const translated = checked(pattern, flags);
    let test: ((text: string) => boolean) | undefined;
    return {
      test(text) {
        if (test === undefined) test = tester(translated);
        return test(text);
      },
      toString: () => pattern,
    };
  },
  { code: STANDALONE_NAME },
);

/** Checks and compiles now (an upload, `yrdx contracts validate` and `build`): every fault is seen at once. */
export const compiledRegExp: PatternEngine = Object.assign(
  (pattern: string, flags: string): LinearPattern => ({
    test: tester(checked(pattern, flags)),
    toString: () => pattern,
  }),
  { code: STANDALONE_NAME },
);
