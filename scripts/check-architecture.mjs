#!/usr/bin/env node
// The architecture rules of src/, checked from the code (npm test runs this):
//   1. No cycle between folders. A folder and its own subfolders count as one: src/exchange/deps.ts may
//      import src/exchange/inbound/ and back, but src/exchange/inbound/ and src/exchange/delivery/ may
//      not depend on each other (directly or through any other module, type imports included).
//   2. The runtime-neutral core imports no runtime folder (src/runtime/**) and no Node-only store.
//   3. `node:` modules and Node-only packages are imported only by Node-only code.
//   4. No file in src/ is over 400 lines, generated files aside.
// The module graph comes from dependency-cruiser (a maintained tool that resolves TypeScript imports,
// type-only ones included); the folder rule is computed here because dependency-cruiser's folder scope
// treats a folder and its subfolders as two.
//
//   node scripts/check-architecture.mjs            check, exit 1 on any violation
//   node scripts/check-architecture.mjs --json     the folder graph as JSON (docs/architecture.md's picture)
//   node scripts/check-architecture.mjs --dot      the folder graph as Graphviz dot
import { readFileSync } from 'node:fs';
import { cruise } from 'dependency-cruiser';

export const MAX_LINES = 400;

/** Code that runs on Node only: it may import `node:` modules and Node-only packages. */
export const NODE_ONLY = [
  /^src\/runtime\/(node|cli)(\/|\.ts$)/,
  /^src\/store\/(sqlite|postgres)\//,
];
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
    modules.map((m) => [m.source, m.dependencies.filter((d) => d.resolved.startsWith('src/')).map((d) => d.resolved)]),
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

export function oversized(modules) {
  const out = [];
  for (const m of modules) {
    if (GENERATED.some((re) => re.test(m.source))) continue;
    const lines = readFileSync(m.source, 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES) out.push(`${m.source}: ${lines} lines (at most ${MAX_LINES})`);
  }
  return out;
}

/** Folder → folder edges at the depth that shows the layers (src/<x>, and src/<x>/<y> below a parent). */
export function folderGraph(modules, depth = 3) {
  const edges = new Map();
  for (const m of modules) {
    const from = atDepth(folderOf(m.source), depth);
    for (const d of m.dependencies) {
      if (!d.resolved.startsWith('src/') || d.coreModule) continue;
      const to = atDepth(folderOf(d.resolved), depth);
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

async function main() {
  const modules = await graph();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(folderGraph(modules), null, 2)}\n`);
    return;
  }
  if (process.argv.includes('--dot')) {
    const lines = folderGraph(modules).map((e) => `  "${e.from.slice(4)}" -> "${e.to.slice(4)}";`);
    process.stdout.write(`digraph yrdx {\n  rankdir=TB;\n  node [shape=box, fontname="Noto Sans CJK SC"];\n${lines.sort().join('\n')}\n}\n`);
    return;
  }
  const problems = [
    ...folderCycles(modules).map(
      (c) => `folder cycle: ${c.folders.join(' ↔ ')}\n    ${c.example.join('\n    ')}`,
    ),
    ...ruleViolations(modules),
    ...oversized(modules),
  ];
  if (problems.length > 0) {
    process.stderr.write(`architecture: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`architecture: ${modules.length} modules, no folder cycle, core free of runtime and node: imports, no file over ${MAX_LINES} lines\n`);
}

await main();
