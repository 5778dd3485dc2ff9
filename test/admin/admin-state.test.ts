import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../src/config/types.js';
import type { ContractFiles } from '../../src/contracts/files.js';
import { isYrdxError } from '../../src/errors/errors.js';
import { nodeAdminState } from '../../src/runtime/node/admin-state.js';
import { loadNodeContracts, restoreContractLifecycle } from '../../src/runtime/node/boot.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { tempDir } from '../helpers/tmp.js';

// Uploaded versions in the data directory (findings 1 and 8 of issue 14): written whole or not at
// all, and restored at boot without paying again for what an admin uploaded.

const shipped = (version: string): ContractFiles => {
  const files = JSON.parse(
    JSON.stringify(readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]),
  ) as ContractFiles;
  (files.contract as Record<string, unknown>).version = version;
  return files;
};

/** Writes a version into the data directory as an earlier yrdx (or someone with the disk) left it. */
function plant(dataDir: string, files: ContractFiles, version: string): string {
  const base = join(dataDir, 'contracts', 'food-safety', version);
  const put = (path: string, value: unknown) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify(value));
  };
  for (const [name, d] of Object.entries(files.dialects)) {
    put(join(base, 'dialects', name, 'schema.json'), d.schema);
    put(join(base, 'dialects', name, 'mapping.json'), d.mapping);
    for (const [type, example] of Object.entries(d.examples))
      put(join(base, 'dialects', name, 'examples', `${type}.json`), example);
  }
  put(join(base, 'canonical.schema.json'), files.canonical);
  put(join(base, 'contract.json'), files.contract);
  return base;
}

const config = { contractsDir: 'contracts', domains: ['food-safety'] } as unknown as NodeConfig;

describe('uploaded contract versions on disk', () => {
  it('leaves no part of a version behind when a write fails half-way', async () => {
    const dataDir = tempDir('yrdx-admin-state-');
    const state = nodeAdminState(dataDir);
    const files = shipped('1.1.0');
    // The last example of the last dialect cannot be written: everything before it was.
    const names = Object.keys(files.dialects);
    const last = files.dialects[names.at(-1)!]!;
    const type = Object.keys(last.examples).at(-1)!;
    (last.examples as Record<string, unknown>)[type] = {
      toJSON() {
        throw new Error('disk full');
      },
    };
    await expect(state.saveContractVersion('food-safety', '1.1.0', files)).rejects.toThrow();
    expect(existsSync(join(dataDir, 'contracts', 'food-safety', '1.1.0'))).toBe(false);
    expect(state.loadUploadedContracts()).toEqual([]);
    // Nothing but (at most) empty parent folders: no temporary folder is left either.
    const left = existsSync(join(dataDir, 'contracts', 'food-safety'))
      ? readdirSync(join(dataDir, 'contracts', 'food-safety'))
      : [];
    expect(left).toEqual([]);
    // The same upload, whole, is then written.
    await state.saveContractVersion('food-safety', '1.1.0', shipped('1.1.0'));
    expect(state.loadUploadedContracts().map((c) => (c.contract as { version: string }).version)).toEqual([
      '1.1.0',
    ]);
  });

  it('refuses to write a version whose names would leave its folder, even when called directly', async () => {
    const dataDir = tempDir('yrdx-admin-state-');
    const state = nodeAdminState(dataDir);
    const files = shipped('1.1.0');
    (files.dialects.zj!.examples as Record<string, unknown>)['../../../../../../node'] = { owned: true };
    await expect(state.saveContractVersion('food-safety', '1.1.0', files)).rejects.toMatchObject({
      code: 'contract_files_refused',
    });
    await expect(state.saveContractVersion('food-safety', '../../x', shipped('1.1.0'))).rejects.toMatchObject(
      {
        code: 'contract_files_refused',
      },
    );
    expect(existsSync(join(dataDir, 'node.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'contracts'))).toBe(false);
  });

  it('refuses at boot, quickly and by its size, a 140 KB pattern an earlier upload left on disk', () => {
    // Restoring a staged version leaves the registry as it is: one serves every restore below.
    const registry = loadNodeContracts(config);
    const restore = (dataDir: string) => {
      const started = performance.now();
      let code = '';
      let file = '';
      try {
        restoreContractLifecycle(config, registry, nodeAdminState(dataDir));
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        code = error.code;
        file = `${error.errors[0]?.file} ${error.errors[0]?.pointer}`;
      }
      return { ms: performance.now() - started, code, file };
    };
    const clean = tempDir('yrdx-admin-state-');
    plant(clean, shipped('1.1.0'), '1.1.0');
    const hostile = tempDir('yrdx-admin-state-');
    const files = shipped('1.1.0');
    const huge = `^(${Array.from({ length: 22_000 }, (_, i) => `a${i}`).join('|')})+$`;
    const zj = files.dialects.zj!.schema as { properties: Record<string, Record<string, unknown>> };
    const field = Object.keys(zj.properties).find((k) => zj.properties[k]!.type === 'string')!;
    zj.properties[field]!.pattern = huge;
    plant(hostile, files, '1.1.0');
    restore(clean); // warm up
    const ok = restore(clean);
    expect(ok.code).toBe('');
    const refused = restore(hostile);
    expect(refused.code).toBe('contract_invalid');
    expect(refused.file).toContain(`dialects/zj/schema.json /properties/${field}/pattern`);
    // No dearer than restoring a clean version: the pattern is refused before anything compiles it.
    expect(refused.ms / ok.ms).toBeLessThan(1.5);
  });
});
