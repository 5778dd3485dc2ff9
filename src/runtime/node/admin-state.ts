import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminStateStore, ContractStatus } from '../../admin/state.js';
import type { PartnerConfig } from '../../config/types.js';
import type { ContractFiles } from '../../contracts/files.js';
import { YrdxError } from '../../errors.js';
import { readContractVersions } from './contracts-dir.js';
import { writeFileAtomic } from './key-sources.js';

/**
 * What the admin API changes, kept in the data directory on Node:
 * - `contracts/<domain>/<version>/…`: uploaded versions, in the layout of the contracts folder,
 *   written once (published versions are immutable);
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
            detail: 'expected the JSON that yrdx wrote here; restore it or remove it',
          },
        ],
        cause,
      });
    }
  };
  return {
    contractsDir,
    async saveContractVersion(domain, version, files) {
      const base = join(contractsDir, domain, version);
      if (existsSync(join(base, 'contract.json'))) {
        throw new YrdxError('contract_version_exists', { params: { contract: `${domain}@${version}` } });
      }
      for (const [name, dialect] of Object.entries(files.dialects)) {
        const dir = join(base, 'dialects', name);
        write(join(dir, 'schema.json'), dialect.schema);
        write(join(dir, 'mapping.json'), dialect.mapping);
        for (const [type, example] of Object.entries(dialect.examples)) {
          write(join(dir, 'examples', `${type}.json`), example);
        }
      }
      write(join(base, 'canonical.schema.json'), files.canonical);
      // Written last: a version counts as published once its contract.json exists.
      write(join(base, 'contract.json'), files.contract);
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
