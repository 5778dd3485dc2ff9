import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every `npm run X` the README and the docs tell an operator to type is a script of package.json. */
const scripts = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts,
);
const docs = [
  'README.md',
  'README.en.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('npm scripts named in the docs', () => {
  it.each(docs)('%s names only scripts that exist', (file) => {
    const named = [...readFileSync(file, 'utf8').matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(named.filter((name) => !scripts.includes(name ?? ''))).toEqual([]);
  });

  it('docs/workers.md and its twin give the deploy steps in order', () => {
    for (const file of ['docs/workers.md', 'docs/workers.zh-CN.md']) {
      const text = readFileSync(file, 'utf8');
      const steps = [
        'npx wrangler login',
        'npx yrdx config check --config config/worker.json',
        'npx wrangler d1 create yrdx',
        'npx wrangler d1 migrations apply DB --remote',
        'npx wrangler secret put YRDX_KEYS',
        'npm run build:worker',
        'npx wrangler deploy',
      ].map((step) => text.indexOf(step));
      expect(
        steps.every((at) => at >= 0),
        file,
      ).toBe(true);
      expect(
        [...steps].sort((a, b) => a - b),
        file,
      ).toEqual(steps);
      expect(text, file).toContain('dist-worker/');
    }
  });
});
