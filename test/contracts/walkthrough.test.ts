import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../../src/contracts/load-all.js';
import { translate } from '../../src/contracts/translate.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { aheadOfTimeRuns } from '../../src/runtime/node/runs.js';
import { cli } from '../helpers/cli.js';
import { tempDir, writeJson } from '../helpers/tmp.js';

/**
 * The worked example of docs/writing-a-dialect.md: the new dialect `hzgs` (docs/examples/new-dialect/hzgs)
 * published as food-safety 1.1.0 = 1.0.0 plus hzgs, in a temporary copy of the contracts folder, exactly
 * as an administrator would do it.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const hzgsDir = join(repo, 'docs/examples/new-dialect/hzgs');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const scratch = tempDir('yrdx-walkthrough-');

/** `<name>/contracts/` with core, reference, food-safety 1.0.0 and the new 1.1.0; `change` edits 1.1.0. */
function publish(name: string, change?: (v110: string) => void): string {
  const root = join(scratch, name, 'contracts');
  for (const part of ['core', 'reference', 'food-safety/1.0.0'])
    cpSync(join(repo, 'contracts', part), join(root, part), { recursive: true });
  const v110 = join(root, 'food-safety/1.1.0');
  cpSync(join(root, 'food-safety/1.0.0'), v110, { recursive: true });
  cpSync(hzgsDir, join(v110, 'dialects/hzgs'), { recursive: true });
  const contract = readJson(join(v110, 'contract.json')) as {
    version: string;
    dialects: Record<string, { messageTypes: string[] }>;
  };
  contract.version = '1.1.0';
  contract.dialects.hzgs = { messageTypes: ['assistance-request', 'notification'] };
  writeJson(join(v110, 'contract.json'), contract);
  change?.(v110);
  return root;
}

function load(root: string) {
  const dir = readContractsDir(root);
  return loadContracts(dir.core, dir.contracts, (_key, schemas) => compileValidators(dir.core, schemas));
}

const faultLines = (faults: ReturnType<typeof load>['faults']) =>
  [...faults].flatMap(([base, list]) => list.map((f) => `${base}/${f.file}#${f.pointer}: ${f.detail}`));

describe('writing a dialect: hzgs published as food-safety 1.1.0', () => {
  const root = publish('published');
  const { registry, faults } = load(root);
  const example = (type: string) => readJson(join(hzgsDir, 'examples', `${type}.json`));

  it('passes every load check, and the registry accepts 1.1.0 beside 1.0.0 (so it is backward compatible)', () => {
    expect(faultLines(faults)).toEqual([]);
    expect(registry.list().map((c) => c.id)).toEqual(['food-safety@1.0.0', 'food-safety@1.1.0']);
    const v110 = registry.get('food-safety', '1.1.0')!;
    expect([...v110.dialects.keys()].sort()).toEqual(['ah', 'hzgs', 'js', 'sh', 'zj']);
    expect(v110.dialects.get('hzgs')!.messageTypes).toEqual(['assistance-request', 'notification']);
    expect(registry.latest('food-safety')?.version).toBe('1.1.0');
    expect(registry.accepting('food-safety', '1.0.0')?.version).toBe('1.0.0');
  });

  it('translates the hzgs notification to canonical: 分 to 元, numeric penalty codes, dates, the constant', () => {
    const contract = registry.get('food-safety', '1.1.0')!;
    const canonical = translate(contract, 'hzgs', 'canonical', 'notification', example('notification'));
    expect(canonical).toMatchObject({
      case: {
        source: 'transfer',
        filedOn: '2025-04-02',
        decidedOn: '2025-06-18',
        closedOn: '2025-07-03',
      },
      parties: [{ kind: 'organisation', uscc: '91330522MA2D7K3R5L', divisionCode: '330522' }],
      decision: {
        penalties: ['confiscate-illegal-gains', 'fine'],
        fine: '60000.00',
        confiscatedGains: '3156.50',
      },
      agency: { name: '长兴县市场监督管理局', divisionCode: '330522' },
      sampling: { category: { code: '24' }, sampledOn: '2025-03-11', conclusion: 'unqualified' },
    });
    expect(canonical).not.toHaveProperty('beizhu');
    const request = translate(
      contract,
      'hzgs',
      'canonical',
      'assistance-request',
      example('assistance-request'),
    );
    expect(request).toMatchObject({
      parties: [{ kind: 'individual', idNumber: '330522198603140474' }],
      request: { dueDate: '2025-09-26' },
    });
    expect((request.request as { actions: string[] }).actions).toHaveLength(4);
  });

  it('translates the hzgs notification into zj and back: only the declared losses differ', () => {
    const contract = registry.latest('food-safety')!;
    const hzgs = example('notification');
    const zj = translate(contract, 'hzgs', 'zj', 'notification', hzgs);
    expect(zj).toMatchObject({
      AJBH: '长市监案〔2025〕0156号',
      LASJ: '20250402',
      JDRQ: '20250618',
      DSRLX: '单位',
      CFLB: '没收违法所得、罚款',
      FKJE: '60000.00',
      MSWFSDJE: '3156.50',
      BAJGXZQHDM: '330522',
      SPDL: '糕点',
      JYJL: '不合格',
      SJLY: '浙江省市场监督管理局',
    });
    const back = translate(contract, 'zj', 'hzgs', 'notification', zj);
    // 备注 is dropped (lossy toCanonical); the time of 立案时间 is not kept in the canonical date.
    const { beizhu: _remarks, ...carried } = hzgs;
    expect(back).toEqual({ ...carried, lasj: '2025/04/02 00:00:00' });
  });

  it('refuses a document with a wrong check character, with the pointer in hzgs and the expected character', () => {
    const contract = registry.latest('food-safety')!;
    const bad = { ...example('notification'), tyshxydm: '91330522MA2D7K3R5X' };
    expect(() => translate(contract, 'hzgs', 'zj', 'notification', bad)).toThrow(
      expect.objectContaining({
        code: 'document_invalid',
        errors: [expect.objectContaining({ pointer: '/tyshxydm', rule: 'uscc-check' })],
      }),
    );
  });

  it('builds the standalone validators and the translation code, one module of each per contract version', async () => {
    const built = await cli(['contracts', 'build', '--dir', root]);
    expect(built.status).toBe(0);
    expect(built.stdout).toContain('已写入 6/6 个文件');
    expect(readdirSync(join(root, 'build')).sort()).toEqual([
      'food-safety@1.0.0.cjs',
      'food-safety@1.0.0.runs.cjs',
      'food-safety@1.1.0.cjs',
      'food-safety@1.1.0.runs.cjs',
      'index.cjs',
      'runs.cjs',
    ]);
    expect(readFileSync(join(root, 'build/food-safety@1.1.0.cjs'), 'utf8')).toContain('dialect-hzgs');
    // A node loading this folder runs the new dialect in the code just written.
    const aot = aheadOfTimeRuns(root);
    const dir = readContractsDir(root);
    const { registry } = loadContracts(dir.core, dir.contracts, (_k, s) => compileValidators(dir.core, s), {
      runs: aot.runs,
    });
    expect(aot.notCurrent).toEqual([]);
    const hzgs = registry.get('food-safety', '1.1.0')!.dialects.get('hzgs')!;
    expect(hzgs.mapping.plans.length).toBeGreaterThan(0);
    expect(hzgs.mapping.plans.every((p) => p.run !== undefined)).toBe(true);
    const check = await cli(['contracts', 'build', '--dir', root, '--check']);
    expect(check.stdout).toContain('：已是最新');
    expect(check.status).toBe(0);
  });
});

