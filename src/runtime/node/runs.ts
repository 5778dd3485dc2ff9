import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { RunFactory } from '../../contracts/compile/bind.js';
import type { Contract } from '../../contracts/contract.js';
import type { KnownRuns } from '../../contracts/known-runs.js';
import { runsModule } from '../../contracts/plan-source.js';

/** The file of a contract's ahead-of-time translation code in `<contracts>/build/`. */
export const runsFileName = (id: string) => `${id}.runs.cjs`;

export interface AheadOfTimeRuns {
  /** For `loadContracts({ runs })`. */
  readonly runs: (contract: Contract) => Readonly<Record<string, RunFactory>> | undefined;
  /** Contracts whose file is missing or is not what their mappings produce: they run in the engine. */
  readonly notCurrent: string[];
}

/**
 * The ahead-of-time translation code `yrdx contracts build` wrote under `<root>/build/`, remembered
 * in `known` (when given) for contracts compiled later. A file is
 * loaded only when its text is exactly what the loaded mappings produce (`runsModule`): an older
 * file, or one edited by hand, is never run — the contract then runs in the engine, which translates
 * the same, only slower. (`require` reads the file again after the comparison: the contracts folder
 * must be writable by administrators only, like the installation.)
 */
export function aheadOfTimeRuns(root: string, known?: KnownRuns): AheadOfTimeRuns {
  const notCurrent: string[] = [];
  const build = join(resolve(root), 'build');
  const load = createRequire(join(build, 'index.cjs'));
  return {
    notCurrent,
    runs(contract) {
      const path = join(build, runsFileName(contract.id));
      const text = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      if (text !== runsModule(contract.id, contract.plans)) {
        notCurrent.push(contract.id);
        return undefined;
      }
      // The text was just compared; a module cached from an earlier, different text is not reused.
      delete load.cache[load.resolve(path)];
      const factories = load(path) as Readonly<Record<string, RunFactory>>;
      known?.learn(contract, factories);
      return factories;
    },
  };
}
