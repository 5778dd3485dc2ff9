/**
 * Hand-written, not jose's JWS parsing, which uses JSON.parse and so keeps the last duplicate member.
 *
 * JSON parsing for untrusted JWS parts. `JSON.parse` silently keeps the last of duplicate members,
 * so two parsers could read different claims from the same bytes; we refuse duplicates outright and
 * bound the nesting depth before building any value.
 */
export type StrictJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly fault: 'syntax'; readonly message?: string }
  | { readonly ok: false; readonly fault: 'duplicate'; readonly member: string }
  | { readonly ok: false; readonly fault: 'depth' };

export function parseStrictJson(text: string, maxDepth: number): StrictJsonResult {
  const scan = scanStructure(text, maxDepth);
  if (scan === 'depth') return { ok: false, fault: 'depth' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, fault: 'syntax', message: (error as Error).message };
  }
  if (scan === 'syntax') return { ok: false, fault: 'syntax' };
  if (scan !== undefined) return { ok: false, fault: 'duplicate', member: scan.duplicate };
  return { ok: true, value };
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

/**
 * Walks the structure once: tracks depth and the member names of every open object. Its verdict on
 * syntax is only trusted after `JSON.parse` has accepted the text.
 */
function scanStructure(
  text: string,
  maxDepth: number,
): undefined | 'depth' | 'syntax' | { duplicate: string } {
  const members: (Set<string> | null)[] = [];
  let expectKey = false;
  let duplicate: string | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) return 'syntax';
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
        if ((backslashes & 1) === 0) break;
        end++;
      }
      if (expectKey && duplicate === undefined) {
        const set = members[members.length - 1];
        if (set) {
          let key = text.slice(i + 1, end);
          if (key.includes('\\')) {
            try {
              key = JSON.parse(text.slice(i, end + 1)) as string;
            } catch {
              return 'syntax';
            }
          }
          if (set.has(key)) duplicate = key;
          else set.add(key);
        }
      }
      expectKey = false;
      i = end + 1;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (members.length >= maxDepth) return 'depth';
      members.push(c === OPEN_OBJECT ? new Set() : null);
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      members.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = members[members.length - 1] != null;
    } else if (c === COLON) {
      expectKey = false;
    }
    i++;
  }
  return duplicate === undefined ? undefined : { duplicate };
}
