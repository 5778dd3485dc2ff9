#!/usr/bin/env node
// The architecture rules of src/, checked from the code (npm test runs this):
//   1. No cycle between folders. A folder and its own subfolders count as one: src/exchange/deps.ts may
//      import src/exchange/inbound/ and back, but src/exchange/inbound/ and src/exchange/delivery/ may
//      not depend on each other (directly or through any other module, type imports included).
//   2. The runtime-neutral core imports no runtime folder (src/runtime/**) and no Node-only store.
//   3. `node:` modules and Node-only packages are imported only by Node-only code.
//   4. No file in src/ is over 400 lines, generated files aside.
//   5. docs/architecture.dot is the folder graph of the code as it is.
// The module graph comes from dependency-cruiser (a maintained tool that resolves TypeScript imports,
// type-only ones included); the folder rule is computed here because dependency-cruiser's folder scope
// treats a folder and its subfolders as two.
//
//   node scripts/check-architecture.mjs            check, exit 1 on any violation
//   node scripts/check-architecture.mjs --json     the folder graph as JSON (docs/architecture.md's picture)
//   node scripts/check-architecture.mjs --dot      the folder graph as Graphviz dot (docs/architecture.dot)
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cruise } from 'dependency-cruiser';

export const MAX_LINES = 400;

