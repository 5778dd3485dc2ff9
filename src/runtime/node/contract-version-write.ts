import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { filesRefused } from '../../admin/services/contract-lifecycle.js';
import { admitContractFiles } from '../../contracts/admit.js';
import type { ContractFiles } from '../../contracts/files.js';
import { isContractDomain, isContractVersion, NAME_RULES } from '../../contracts/names.js';
import { YrdxError } from '../../errors/errors.js';

/**
 * Writes an uploaded version to `<contractsDir>/<domain>/<version>/` whole or not at all: its files go
 * to a temporary folder beside it (`.<version>.<random>.tmp`, which the contracts reader skips), each
 * written and synced, and the folder is renamed into place last. A failure (or a crash) before the
 * rename leaves no folder a restart would load. Every name is checked again here
 * (`admitContractFiles`), and every path is resolved and must lie inside the temporary folder.
 */
export function writeContractVersion(
  contractsDir: string,
  domain: string,
  version: string,
  files: ContractFiles,
): void {
  const id = `${domain}@${version}`;
  const meta = files.contract as { domain?: unknown; version?: unknown } | null;
  const faults = admitContractFiles(files);
  if (!isContractDomain(domain) || meta?.domain !== domain)
    faults.push({ file: 'contract.json', pointer: '/domain', rule: 'name', detail: NAME_RULES.domain });
  if (!isContractVersion(version) || meta?.version !== version)
    faults.push({ file: 'contract.json', pointer: '/version', rule: 'name', detail: NAME_RULES.version });
  if (faults.length > 0) throw filesRefused(id, faults);

  const domainDir = inside(resolve(contractsDir), domain);
  const final = inside(domainDir, version);
  if (existsSync(join(final, 'contract.json')))
    throw new YrdxError('contract_version_exists', { params: { contract: id } });
  mkdirSync(domainDir, { recursive: true, mode: 0o700 });
  // Leftovers of an interrupted write of this version (by this or an earlier yrdx) are not a version.
  for (const name of readdirSync(domainDir))
    if (name.startsWith(`.${version}.`) && name.endsWith('.tmp'))
      rmSync(join(domainDir, name), { recursive: true, force: true });
  if (existsSync(final)) rmSync(final, { recursive: true, force: true });

  const temp = inside(domainDir, `.${version}.${randomBytes(6).toString('hex')}.tmp`);
  mkdirSync(temp, { mode: 0o700 });
  try {
    const put = (relative: string, value: unknown) => writeSynced(inside(temp, relative), value);
    for (const [name, dialect] of Object.entries(files.dialects)) {
      put(`dialects/${name}/schema.json`, dialect.schema);
      put(`dialects/${name}/mapping.json`, dialect.mapping);
      for (const [type, example] of Object.entries(dialect.examples))
        put(`dialects/${name}/examples/${type}.json`, example);
    }
    put('canonical.schema.json', files.canonical);
    put('contract.json', files.contract);
    renameSync(temp, final);
    syncDirectory(domainDir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** `relative` resolved under `root`, refused unless it stays inside it. */
function inside(root: string, relative: string): string {
  const path = resolve(root, relative);
  if (!path.startsWith(`${root}${sep}`))
    throw filesRefused(relative, [
      { file: relative, pointer: '', rule: 'name', detail: 'resolves outside the folder of its version' },
    ]);
  return path;
}

function writeSynced(path: string, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename in `dir` durable (where the platform allows a directory to be synced). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows): the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
