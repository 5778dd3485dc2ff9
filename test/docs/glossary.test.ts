import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN, GLOSSARY, headings } from './glossary.js';

/**
 * docs/glossary.md is the one list of terms. Every Chinese text a person reads — the Chinese docs,
 * the console's dictionary, the problem catalogue's zh texts and the zh half of every CLI/node `TEXT`
 * table — must not use a word the glossary's last column forbids; and every doc has its twin in the
 * other language with as many headings (a cheap check that one was not changed without the other).
 */

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly word: string;
  readonly use: string;
}

/**
 * Forbidden words still present today in files other helpers of issue 18 own, each naming that file's
 * owner. The owners' fixes empty this list; an entry that no longer occurs fails the test, so the list
 * cannot outlive the words it excuses.
 */
const ALLOWED_FOR_NOW: readonly { readonly file: string; readonly word: string; readonly owner: string }[] =
  [];

function scanLines(file: string, text: string): Finding[] {
  return text.split('\n').flatMap((line, i) =>
    FORBIDDEN.filter(({ word }) => line.includes(word)).map(({ word, use }) => ({
      file,
      line: i + 1,
      word,
      use,
    })),
  );
}

/** The line of `source` where a forbidden word of the string `text` is written. */
function lineOf(source: string, text: string, word: string): number {
  const lines = source.split('\n');
  const quoted = (line: string) => line.match(/'([^']*)'|`([^`]*)`|"([^"]*)"/g) ?? [];
  const exact = lines.findIndex(
    (line) => line.includes(word) && quoted(line).some((q) => q.length > 2 && text.includes(q.slice(1, -1))),
  );
  return (exact >= 0 ? exact : lines.findIndex((line) => line.includes(word))) + 1;
}

function scanStrings(file: string, strings: readonly string[]): Finding[] {
  const source = readFileSync(file, 'utf8');
  return strings.flatMap((text) =>
    FORBIDDEN.filter(({ word }) => text.includes(word)).map(({ word, use }) => ({
      file,
      line: lineOf(source, text, word),
      word,
      use,
    })),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const zhDocs = () => [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.zh-CN.md'))
    .map((f) => `docs/${f}`),
];

/** Files read line by line: every Chinese text in them is read by people (comments included). */
const zhSources = () => [
  'src/console/i18n/zh-CN.ts',
  ...readdirSync('src/errors/problems').map((f) => `src/errors/problems/${f}`),
];

async function findings(): Promise<Finding[]> {
  const found: Finding[] = [];
  // The glossary's Chinese page names the forbidden words themselves, in its last column.
  for (const file of [...zhDocs().filter((f) => f !== 'docs/glossary.zh-CN.md'), ...zhSources()])
    found.push(...scanLines(file, readFileSync(file, 'utf8')));
  for (const file of filesUnder('src/runtime')) {
    if (!/export const TEXT\b/.test(readFileSync(file, 'utf8'))) continue;
    const { TEXT } = (await import(pathToFileURL(resolve(file)).href)) as {
      TEXT: { zh: Record<string, string> };
    };
    found.push(...scanStrings(file, Object.values(TEXT.zh)));
  }
  return found;
}

describe('the glossary', () => {
  it('has a row per term, each with both languages and the words never to use', () => {
    expect(GLOSSARY.length).toBeGreaterThanOrEqual(40);
    for (const term of GLOSSARY) {
      expect(term.zh, JSON.stringify(term)).toMatch(/\p{Script=Han}/u);
      expect(term.en, JSON.stringify(term)).not.toMatch(/\p{Script=Han}/u);
    }
    expect(FORBIDDEN.map((f) => f.word)).toEqual(
      expect.arrayContaining(['合作方', '统一模型', '合同', '消息', '业务域', '线程']),
    );
  });

  it('is followed by every Chinese text: no word the glossary forbids', async () => {
    const all = await findings();
    const excused = (f: Finding) => ALLOWED_FOR_NOW.some((a) => a.file === f.file && a.word === f.word);
    const report = all
      .filter((f) => !excused(f))
      .map((f) => `${f.file}:${f.line}: “${f.word}” — the glossary says “${f.use}”`);
    expect(report).toEqual([]);
    const stale = ALLOWED_FOR_NOW.filter((a) => !all.some((f) => f.file === a.file && f.word === a.word));
    expect(stale, 'entries of ALLOWED_FOR_NOW that no longer occur: remove them').toEqual([]);
  });

  it('is one table: the Chinese page holds exactly the table of the English page', () => {
    const table = (file: string) => {
      const text = readFileSync(file, 'utf8');
      return text.slice(text.indexOf('| 简体中文 | English |'));
    };
    expect(table('docs/glossary.zh-CN.md')).toBe(table('docs/glossary.md'));
  });

  it('is linked from both READMEs', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('(docs/glossary.md)');
    expect(readFileSync('README.en.md', 'utf8')).toContain('(docs/glossary.md)');
  });
});

describe('each doc and its twin', () => {
  const english = [
    'README.en.md',
    ...readdirSync('docs')
      .filter((f) => f.endsWith('.md') && !f.endsWith('.zh-CN.md'))
      .map((f) => `docs/${f}`),
  ];
  const chinese = zhDocs();
  // The READMEs: README.md is Chinese (the first a visitor sees), README.en.md its English twin.
  const twinOf = (file: string) =>
    file === 'README.md'
      ? 'README.en.md'
      : file === 'README.en.md'
        ? 'README.md'
        : file.endsWith('.zh-CN.md')
          ? file.replace(/\.zh-CN\.md$/, '.md')
          : file.replace(/\.md$/, '.zh-CN.md');

  it('exists in the other language', () => {
    expect(english.map(twinOf).filter((f) => !chinese.includes(f))).toEqual([]);
    expect(chinese.map(twinOf).filter((f) => !english.includes(f))).toEqual([]);
  });

  it.each(english)('%s has as many headings of each level as its Chinese twin', (file) => {
    const levels = (f: string) => headings(readFileSync(f, 'utf8')).map((h) => h.indexOf(' '));
    expect(levels(twinOf(file)), `${relative('.', twinOf(file))} against ${file}`).toEqual(levels(file));
  });
});