/** Code that runs on Node only: it may import `node:` modules and Node-only packages. */
export const NODE_ONLY = [/^src\/runtime\/(node|cli)(\/|\.ts$)/, /^src\/store\/(sqlite|postgres)\//];
/** Packages that exist on Node only. */
const NODE_PACKAGES = ['better-sqlite3', 'pg', 'pino', 'undici', '@hono/node-server'];
/** Files written by a program (not held to the size rule). */
const GENERATED = [/\.cjs$/, /\/generated\//];

const isNodeOnly = (path) => NODE_ONLY.some((re) => re.test(path));

async function graph() {
  const result = await cruise(['src'], {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.cjs$' },
  });
  return result.output.modules.filter((m) => m.source.startsWith('src/'));
}

const folderOf = (path) => path.slice(0, path.lastIndexOf('/'));
const segments = (folder) => folder.split('/');

/** The folder at `depth` segments that holds `folder`, or `folder` itself when it is shallower. */
function atDepth(folder, depth) {
  const parts = segments(folder);
  return parts.length >= depth ? parts.slice(0, depth).join('/') : folder;
}
const isAncestor = (a, b) => a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);

/** Every module each module reaches through imports (type imports included). */
function reachability(modules) {
  const direct = new Map(
    modules.map((m) => [
      m.source,
      m.dependencies.filter((d) => d.resolved.startsWith('src/')).map((d) => d.resolved),
    ]),
  );
  const reach = new Map();
  for (const start of direct.keys()) {
    const seen = new Set();
    const queue = [start];
    while (queue.length > 0) {
      for (const next of direct.get(queue.pop()) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    reach.set(start, seen);
  }
  return reach;
}

/** One chain of imports from a module in folder `from` to one in folder `to` (at `depth`). */
function example(modules, depth, from, to) {
  const direct = new Map(modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]));
  const starts = modules.map((m) => m.source).filter((s) => atDepth(folderOf(s), depth) === from);
  const previous = new Map(starts.map((s) => [s, null]));
  const queue = [...starts];
  while (queue.length > 0) {
    const v = queue.shift();
    if (atDepth(folderOf(v), depth) === to) {
      const out = [];
      for (let p = v; p !== null; p = previous.get(p)) out.unshift(p.slice(4));
      return out.join(' → ');
    }
    for (const w of direct.get(v) ?? []) {
      if (!w.startsWith('src/') || previous.has(w)) continue;
      previous.set(w, v);
      queue.push(w);
    }
  }
  return '';
}

/**
 * Pairs of folders that depend on each other. At every depth, each module is folded into its folder at
 * that depth; two folders neither of which holds the other are in a cycle when a module of each
 * reaches (through any chain of imports) a module of the other.
 */
export function folderCycles(modules) {
  const reach = reachability(modules);
  const depthMax = Math.max(...modules.map((m) => segments(folderOf(m.source)).length));
  const found = new Map();
  for (let depth = 2; depth <= depthMax; depth++) {
    const depends = new Set();
    for (const [from, reached] of reach) {
      const a = atDepth(folderOf(from), depth);
      for (const to of reached) {
        const b = atDepth(folderOf(to), depth);
        if (!isAncestor(a, b)) depends.add(`${a} ${b}`);
      }
    }
    for (const pair of depends) {
      const [a, b] = pair.split(' ');
      if (a < b && depends.has(`${b} ${a}`) && !found.has(`${a} ${b}`)) {
        found.set(`${a} ${b}`, {
          folders: [a, b],
          example: [example(modules, depth, a, b), example(modules, depth, b, a)],
        });
      }
    }
  }
  return [...found.values()];
}

export function ruleViolations(modules) {
  const out = [];
  for (const m of modules) {
    const nodeOnly = isNodeOnly(m.source);
    for (const d of m.dependencies) {
      const name = d.module;
      if (!nodeOnly && (d.coreModule || name.startsWith('node:'))) {
        out.push(`${m.source}: imports ${name}, but only Node-only code may (${NODE_ONLY.join(', ')})`);
      }
      if (!nodeOnly && NODE_PACKAGES.some((p) => name === p || name.startsWith(`${p}/`))) {
        out.push(`${m.source}: imports the Node-only package ${name}`);
      }
      if (!nodeOnly && d.resolved.startsWith('src/') && isNodeOnly(d.resolved)) {
        out.push(`${m.source}: the runtime-neutral core imports Node-only ${d.resolved}`);
      }
      if (!m.source.startsWith('src/runtime/') && d.resolved.startsWith('src/runtime/')) {
        out.push(`${m.source}: the core imports the runtime folder (${d.resolved})`);
      }
    }
  }
  return out;
}

/** The core also may not reach Node through globals (what the compiler's core config does not see in .mjs). */
export function nodeGlobals(modules) {
  const out = [];
  for (const m of modules) {
    if (isNodeOnly(m.source)) continue;
    if (/\b(process\.env|Buffer\.)/.test(readFileSync(m.source, 'utf8'))) {
      out.push(`${m.source}: uses process.env or Buffer, but only Node-only code may`);
    }
  }
  return out;
}

export function oversized(modules) {
  const out = [];
  for (const m of modules) {
    if (GENERATED.some((re) => re.test(m.source))) continue;
    const lines = readFileSync(m.source, 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES) out.push(`${m.source}: ${lines} lines (at most ${MAX_LINES})`);
  }
  return out;
}

/** The folder a module is drawn in: src/<x>, and src/exchange/<stage> for the pipeline's stages. */
function drawnFolder(path) {
  const folder = folderOf(path);
  return atDepth(folder, folder.startsWith('src/exchange/') ? 3 : 2);
}

/** Folder → folder edges between drawn folders (a folder's edges to its own parent left out). */
export function folderGraph(modules) {
  const edges = new Map();
  for (const m of modules) {
    const from = drawnFolder(m.source);
    for (const d of m.dependencies) {
      if (!d.resolved.startsWith('src/') || d.coreModule) continue;
      const to = drawnFolder(d.resolved);
      if (to === from || isAncestor(from, to)) continue;
      const key = `${from} ${to}`;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  return [...edges].map(([key, imports]) => {
    const [from, to] = key.split(' ');
    return { from, to, imports };
  });
}

/** Graphviz dot of the folder graph; `tred` (Graphviz) then drops the edges implied by others. */
export function folderDot(modules) {
  const name = (folder) => (folder === 'src' ? 'src (app.ts)' : folder.slice(4));
  const edges = folderGraph(modules).map((e) => `  "${name(e.from)}" -> "${name(e.to)}";`);
  const stages = [...new Set(modules.map((m) => drawnFolder(m.source)))]
    .filter((f) => f.startsWith('src/exchange'))
    .map((f) => `    "${name(f)}";`);
  return [
    'digraph yrdx {',
    '  rankdir=TB; nodesep=0.25; ranksep=0.45;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Noto Sans CJK SC", fontsize=11];',
    '  edge [color="#7a869a", arrowsize=0.6];',
    '  subgraph cluster_exchange {',
    '    label="exchange/"; style=dashed; color="#7a869a"; fontname="Noto Sans CJK SC";',
    ...stages.sort(),
    '  }',
    ...edges.sort(),
    '}',
    '',
  ].join('\n');
}

const PICTURE = 'docs/architecture.dot';

/** docs/architecture.dot is the folder graph of today's code (npm run docs:architecture redraws it). */
function pictureCurrent(modules) {
  let committed = '';
  try {
    committed = readFileSync(PICTURE, 'utf8');
  } catch {
    // missing: reported below
  }
  return committed === folderDot(modules)
    ? []
    : [`${PICTURE} does not show today's folders: run npm run docs:architecture and commit the result`];
}

async function main() {
  const modules = await graph();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(folderGraph(modules), null, 2)}\n`);
    return;
  }
  if (process.argv.includes('--dot')) {
    process.stdout.write(folderDot(modules));
    return;
  }
  const problems = [
    ...folderCycles(modules).map(
      (c) => `folder cycle: ${c.folders.join(' ↔ ')}\n    ${c.example.join('\n    ')}`,
    ),
    ...ruleViolations(modules),
    ...nodeGlobals(modules),
    ...pictureCurrent(modules),
    ...oversized(modules),
  ];
  if (problems.length > 0) {
    process.stderr.write(
      `architecture: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `architecture: ${modules.length} modules, no folder cycle, core free of runtime and node: imports, no file over ${MAX_LINES} lines\n`,
  );
}

// Run as a program, not when a test imports the rules.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
