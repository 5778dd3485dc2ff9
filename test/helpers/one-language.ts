import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DOMAINS, MESSAGE_TYPES, PROVINCES } from '../../src/vocabulary/messages.js';
import { allCities } from '../../src/vocabulary/regions.js';

/**
 * The one rule for "one language per message", used by every language check (the CLI's output, the
 * problem catalogue, every table of texts): a Chinese text holds no English prose, an English text no
 * Chinese beyond names from the data.
 */

export const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** Standard names, codes and quoted values a Chinese text may hold as written. */
const AS_WRITTEN = [
  /`[^`]*`/g,
  /\{\w+\}/g,
  /"[^"]*"/g,
  /https?:\/\/\S+/g,
  /\byrdx(?: [a-z][a-z-]*)*/g,
  /\b(?:RFC|GB\/T|GB|HJ\/T|HJ)\s?[\d.-]+\b/g,
  /\bAuthorization: Bearer\b/g,
  /\bWorkers secret\b/g,
  /\b(?:PUT|GET|POST|DELETE) \/\S*/g,
];

/** Words that are names, not prose: tools, domains, dialects, message types (and those a caller adds). */
const NAMES = new Set<string>([
  ...['yrdx', 'npm', 'npx', 'curl', 'node', 'canonical', 'help', 'tsx'],
  ...DOMAINS,
  ...PROVINCES,
  ...MESSAGE_TYPES,
]);

/** More names that are not prose (the CLI's command words, the domains of the contracts folder). */
export function addNames(names: Iterable<string>): void {
  for (const name of names) NAMES.add(name);
}

/**
 * The first run of two or more English words outside the names, codes and values above, or undefined.
 * Option names, identifiers (with - _ . @ / : or digits), acronyms (JSON, JWKS) are not words of prose;
 * a Chinese character ends a word as a space does.
 */
export function englishProse(text: string): string | undefined {
  let stripped = text;
  for (const pattern of AS_WRITTEN) stripped = stripped.replace(pattern, ' ¦ ');
  stripped = stripped.replace(new RegExp(CJK.source, 'g'), ' ¦ ');
  let run: string[] = [];
  for (const token of stripped.split(/( +|\n)/)) {
    if (token === ' ') continue;
    const word = token.replace(/^["'([]+|["'),.;:!?\]]+$/g, '');
    const plain = /^[A-Za-z]+$/.test(word) && !/^[A-Z0-9]+$/.test(word) && !NAMES.has(word);
    if (plain) {
      run.push(word);
      if (run.length >= 2) return run.join(' ');
    } else if (token.trim() !== '' || token === '\n' || token.length > 1) run = [];
  }
  return undefined;
}

const cityNames = allCities().flatMap((c) => [c.name, c.name.replace(/市$/, '')]);

/**
 * Chinese in an English text (with some context), once the names of cities (data) and the name of
 * the language 简体中文 (a language switch names it in its own script) are taken out; else undefined.
 */
export function chineseIn(text: string): string | undefined {
  let rest = text.replaceAll('简体中文', '');
  for (const name of cityNames) rest = rest.replaceAll(name, '');
  const at = rest.search(CJK);
  return at < 0 ? undefined : rest.slice(Math.max(0, at - 20), at + 20);
}

export const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

export interface TextTable {
  readonly zh: Readonly<Record<string, string>>;
  readonly en: Readonly<Record<string, string>>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/**
 * Every exported table of texts under `root`: `export const TEXT` (the CLI's and the node's) and
 * `export const …_TEXT` (faults, the API docs page), as `[file export, table]`.
 */
export async function textTables(root = 'src'): Promise<[string, TextTable][]> {
  const tables: [string, TextTable][] = [];
  for (const file of sourceFiles(root)) {
    if (!/^export const (?:\w+_)?TEXT\b/m.test(readFileSync(file, 'utf8'))) continue;
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (name === 'TEXT' || name.endsWith('_TEXT')) tables.push([`${file} ${name}`, value as TextTable]);
  }
  return tables;
}

/** What is wrong with one pair of texts: placeholders that differ, English prose in the Chinese, Chinese in the English. */
export function pairFaults(where: string, zh: string, en: string): string[] {
  const out: string[] = [];
  if (placeholders(zh).join() !== placeholders(en).join()) out.push(`${where}: placeholders differ`);
  const prose = englishProse(zh);
  if (prose !== undefined) out.push(`${where}: English in the Chinese: ${prose}`);
  const chinese = chineseIn(en);
  if (chinese !== undefined) out.push(`${where}: Chinese in the English: ${chinese}`);
  return out;
}

/** Every fault of a table: keys that differ between the languages, and each pair's faults. */
export function tableFaults(name: string, table: TextTable): string[] {
  const keys = Object.keys(table.zh).sort();
  const out: string[] = [];
  if (keys.join() !== Object.keys(table.en).sort().join()) out.push(`${name}: keys differ`);
  for (const key of keys) out.push(...pairFaults(`${name}.${key}`, table.zh[key] ?? '', table.en[key] ?? ''));
  return out;
}
