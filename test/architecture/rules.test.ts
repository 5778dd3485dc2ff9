import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { folderCycles, nodeGlobals, ruleViolations } from '../../scripts/check-architecture.mjs';

/** A module as dependency-cruiser describes it, reduced to what the rules read. */
const mod = (source: string, ...deps: string[]) => ({
  source,
  dependencies: deps.map((d) =>
    d.startsWith('node:') || !d.includes('/')
      ? { module: d, resolved: d, coreModule: d.startsWith('node:') }
      : { module: d, resolved: d, coreModule: false },
  ),
});

describe('architecture rules (scripts/check-architecture.mjs), each tried against a graph that breaks it', () => {
  it('finds two folders that import each other, directly or through a third', () => {
    const direct = folderCycles([
      mod('src/a/x.ts', 'src/b/y.ts'),
      mod('src/b/y.ts', 'src/a/z.ts'),
      mod('src/a/z.ts'),
    ]);
    expect(direct.map((c: { folders: string[] }) => c.folders)).toEqual([['src/a', 'src/b']]);
    const throughThird = folderCycles([
      mod('src/a/x.ts', 'src/c/y.ts'),
      mod('src/c/y.ts', 'src/b/y.ts'),
      mod('src/b/y.ts', 'src/a/z.ts'),
      mod('src/a/z.ts'),
    ]);
    expect(throughThird.length).toBeGreaterThan(0);
  });

  it('lets a folder and its own subfolders import each other', () => {
    expect(
      folderCycles([
        mod('src/exchange/deps.ts'),
        mod('src/exchange/scheduler.ts', 'src/exchange/delivery/worker.ts'),
        mod('src/exchange/delivery/worker.ts', 'src/exchange/deps.ts'),
      ]),
    ).toEqual([]);
  });

  it('finds sibling subfolders that depend on each other through their parent', () => {
    const cycles = folderCycles([
      mod('src/exchange/local/push.ts', 'src/exchange/hub.ts'),
      mod('src/exchange/hub.ts', 'src/exchange/delivery/worker.ts'),
      mod('src/exchange/delivery/worker.ts', 'src/exchange/local/backoff.ts'),
      mod('src/exchange/local/backoff.ts'),
    ]);
    expect(cycles.map((c: { folders: string[] }) => c.folders)).toContainEqual([
      'src/exchange/delivery',
      'src/exchange/local',
    ]);
  });

  it('does not call a parent importing two children that share nothing a cycle', () => {
    expect(
      folderCycles([
        mod('src/contracts/compile.ts', 'src/contracts/conversions/date.ts', 'src/contracts/patterns/re2.ts'),
        mod('src/contracts/conversions/date.ts', 'src/contracts/pointer.ts'),
        mod('src/contracts/patterns/re2.ts', 'src/contracts/pointer.ts'),
        mod('src/contracts/pointer.ts'),
      ]),
    ).toEqual([]);
  });

  it('refuses node: imports, Node-only packages and Node-only modules in the core', () => {
    const found = ruleViolations([
      mod('src/exchange/x.ts', 'node:fs', 'better-sqlite3', 'src/store/sqlite/store.ts'),
      mod('src/store/sqlite/store.ts', 'node:fs', 'better-sqlite3'),
      mod('src/runtime/node/boot.ts', 'node:fs', 'src/exchange/x.ts'),
    ]);
    expect(found).toHaveLength(3);
    expect(found.every((f: string) => f.startsWith('src/exchange/x.ts'))).toBe(true);
  });

  it('refuses the core importing the runtime folder', () => {
    expect(ruleViolations([mod('src/app.ts', 'src/runtime/worker/env.ts')])).toHaveLength(1);
  });

  it('refuses process.env and Buffer in the core (read from the file)', () => {
    expect(nodeGlobals([mod('src/http/env.ts')])).toEqual([]);
    expect(nodeGlobals([mod('test/architecture/fixtures/uses-buffer.ts')])).toHaveLength(1);
  });
});
