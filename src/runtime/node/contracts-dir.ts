import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { admitContractFiles } from '../../contracts/admit.js';
import { authoringText } from '../../contracts/fault-text.js';
import type { ContractFault } from '../../contracts/faults.js';
import type { ContractFiles } from '../../contracts/files.js';
import { CONTRACT_LIMITS } from '../../contracts/limits.js';
import {
  isContractDomain,
  isContractVersion,
  isDialectName,
  isExampleName,
  NAME_RULES,
} from '../../contracts/names.js';
import type { CoreSchemas, SchemaNode } from '../../contracts/schema-walk.js';
import { YrdxError } from '../../errors/errors.js';

/** The contracts folder as data: the case cores and every `<domain>/<version>/` found. */
export interface ContractsDir {
  readonly root: string;
  readonly core: CoreSchemas;
  readonly contracts: readonly ContractFiles[];
}

/** Folders of the contracts layout that hold no version. */
const NOT_DOMAINS = new Set(['core', 'reference', 'build']);

/** Faults found while reading, by the path of the file or folder (relative to the working directory). */
type Faults = { file: string; pointer: string; detail: string; rule?: string }[];

/** A JSON file no larger than the bound, parsed; else a fault and undefined. */
function readJson(path: string, faults: Faults): unknown {
  const file = relative(process.cwd(), path) || path;
  try {
    const size = statSync(path).size;
    if (size > CONTRACT_LIMITS.maxFileBytes) {
      faults.push({
        file,
        pointer: '',
        rule: 'size',
        detail: `larger than ${CONTRACT_LIMITS.maxFileBytes} bytes (${size}); not read`,
      });
      return undefined;
    }
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    faults.push({
      file,
      pointer: '',
      detail: `expected a readable JSON file (${(cause as Error).message})`,
    });
    return undefined;
  }
}

const dirs = (path: string) =>
  existsSync(path)
    ? readdirSync(path)
        // A name that starts with "." is hidden, or a version being written (`writeContractVersion`).
        .filter((n) => !n.startsWith('.') && statSync(join(path, n)).isDirectory())
        .sort()
    : [];

function refuse(root: string, faults: Faults): YrdxError {
  return new YrdxError('contract_invalid', {
    params: { contract: root, count: faults.length },
    errors: faults.map((f) => ({ ...f, detail: authoringText(f.detail) })),
  });
}

/** Reads `contracts/` (or another folder of the same layout). */
export function readContractsDir(root: string, only?: { domain?: string }): ContractsDir {
  const faults: Faults = [];
  const core = readCores(root, faults);
  if (faults.length > 0) throw refuse(root, faults);
  return { root, core, contracts: readContractVersions(root, only) };
}

/**
 * Every `core/*.schema.json`: `case.schema.json` (`urn:yrdx:contracts:core`), which must be there, and
 * the later generations beside it (`case-2.schema.json`, `urn:yrdx:contracts:core:2`), each with its own `$id`.
 */
export function readCores(root: string, faults: Faults = []): CoreSchemas {
  const dir = join(root, 'core');
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n.endsWith('.schema.json'))
        .sort()
    : [];
  if (!names.includes('case.schema.json'))
    faults.push({
      file: relative(process.cwd(), dir) || dir,
      pointer: '',
      detail: 'expected core/case.schema.json',
    });
  const cores = names.map((n) => readJson(join(dir, n), faults) as SchemaNode);
  const ids = cores.map((c) => c?.$id);
  names.forEach((n, i) => {
    if (typeof ids[i] !== 'string' || ids.indexOf(ids[i]) !== i)
      faults.push({
        file: join(relative(process.cwd(), dir) || dir, n),
        pointer: '/$id',
        detail: 'expected an $id of its own',
      });
  });
  if (faults.length > 0) throw refuse(root, faults);
  return cores;
}

/**
 * Every `<domain>/<version>/` under `root` (a folder of the contracts layout, with or without
 * `core/`). Folder and file names must be the names they stand for (`contracts/names.ts`), each file
 * within the size bound before it is read, and each version must pass `admitContractFiles` — the
 * same gate as an upload. Any fault refuses the whole folder (`contract_invalid`, every fault listed).
 */
export function readContractVersions(root: string, only?: { domain?: string }): ContractFiles[] {
  const contracts: ContractFiles[] = [];
  const faults: Faults = [];
  const at = (path: string) => relative(process.cwd(), path) || path;
  for (const domain of dirs(root)) {
    if (NOT_DOMAINS.has(domain)) continue;
    if (only?.domain !== undefined && only.domain !== domain) continue;
    if (!isContractDomain(domain)) {
      faults.push({ file: at(join(root, domain)), pointer: '', rule: 'name', detail: NAME_RULES.domain });
      continue;
    }
    for (const version of dirs(join(root, domain))) {
      const base = join(root, domain, version);
      if (!existsSync(join(base, 'contract.json'))) continue;
      if (!isContractVersion(version)) {
        faults.push({ file: at(base), pointer: '', rule: 'name', detail: NAME_RULES.version });
        continue;
      }
      const read = readVersion(base, faults);
      if (read === undefined) continue;
      const admitted: ContractFault[] = admitContractFiles(read);
      for (const f of admitted) faults.push({ ...f, file: `${read.base}/${f.file}` });
      if (admitted.length === 0) contracts.push(read);
    }
  }
  if (faults.length > 0) throw refuse(root, faults);
  return contracts;
}

function readVersion(base: string, faults: Faults): ContractFiles | undefined {
  const before = faults.length;
  const dialects: Record<string, ContractFiles['dialects'][string]> = {};
  for (const name of dirs(join(base, 'dialects'))) {
    const dir = join(base, 'dialects', name);
    if (!isDialectName(name)) {
      faults.push({
        file: relative(process.cwd(), dir),
        pointer: '',
        rule: 'name',
        detail: NAME_RULES.dialect,
      });
      continue;
    }
    const examples: Record<string, unknown> = {};
    const exampleDir = join(dir, 'examples');
    if (existsSync(exampleDir)) {
      for (const file of readdirSync(exampleDir)
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const type = file.slice(0, -5);
        if (!isExampleName(type)) {
          faults.push({
            file: relative(process.cwd(), join(exampleDir, file)),
            pointer: '',
            rule: 'name',
            detail: NAME_RULES.example,
          });
          continue;
        }
        examples[type] = readJson(join(exampleDir, file), faults);
      }
    }
    dialects[name] = {
      schema: readJson(join(dir, 'schema.json'), faults),
      mapping: readJson(join(dir, 'mapping.json'), faults),
      examples,
    };
  }
  const files: ContractFiles = {
    base: relative(process.cwd(), base) || base,
    contract: readJson(join(base, 'contract.json'), faults),
    canonical: readJson(join(base, 'canonical.schema.json'), faults),
    dialects,
  };
  return faults.length === before ? files : undefined;
}
