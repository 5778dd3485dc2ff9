import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { tempDir, writeJson } from '../helpers/tmp.js';

const dir = tempDir('yrdx-contracts-cli-');

describe('yrdx contracts and translate', () => {
  it('validate passes on the shipped contracts and says so in JSON', async () => {
    const result = await cli(['contracts', 'validate', '--json']);
    expect(result.status, result.stdout).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { contract: string; valid: boolean; built: boolean });
    expect(lines.map((l) => l.contract).sort()).toEqual([
      'food-safety@1.0.0',
      'food-safety@2.0.0',
      'food-safety@2.1.0',
      'franchise@1.0.0',
      'ip-protection@1.0.0',
      'ip-protection@2.0.0',
      'ip-protection@2.1.0',
      'pollution@1.0.0',
      'pollution@1.1.0',
      'pollution@2.0.0',
      'pollution@2.1.0',
      'qualification@1.0.0',
      'road-transport@1.0.0',
      'road-transport@2.0.0',
      'road-transport@2.1.0',
    ]);
    // contracts/build/ holds the current translation code of each.
    expect(lines.every((l) => l.built)).toBe(true);
  });

  it('test translates every example into every dialect', async () => {
    const result = await cli(['contracts', 'test', '--domain', 'pollution', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const outcomes = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome?: string; summary?: { failed: number; translations: number } })
      .filter((l) => l.summary === undefined);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!).summary).toMatchObject({
      domains: 1,
      failed: 0,
    });
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.every((o) => o.outcome === 'ok')).toBe(true);
  });

  it('translate turns a Zhejiang document into Jiangsu’s dialect', async () => {
    const example = join('contracts/food-safety/2.0.0/dialects/zj/examples/notification.json');
    const result = await cli([
      'translate',
      '--domain',
      'food-safety',
      '--from',
      'zj',
      '--to',
      'js',
      '--type',
      'notification',
      example,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout)).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
  });

  it('translate reports every invalid field with its pointer and the expected check character', async () => {
    const file = writeJson(join(dir, 'bad.json'), { caseInfo: 1 });
    const result = await cli([
      'translate',
      '--domain',
      'food-safety',
      '--from',
      'sh',
      '--to',
      'canonical',
      file,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^document_invalid: 报文内容不符合数据契约 food-safety@2\.1\.0（sh）/);
    expect(result.stderr).toContain('#/caseInfo: 类型应为 object');
    const wrongCheck = await cli([
      'translate',
      '--domain',
      'pollution',
      '--version',
      '1.0.0',
      '--from',
      'zj',
      '--to',
      'canonical',
      'contracts/pollution/1.0.0/dialects/zj/examples/case-transfer.json',
    ]);
    expect(wrongCheck.status, wrongCheck.stderr).toBe(0);
  });

  it('translate refuses unknown domains, dialects and usage', async () => {
    const example = 'contracts/food-safety/2.0.0/dialects/zj/examples/notification.json';
    expect(
      (await cli(['translate', '--domain', 'weather', '--from', 'zj', '--to', 'js', example])).stderr,
    ).toMatch(/^contract_unknown/);
    expect(
      (await cli(['translate', '--domain', 'food-safety', '--from', 'xx', '--to', 'js', example])).stderr,
    ).toMatch(/^contract_unknown/);
    expect((await cli(['translate', '--domain', 'food-safety', example])).status).toBe(2);
  });
});
