import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminStateStore, ContractStatus } from '../../admin/state.js';
import { configFault } from '../../config/fault-text.js';
import type { PartnerConfig } from '../../config/types.js';
import type { ContractFiles } from '../../contracts/files.js';
import { YrdxError } from '../../errors/errors.js';
import { writeContractVersion } from './contract-version-write.js';
import { readContractVersions } from './contracts-dir.js';
import { writeFileAtomic } from './key-sources.js';

/**
 * What the admin API changes, kept in the data directory on Node:
 * - `contracts/<domain>/<version>/…`: uploaded versions, in the layout of the contracts folder,
 *   written once (published versions are immutable), whole or not at all
 *   (`writeContractVersion`);
 * - `admin/contracts.json`: the status of versions (`staged`, `active`, `deprecated`);
 * - `admin/partners.json`: partners added or changed at run time, which take precedence over the
 *   configuration file's entry of the same id.
 */
export interface NodeAdminState extends AdminStateStore {
  readonly contractsDir: string;
  loadContractStatuses(): Record<string, ContractStatus>;
  loadUploadedContracts(): ContractFiles[];
  loadPartners(): PartnerConfig[];
}

export function nodeAdminState(dataDir: string): NodeAdminState {
  const contractsDir = join(dataDir, 'contracts');
  const statusFile = join(dataDir, 'admin', 'contracts.json');
  const partnersFile = join(dataDir, 'admin', 'partners.json');
  const write = (path: string, value: unknown) =>
    writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, 0o600);
  const read = <T>(path: string, fallback: T): T => {
    if (!existsSync(path)) return fallback;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (cause) {
      throw new YrdxError('config_invalid', {
        params: { file: path, count: 1 },
        errors: [
          {
            file: path,
            pointer: '',
            detail: configFault('adminState'),
          },
        ],
        cause,
      });
    }
  };
  return {
    contractsDir,
    async saveContractVersion(domain, version, files) {
      writeContractVersion(contractsDir, domain, version, files);
    },
    async saveContractStatuses(statuses) {
      write(statusFile, statuses);
    },
    async savePartners(partners) {
      write(partnersFile, { partners });
    },
    loadContractStatuses: () => read<Record<string, ContractStatus>>(statusFile, {}),
    loadUploadedContracts: () => (existsSync(contractsDir) ? readContractVersions(contractsDir) : []),
    loadPartners: () => read<{ partners: PartnerConfig[] }>(partnersFile, { partners: [] }).partners,
  };
}
