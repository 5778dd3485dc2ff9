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

describe('every fault against the contracts at once, with what the node knows', () => {
  it('suggests the closest dialect, domain and type, in 简体中文 and in English', () => {
    const wrong = config({
      dialect: 'zhj',
      maySend: { domains: ['food-safty'], types: ['case-transfr'] },
    });
    const zh = localSystemFaults(wrong, registry);
    // The dialect once per domain it receives (food-safety, pollution): each contract names its own.
    expect(zh.map((f) => f.pointer)).toEqual([
      '/localSystems/0/maySend/domains/0',
      '/localSystems/0/maySend/types/0',
      '/localSystems/0/dialect',
      '/localSystems/0/dialect',
    ]);
    expect(zh[0]!.detail.zh).toContain('最接近的是：food-safety');
    expect(zh[1]!.detail.zh).toContain('case-transfer');
    expect(zh[2]!.detail.zh).toContain('最接近的是：zj');
    expect(zh[0]!.detail.en).toContain('the closest: food-safety');
    for (const f of zh) expect(f.detail.en).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('checks the node’s domains and partners’ maySend and subscribes', () => {
    const faults = localSystemFaults(
      validateNodeConfig(
        {
          ...raw({}),
          domains: ['food-safety', 'fishery'],
          partners: [
            {
              id: '320500',
              name: '苏州市',
              baseUrl: 'https://yrdx.suzhou.example',
              keys: { jwksUrl: 'https://yrdx.suzhou.example/.well-known/jwks.json', pins: ['A'.repeat(43)] },
              subscribes: ['polution'],
              maySend: { domains: ['road-transport'], types: ['gossip'] },
            },
          ],
        },
        { file: 'node.json' },
      ),
      registry,
    );
    expect(faults.map((f) => f.pointer)).toEqual([
      '/domains/1',
      '/partners/0/maySend/types/0',
      '/partners/0/subscribes/0',
    ]);
    expect(faults[2]!.detail.zh).toContain('pollution');
  });

  it('judges a local system’s types by the major it pins, and names the majors there are', () => {
    const faults = localSystemFaults(config({ contractMajors: { 'food-safety': 9 } }), registry);
    expect(faults[0]!.detail.en).toMatch(/loaded majors: 1, 2/);
    expect(faults[0]!.detail.zh).toMatch(/已加载的主版本：1、2/);
  });
});

describe('yrdx config check', () => {
  it('lists the node, its store, partners and local systems, 简体中文 first and English under YRDX_LANG=en', async () => {
    const dir = tempDir('yrdx-config-check-');
    const file = join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...raw({}),
        partners: [
          {
            id: '320500',
            name: '苏州市',
            baseUrl: 'https://yrdx.suzhou.example',
            keys: { jwksUrl: 'https://yrdx.suzhou.example/.well-known/jwks.json', pins: ['A'.repeat(43)] },
            maySend: { domains: ['*'], types: ['*'] },
          },
        ],
      }),
    );
    const zh = await cli(['config', 'check', '--config', file]);
    expect(zh.status, zh.stderr).toBe(0);
    expect(zh.stdout).toContain(`配置文件 ${file} 有效。`);
    expect(zh.stdout).toContain('节点：330500 湖州市');
    expect(zh.stdout).toContain(`存储：${join(dir, 'data', 'yrdx.sqlite')}`);
    expect(zh.stdout).toContain('320500 苏州市  https://yrdx.suzhou.example');
    expect(zh.stdout).toContain('hz-case 湖州案件系统：方言 zj，接收方式 拉取');
    expect(zh.stdout).toContain('发送：food-safety（case-transfer）');
    const en = await cli(['config', 'check', '--config', file], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toContain('Node: 330500 Huzhou');
    expect(en.stdout).toContain('receives: food-safety, pollution (case-transfer)');
    // Names quoted from the file (湖州案件系统) are data; every other word is English.
    expect(en.stdout.replaceAll('湖州案件系统', '')).not.toMatch(/[\u4e00-\u9fff]/);
    const json = JSON.parse((await cli(['config', 'check', '--config', file, '--json'])).stdout) as {
      valid: boolean;
      localSystems: { id: string; dialect: string; mode: string }[];
    };
    expect(json).toMatchObject({
      valid: true,
      localSystems: [{ id: 'hz-case', dialect: 'zj', mode: 'pull' }],
    });
  });

  it('lists every fault at once: contracts and partner keys', async () => {
    const dir = tempDir('yrdx-config-faults-');
    const file = join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...raw({ dialect: 'zhejiang' }),
        domains: ['fishery'],
        partners: [
          {
            id: '320500',
            name: '苏州市',
            baseUrl: 'https://yrdx.suzhou.example',
            keys: { jwksFile: 'missing-jwks.json' },
            maySend: { domains: ['*'], types: ['*'] },
          },
        ],
      }),
    );
    const result = await cli(['config', 'check', '--config', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('#/domains/0');
    expect(result.stderr).toContain('#/localSystems/0/dialect');
    expect(result.stderr).toContain('#/partners/0/keys');
  });
});
