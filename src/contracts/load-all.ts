import { YrdxError } from '../errors/errors.js';
import { checkContract } from './checks.js';
import { bindRuns, type RunFactory } from './compile/bind.js';
import { type Contract, loadContract, type ValidatorProvider } from './contract.js';
import type { ContractFault } from './faults.js';
import type { ContractFiles } from './files.js';
import { planKey } from './plan-source.js';
import { ContractRegistry } from './registry.js';
import type { CoreSchemas } from './schema-walk.js';

export interface LoadedContracts {
  readonly registry: ContractRegistry;
  /** Faults by contract base folder; a contract with faults is not in the registry. */
  readonly faults: ReadonlyMap<string, readonly ContractFault[]>;
}

/**
 * Compiles and checks every contract. A contract that fails any check stays out of the registry,
 * so that a node never translates with a mapping it could not prove.
 */
export function loadContracts(
  core: CoreSchemas,
  all: readonly ContractFiles[],
  validators: ValidatorProvider,
  options: {
    readonly check?: boolean;
    /**
     * The ahead-of-time code of a contract's plans (`yrdx contracts build`), by plan key, or
     * undefined to run them in the engine. Bound before the checks, so the checks run that code.
     */
    readonly runs?: (contract: Contract) => Readonly<Record<string, RunFactory>> | undefined;
    readonly progress?: (done: number, total: number, base: string) => void;
  } = {},
): LoadedContracts {
  const registry = new ContractRegistry();
  const faults = new Map<string, ContractFault[]>();
  all.forEach((files, i) => {
    options.progress?.(i, all.length, files.base);
    const loaded = loadContract(files, core, validators);
    if (Array.isArray(loaded)) {
      faults.set(files.base, loaded);
      return;
    }
    const runs = options.runs?.(loaded);
    if (runs !== undefined) bindRuns(loaded.plans, runs, planKey);
    const found = options.check === false ? [] : checkContract(loaded);
    if (found.length > 0) {
      faults.set(files.base, found);
      return;
    }
    registerOrFault(registry, loaded, faults, files.base);
  });
  options.progress?.(all.length, all.length, '');
  return { registry, faults };
}

function registerOrFault(
  registry: ContractRegistry,
  contract: Contract,
  faults: Map<string, ContractFault[]>,
  base: string,
): void {
  try {
    registry.add(contract);
  } catch (error) {
    if (!(error instanceof YrdxError)) throw error;
    const summary = {
      file: 'contract.json',
      pointer: '/version',
      detail: `${error.code}: ${error.detail('zh')}`,
    };
    const changes = error.errors.map((e) => ({
      file: e.file ?? 'contract.json',
      pointer: e.pointer,
      detail: `${e.detail.en} [${e.rule ?? error.code}]`,
    }));
    faults.set(base, [summary, ...changes]);
  }
}
