import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractFiles } from '../../src/contracts/files.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { eventually, type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { adminCredentials, example, MemoryAudit } from './helpers.js';

const dir = tempDir('yrdx-admin-lifecycle-');
let nodes: LiveNode[] = [];
const apps: ReturnType<typeof nodeApp>[] = [];
let token = '';
const audit = new MemoryAudit();

const shipped = (): ContractFiles =>
  JSON.parse(
    JSON.stringify(readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]),
  ) as ContractFiles;

/** food-safety 1.1.0: an optional remark in the canonical model and in every dialect. */
function compatible(): Record<string, unknown> {
  const files = shipped();
  (files.contract as Record<string, unknown>).version = '1.1.0';
  const canonical = files.canonical as { properties: Record<string, unknown> };
  canonical.properties.remark = { type: 'string', maxLength: 200, description: '备注' };
  const dialects: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(files.dialects)) {
    (d.schema as { properties: Record<string, unknown> }).properties.yrdxRemark = {
      type: 'string',
      maxLength: 200,
    };
    (d.mapping as { rules: unknown[] }).rules.push({ canonical: '/remark', dialect: '/yrdxRemark' });
    dialects[name] = d;
  }
  return { contract: files.contract, canonical, dialects };
}

/** food-safety 1.1.0 that narrows two canonical fields: two breaking changes for readers of 1.0.0. */
function incompatible(): Record<string, unknown> {
  const files = shipped();
  (files.contract as Record<string, unknown>).version = '1.1.0';
  const defs = (
    files.canonical as {
      $defs: Record<
        string,
        { properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>
      >;
    }
  ).$defs;
  defs.sampling!.properties!.sampleNumber!.minLength = 2;
  defs.riskGrade!.maxLength = 1;
  return { contract: files.contract, canonical: files.canonical, dialects: files.dialects };
}

const call = (i: number, method: string, path: string, body?: unknown) =>
  apps[i]!.request(`/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  nodes = await startNodes(
    [
      { id: '330500', name: '湖州市', province: 'zj' },
      { id: '320500', name: '苏州市', province: 'js' },
    ],
    dir,
  );
  const creds = await adminCredentials(Date.now());
  token = creds.tokens.admin;
  for (const n of nodes) {
    apps.push(
      nodeApp({ ...n.state, config: { ...n.state.config, admin: creds.admin } }, n.exchange, undefined, {
        audit,
      }),
    );
  }
  // These nodes still send food-safety in major 1 (the lifecycle of its minors is what is tested
  // here): the shipped 2.1.0 and 2.0.0 are deprecated, so 1.x stays the version new messages use.
  for (const i of [0, 1]) {
    expect((await call(i, 'POST', '/contracts/food-safety/2.1.0/deprecate')).status).toBe(200);
    expect((await call(i, 'POST', '/contracts/food-safety/2.0.0/deprecate')).status).toBe(200);
  }
}, patient(30_000));
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

describe('contract lifecycle through the admin API', () => {
  it('refuses an incompatible minor version with a report naming each breaking change', async () => {
    const response = await call(0, 'POST', '/contracts', incompatible());
    expect(response.status).toBe(409);
    const problem = (await response.json()) as {
      code: string;
      errors: { pointer: string; rule: string; detail: string }[];
    };
    expect(problem.code).toBe('contract_incompatible');
    expect(problem.errors).toEqual(
      // Exactly the two breaking changes, each with the file, pointer and rule.
      [
        expect.objectContaining({
          file: 'canonical.schema.json',
          pointer: '/sampling/sampleNumber',
          rule: 'narrowed',
          detail: 'minLength 变为 2',
        }),
        expect.objectContaining({
          file: 'canonical.schema.json',
          pointer: '/riskGrade',
          rule: 'narrowed',
          detail: 'maxLength 变为 1',
        }),
      ],
    );
    const list = (await (await call(0, 'GET', '/contracts')).json()) as {
      items: { domain: string; version: string }[];
    };
    expect(list.items.map((c) => `${c.domain}@${c.version}`)).not.toContain('food-safety@1.1.0');
  });

  it('refuses an upload whose mapping fails its checks, with pointers', async () => {
    const broken = compatible();
    const js = (broken.dialects as Record<string, { mapping: { rules: unknown[] } }>).js!;
    js.mapping.rules = js.mapping.rules.filter(
      (r) => (r as { canonical?: string }).canonical !== '/case/caseNumber',
    );
    const response = await call(0, 'POST', '/contracts', broken);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; errors: { file: string; detail: string }[] };
    expect(problem.code).toBe('contract_upload_invalid');
    expect(
      problem.errors.some((e) => e.file === 'dialects/js/mapping.json' && e.detail.includes('YRDX_LANG=en')),
    ).toBe(true);
  });

  it('activates a compatible version on both nodes; the next message uses it, without a restart', async () => {
    for (const i of [0, 1]) {
      const uploaded = await call(i, 'POST', '/contracts', compatible());
      expect(uploaded.status).toBe(201);
      expect(await uploaded.json()).toMatchObject({
        domain: 'food-safety',
        version: '1.1.0',
        status: 'staged',
        // The runs of rules the new field did not change use the code built for 1.0.0; the others
        // translate in the engine.
        translation: 'mixed',
      });
      // The shipped version runs in the code under contracts/build/.
      expect(await (await call(i, 'GET', '/contracts/food-safety/1.0.0')).json()).toMatchObject({
        translation: 'built',
      });
      // Staged: not yet announced, not yet used.
      const doc = (await (await apps[i]!.request('/.well-known/yrdx-node')).json()) as {
        contracts: string[];
      };
      expect(doc.contracts).not.toContain('food-safety@1.1.0');
      const dryRun = await call(i, 'POST', '/contracts/food-safety/1.1.0/translate', {
        from: 'zj',
        to: 'js',
        type: 'assistance-request',
        document: { ...example('food-safety', 'zj', 'assistance-request'), yrdxRemark: '试运行' },
      });
      expect(dryRun.status).toBe(200);
      expect(((await dryRun.json()) as { document: Record<string, unknown> }).document.yrdxRemark).toBe(
        '试运行',
      );
      expect((await call(i, 'POST', '/contracts/food-safety/1.1.0/activate')).status).toBe(200);
      const after = (await (await apps[i]!.request('/.well-known/yrdx-node')).json()) as {
        contracts: string[];
      };
      expect(after.contracts).toContain('food-safety@1.1.0');
    }
    // Published versions are immutable.
    expect((await call(0, 'POST', '/contracts', compatible())).status).toBe(409);

    const [huzhou, suzhou] = nodes as [LiveNode, LiveNode];
    const submitted = await huzhou.submit({
      to: '320500',
      domain: 'food-safety',
      type: 'assistance-request',
      body: { ...example('food-safety', 'zj', 'assistance-request'), yrdxRemark: '请于十五日内反馈' },
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    const pushed = await eventually(
      () => suzhou.pushed.find((p) => p.headers['x-yrdx-message-id'] === id),
      10_000,
      'the message pushed to Suzhou',
    );
    // Translated into Suzhou's dialect (js) with 1.1.0: the remark only that version maps arrives.
    expect(pushed.body.yrdxRemark).toBe('请于十五日内反馈');
    expect(pushed.body.case_no).toBeDefined();
    const found = (await (await call(0, 'GET', `/messages?id=${id}`)).json()) as {
      items: { contract: string }[];
    };
    expect(found.items[0]?.contract).toBe('food-safety@1.1.0');
  });

  it('deprecates a version: no longer announced nor used for new messages, still read', async () => {
    expect((await call(0, 'POST', '/contracts/food-safety/1.0.0/deprecate')).status).toBe(200);
    expect((await call(0, 'POST', '/contracts/food-safety/1.0.0/deprecate')).status).toBe(409);
    const doc = (await (await apps[0]!.request('/.well-known/yrdx-node')).json()) as { contracts: string[] };
    expect(doc.contracts).toContain('food-safety@1.1.0');
    expect(doc.contracts).not.toContain('food-safety@1.0.0');
    expect(nodes[0]!.state.contracts.latest('food-safety')?.version).toBe('1.1.0');
    expect(nodes[0]!.state.contracts.accepting('food-safety', '1.0.0')?.version).toBe('1.0.0');
    // The last version the domain can send with is not deprecated: the node would go silent in it.
    const last = await call(0, 'POST', '/contracts/food-safety/1.1.0/deprecate');
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ code: 'contract_last_active' });
    expect(nodes[0]!.state.lifecycle.status('food-safety@1.1.0')).toBe('active');
    expect(nodes[0]!.state.contracts.latest('food-safety')?.version).toBe('1.1.0');
  });

  it('keeps uploaded versions and their status across a restart', async () => {
    const state = await bootNode(join(dir, '330500', 'node.json'), { env: {}, now: Date.now });
    expect(state.lifecycle.status('food-safety@1.1.0')).toBe('active');
    expect(state.lifecycle.status('food-safety@1.0.0')).toBe('deprecated');
    expect(state.contracts.latest('food-safety')?.version).toBe('1.1.0');
    // Compiled again from the data directory, the upload again runs the built code where it can.
    expect(state.contracts.latest('food-safety')?.translation).toBe('mixed');
    expect(state.contracts.get('food-safety', '1.0.0')?.translation).toBe('built');
  });
});
