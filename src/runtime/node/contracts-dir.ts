import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ContractFiles } from '../../contracts/files.js';
import type { SchemaNode } from '../../contracts/schema-walk.js';
import { YrdxError } from '../../errors.js';

/** The contracts folder as data: the case core and every `<domain>/<version>/` found. */
export interface ContractsDir {
  readonly root: string;
  readonly core: SchemaNode;
  readonly contracts: readonly ContractFiles[];
}

function readJson(path: string, root: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new YrdxError('contract_invalid', {
      params: { contract: relative(root, path), count: 1 },
      errors: [
        {
          file: relative(root, path),
          pointer: '',
          detail: `expected a readable JSON file (${(cause as Error).message})`,
        },
      ],
      cause,
    });
  }
}

const dirs = (path: string) =>
  existsSync(path)
    ? readdirSync(path)
        .filter((n) => statSync(join(path, n)).isDirectory())
        .sort()
    : [];

/** Reads `contracts/` (or another folder of the same layout). */
export function readContractsDir(root: string, only?: { domain?: string }): ContractsDir {
  const core = readJson(join(root, 'core', 'case.schema.json'), root) as SchemaNode;
  return { root, core, contracts: readContractVersions(root, only) };
}

/** Every `<domain>/<version>/` under `root` (a folder of the contracts layout, with or without `core/`). */
export function readContractVersions(root: string, only?: { domain?: string }): ContractFiles[] {
  const contracts: ContractFiles[] = [];
  for (const domain of dirs(root)) {
    if (domain === 'core' || domain === 'reference' || domain === 'build') continue;
    if (only?.domain !== undefined && only.domain !== domain) continue;
    for (const version of dirs(join(root, domain))) {
      const base = join(root, domain, version);
      if (!existsSync(join(base, 'contract.json'))) continue;
      const dialects: Record<string, ContractFiles['dialects'][string]> = {};
      for (const name of dirs(join(base, 'dialects'))) {
        const dir = join(base, 'dialects', name);
        const examples: Record<string, unknown> = {};
        const exampleDir = join(dir, 'examples');
        if (existsSync(exampleDir)) {
          for (const file of readdirSync(exampleDir)
            .filter((f) => f.endsWith('.json'))
            .sort()) {
            examples[file.slice(0, -5)] = readJson(join(exampleDir, file), root);
          }
        }
        dialects[name] = {
          schema: readJson(join(dir, 'schema.json'), root),
          mapping: readJson(join(dir, 'mapping.json'), root),
          examples,
        };
      }
      contracts.push({
        base: relative(process.cwd(), base) || base,
        contract: readJson(join(base, 'contract.json'), root),
        canonical: readJson(join(base, 'canonical.schema.json'), root),
        dialects,
      });
    }
  }
  return contracts;
}
