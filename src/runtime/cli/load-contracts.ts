import { loadContracts } from '../../contracts/load-all.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { readContractsDir } from '../node/contracts-dir.js';
import { aheadOfTimeRuns } from '../node/runs.js';
import type { Io } from './output.js';

/**
 * The contracts of a folder (one domain, or all), compiled with their ahead-of-time code as a node
 * runs them; every fault of a contract that does not load is printed to stderr with its file and pointer.
 */
export function loadOrFail(dirPath: string, io: Io, domain?: string) {
  const dir = readContractsDir(dirPath, domain === undefined ? {} : { domain });
  const loaded = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    { runs: aheadOfTimeRuns(dirPath).runs },
  );
  for (const [base, list] of loaded.faults) {
    for (const f of list) io.err(`${base}/${f.file}#${f.pointer}: ${f.detail}\n`);
  }
  return { dir, ...loaded };
}