describe('writing a dialect: what the load checks refuse', () => {
  it('a 1.1.0 that still says "version": "1.0.0" (published versions are immutable)', () => {
    const root = publish('same-version', (v110) => {
      const contract = readJson(join(v110, 'contract.json'));
      writeJson(join(v110, 'contract.json'), { ...contract, version: '1.0.0' });
    });
    const lines = faultLines(load(root).faults);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      'contract.json#/version: contract_version_exists: 数据契约 food-safety@1.0.0 已发布',
    );
  });

  it('a 1.1.0 that narrows an existing dialect (not backward compatible)', () => {
    const root = publish('narrowed', (v110) => {
      const path = join(v110, 'dialects/zj/schema.json');
      const schema = readJson(path) as {
        properties: Record<string, { enum?: string[]; maxLength?: number }>;
      };
      schema.properties.AJLY!.enum = schema.properties.AJLY!.enum!.filter((v) => v !== '其他');
      schema.properties.AY!.maxLength = 500;
      writeJson(path, schema);
    });
    const { registry, faults } = load(root);
    expect(faultLines(faults)).toEqual([
      expect.stringContaining('contract.json#/version: contract_incompatible'),
      expect.stringContaining('dialects/zj/schema.json#/AY: maxLength became 500 [narrowed]'),
      expect.stringContaining('dialects/zj/schema.json#/AJLY: value "其他" was removed [enum-value-removed]'),
    ]);
    expect(registry.list().map((c) => c.id)).toEqual(['food-safety@1.0.0']);
  });

  it('a dialect field neither mapped nor dropped', () => {
    const root = publish('unmapped', (v110) => {
      const path = join(v110, 'dialects/hzgs/mapping.json');
      const mapping = readJson(path) as { rules: { dialect?: string }[] };
      mapping.rules = mapping.rules.filter((r) => r.dialect !== '/beizhu');
      writeJson(path, mapping);
    });
    expect(faultLines(load(root).faults)).toEqual([
      expect.stringContaining('the dialect field /beizhu is neither mapped nor dropped'),
      expect.stringContaining(
        'examples/notification.json#/beizhu: does not survive dialect → canonical → dialect',
      ),
    ]);
  });
});
