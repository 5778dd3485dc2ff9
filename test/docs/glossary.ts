import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** docs/glossary.md read as data, for the tests that hold texts to it. */

export interface Term {
  readonly zh: string;
  readonly en: string;
  readonly never: readonly string[];
}

/** The glossary table's rows: `| 简体中文 | English | code | 释义 | Definition | 不用 |`. */
export function parseGlossary(markdown: string): Term[] {
  const rows = markdown.split('\n').filter((line) => line.startsWith('| '));
  const [header, ...body] = rows; // the separator row starts with "|---", not "| "
  expect(header?.split('|').map((c) => c.trim())).toEqual([
    '',
    '简体中文',
    'English',
    'code',
    '释义',
    'Definition',
    '不用',
    '',
  ]);
  return body.map((row) => {
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    expect(cells, row).toHaveLength(6);
    const [zh = '', en = '', , , , never = ''] = cells;
    return {
      zh,
      en,
      never: never
        .split(/[、,，]/)
        .map((w) => w.trim())
        .filter(Boolean),
    };
  });
}

export const GLOSSARY = parseGlossary(readFileSync('docs/glossary.md', 'utf8'));

/** Every word the glossary forbids in a Chinese text, with the term to use instead. */
export const FORBIDDEN = GLOSSARY.flatMap((t) => t.never.map((word) => ({ word, use: t.zh })));

/** The headings of a Markdown text, outside fenced code. */
export function headings(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && /^#{1,6} /.test(line);
  });
}
