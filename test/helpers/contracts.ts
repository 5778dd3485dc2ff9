import type { Contract } from '../../src/contracts/contract.js';
import { loadContract } from '../../src/contracts/contract.js';
import type { ContractFault } from '../../src/contracts/faults.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { loadContracts } from '../../src/contracts/load-all.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { type ContractsDir, readContractsDir } from '../../src/runtime/node/contracts-dir.js';

export const FIXTURE_DIR = 'test/fixtures/contracts';

export function fixture(): ContractsDir {
  return readContractsDir(FIXTURE_DIR);
}

/** A deep copy of a contract's files, for tests that break them. */
export function copyFiles(files: ContractFiles): ContractFiles {
  return JSON.parse(JSON.stringify(files)) as ContractFiles;
}

export function compileFiles(dir: ContractsDir, files: ContractFiles): Contract | ContractFault[] {
  return loadContract(files, dir.core, (_k, schemas) => compileValidators(dir.core, schemas));
}

export function loadAll(dir: ContractsDir) {
  return loadContracts(dir.core, dir.contracts, (_k, schemas) => compileValidators(dir.core, schemas));
}
