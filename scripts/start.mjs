// `npm start`: runs the node from dist/ in this very process, without building. `npm install` builds
// dist/ (the "prepare" script) and `npm run build` rebuilds it after a change; a start never builds,
// so two nodes started together never write into the same dist/ at once. When a source is newer than
// its compiled file, the start stops with one line saying to run `npm run build`.
//
// npm does not pass SIGTERM on to the script it runs: the node stops by itself when its parent goes
// away (YRDX_STOP_WITH_PARENT), and SIGINT/SIGTERM sent to this process reach the node directly, as
// it runs here rather than in a child.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const english = (process.env.YRDX_LANG ?? '').toLowerCase().startsWith('en');

export const TEXT = {
  zh: {
    missing: 'yrdx: dist/ 中没有编译结果（{file}）；请先运行 npm run build',
    stale: 'yrdx: {source} 比编译结果 {built} 新；请先运行 npm run build（npm start 不再自动编译）',
  },
  en: {
    missing: 'yrdx: dist/ holds no build ({file}); run npm run build first',
    stale:
      'yrdx: {source} is newer than its build {built}; run npm run build first (npm start no longer builds)',
  },
};

function say(key, params) {
  const text = TEXT[english ? 'en' : 'zh'][key];
  return text.replace(/\{(\w+)\}/g, (whole, name) => params[name] ?? whole);
}

/** Every file under `dir` whose name ends with `suffix`. */
function* files(dir, suffix) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path, suffix);
    else if (entry.name.endsWith(suffix)) yield path;
  }
}

/** The first source newer than its compiled file (tsc rewrites every output on each build). */
function staleSource() {
  const pairs = [
    ...[...files(join(root, 'src'), '.ts')].map((s) => [
      s,
      join(root, 'dist', relative(root, s)).replace(/\.ts$/, '.js'),
    ]),
    ...[...files(join(root, 'contracts'), '.json')].map((s) => [s, join(root, 'dist', relative(root, s))]),
  ];
  for (const [source, built] of pairs) {
    if (source.endsWith('.d.ts')) continue;
    if (!existsSync(built) || statSync(source).mtimeMs > statSync(built).mtimeMs)
      return { source: relative(root, source), built: relative(root, built) };
  }
  return undefined;
}

const entry = join(root, 'dist', 'src', 'runtime', 'node.js');
if (!existsSync(entry)) {
  process.stderr.write(`${say('missing', { file: relative(root, entry) })}\n`);
  process.exit(1);
}
const stale = staleSource();
if (stale !== undefined) {
  process.stderr.write(`${say('stale', stale)}\n`);
  process.exit(1);
}
process.env.YRDX_STOP_WITH_PARENT ??= '1';
await import(entry);
