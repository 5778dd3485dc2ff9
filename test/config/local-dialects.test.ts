import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNodeConfig } from '../../src/config/validate.js';
import { localSystemFaults } from '../../src/exchange/local/dialect-check.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { cli } from '../helpers/cli.js';
import { loadAll } from '../helpers/contracts.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Mistakes only the contracts reveal are caught at start (and by `yrdx config check`), not by the
 * first message: a local system's dialect no contract of its domains knows, a pinned major with no
 * version (issue 18: `"dialect": "zhejiang"` passed the check and the node reported ready).
 */
const { registry } = loadAll(readContractsDir('contracts'));
const raw = (system: Record<string, unknown>) => ({
  id: '330500',
  name: '湖州市',
  province: 'zj',
  publicUrl: 'https://yrdx.huzhou.example',
  keys: { source: 'file' },
  partners: [],
  localSystems: [
    {
      id: 'hz-case',
      name: '湖州案件系统',
      dialect: 'zj',
      apiKeys: [`sha256:${'a'.repeat(64)}`],
      maySend: { domains: ['food-safety'], types: ['case-transfer'] },
      receives: { domains: ['food-safety', 'pollution'], types: ['case-transfer'] },
      delivery: { mode: 'pull' },
      ...system,
    },
  ],
});
const config = (system: Record<string, unknown>) => validateNodeConfig(raw(system), { file: 'node.json' });

describe('local systems checked against the contracts', () => {
  it('accepts a dialect every domain knows, and a pinned major that exists', () => {
    expect(localSystemFaults(config({}), registry)).toEqual([]);
    expect(localSystemFaults(config({ contractMajors: { 'food-safety': 1 } }), registry)).toEqual([]);
  });

  it('names a dialect no contract knows, with the dialects there are, once per domain', () => {
    const faults = localSystemFaults(config({ dialect: 'zhejiang' }), registry);
    expect(faults.map((f) => f.pointer)).toEqual(['/localSystems/0/dialect', '/localSystems/0/dialect']);
    expect(faults[0]!.detail.en).toContain('"zhejiang"');
    expect(faults[0]!.detail.zh).toContain('zj');
  });

  it('names a pinned major with no version', () => {
    expect(localSystemFaults(config({ contractMajors: { 'food-safety': 7 } }), registry)).toEqual([
      expect.objectContaining({ pointer: '/localSystems/0/contractMajors/food-safety' }),
    ]);
  });

  it('yrdx config check refuses it, naming the file and pointer', async () => {
    const dir = tempDir('yrdx-local-dialect-');
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify(raw({ dialect: 'zhejiang' })));
    const result = await cli(['config', 'check', '--config', file]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('/localSystems/0/dialect');
    writeFileSync(file, JSON.stringify(raw({})));
    expect((await cli(['config', 'check', '--config', file])).status).toBe(0);
  });
});

describe('domains and message types are the contracts’ names', () => {
  it('names a domain and a type no contract declares, with the ones there are', () => {
    const faults = localSystemFaults(
      config({
        maySend: { domains: ['food-safety', 'fisheries'], types: ['case-transfer', 'gossip'] },
      }),
      registry,
    );
    expect(faults.map((f) => f.pointer)).toEqual([
      '/localSystems/0/maySend/domains/1',
      '/localSystems/0/maySend/types/1',
    ]);
    expect(faults[0]!.detail.zh).toContain('food-safety');
    expect(faults[1]!.detail.zh).toContain('case-transfer');
  });

  it('accepts "*" for every domain and every type', () => {
    expect(localSystemFaults(config({ maySend: { domains: ['*'], types: ['*'] } }), registry)).toEqual([]);
  });
});
