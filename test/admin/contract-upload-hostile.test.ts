import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractFiles } from '../../src/contracts/files.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';
import { adminCredentials, MemoryAudit } from './helpers.js';

// Hostile uploads through the admin API, on a node with a real data directory: names that would
// become paths outside the version's folder, versions that are not MAJOR.MINOR.PATCH, members nested
// past the bound. Each is refused with a stable code, and nothing is written anywhere.

const dir = tempDir('yrdx-admin-hostile-');
let node: LiveNode;
let app: ReturnType<typeof nodeApp>;
let token = '';

const shipped = (): ContractFiles =>
  JSON.parse(
    JSON.stringify(readContractsDir('contracts', { domain: 'food-safety' }).contracts[0]),
  ) as ContractFiles;

/** food-safety at `version`, the files of 1.0.0 unchanged (a compatible version). */
interface Upload {
  contract: Record<string, unknown>;
  canonical: unknown;
  dialects: Record<
    string,
    { schema: unknown; mapping: { rules: Record<string, unknown>[] }; examples: Record<string, unknown> }
  >;
}

function version(v: string): Upload {
  const files = shipped();
  (files.contract as Record<string, unknown>).version = v;
  return {
    contract: files.contract as Record<string, unknown>,
    canonical: files.canonical,
    dialects: files.dialects as Upload['dialects'],
  };
}

const post = (text: string) =>
  app.request('/admin/v1/contracts', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: text,
  });

/** Every file of the data directory but the databases, with a digest of its content. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(name))
        out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  [node] = (await startNodes([{ id: '330500', name: '湖州市', province: 'zj' }], dir)) as [LiveNode];
  const creds = await adminCredentials(Date.now());
  token = creds.tokens.admin;
  app = nodeApp(
    { ...node.state, config: { ...node.state.config, admin: creds.admin } },
    node.exchange,
    undefined,
    {
      audit: new MemoryAudit(),
    },
  );
}, patient(30_000));
afterAll(async () => {
  await node.stop();
});

describe('contract uploads never write outside their version folder', () => {
  it('refuses an example whose name climbs to the node configuration; node.json is untouched', async () => {
    const dataDir = node.state.config.dataDir;
    const configFile = join(dataDir, 'node.json');
    const before = snapshot(dataDir);
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    const backdoor = {
      ...config,
      admin: { credentials: [{ id: 'x', role: 'admin', tokenHash: `sha256:${'0'.repeat(64)}` }] },
    };
    const upload = version('1.1.0');
    // dataDir/contracts/food-safety/1.1.0/dialects/zj/examples/ + six levels up = dataDir.
    upload.dialects.zj!.examples['../../../../../../node'] = backdoor;
    const response = await post(JSON.stringify(upload));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; errors: { file: string; rule: string }[] };
    expect(problem.code).toBe('contract_files_refused');
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ file: 'dialects/zj/examples/../../../../../../node.json', rule: 'name' }),
    );
    expect(snapshot(dataDir)).toEqual(before);
    expect(existsSync(join(dataDir, 'contracts', 'food-safety', '1.1.0'))).toBe(false);
  });

  it.each([
    [
      'a dialect name',
      (u: Upload) => {
        u.dialects['../../../../keys'] = u.dialects.zj!;
        (u.contract.dialects as Record<string, unknown>)['../../../../keys'] = { messageTypes: [] };
      },
      'dialects/../../../../keys/',
    ],
    [
      'a domain',
      (u: Upload) => {
        u.contract.domain = '../../admin';
      },
      'contract.json',
    ],
    [
      'a version',
      (u: Upload) => {
        u.contract.version = '1.1.0/../../../admin';
      },
      'contract.json',
    ],
    [
      'a version with a leading zero (01.1.0)',
      (u: Upload) => {
        u.contract.version = '01.1.0';
      },
      'contract.json',
    ],
    [
      'a version with a leading zero in its patch (1.1.00)',
      (u: Upload) => {
        u.contract.version = '1.1.00';
      },
      'contract.json',
    ],
  ])('refuses %s that is not a plain name, writing nothing', async (_what, change, file) => {
    const dataDir = node.state.config.dataDir;
    const before = snapshot(dataDir);
    const upload = version('1.1.0');
    change(upload);
    const response = await post(JSON.stringify(upload));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; errors: { file: string; rule: string }[] };
    expect(problem.code).toBe('contract_files_refused');
    expect(problem.errors).toContainEqual(expect.objectContaining({ file, rule: 'name' }));
    expect(snapshot(dataDir)).toEqual(before);
    expect(node.state.lifecycle.list().map((c) => `${c.domain}@${c.version}`)).toEqual([
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
  });

  it('answers a 100,000-deep member of a mapping with a 4xx problem, and leaves nothing on disk', async () => {
    const dataDir = node.state.config.dataDir;
    const before = snapshot(dataDir);
    const upload = version('1.1.0');
    upload.dialects.zj!.mapping.rules[0]!.description = '@@DEEP@@';
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const response = await post(JSON.stringify(upload).replace('"@@DEEP@@"', deep));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(snapshot(dataDir)).toEqual(before);
    expect(existsSync(join(dataDir, 'contracts', 'food-safety', '1.1.0'))).toBe(false);
  });

  it('refuses the same climbing example name through the console upload; node.json is untouched', async () => {
    const dataDir = node.state.config.dataDir;
    const before = snapshot(dataDir);
    const origin = 'http://localhost';
    const signIn = await app.request(`${origin}/console/sign-in`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await app.request(`${origin}/console/contracts`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const upload = version('1.2.0');
    upload.dialects.zj!.examples['../../../../../../node'] = { id: '330500', admin: { credentials: [] } };
    const response = await app.request(`${origin}/console/contracts`, {
      method: 'POST',
      headers: { origin, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, bundle: JSON.stringify(upload) }).toString(),
    });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('contract_files_refused');
    expect(snapshot(dataDir)).toEqual(before);
    expect(existsSync(join(dataDir, 'contracts', 'food-safety', '1.2.0'))).toBe(false);
  });

  it('still publishes a well-formed version afterwards', async () => {
    const response = await post(JSON.stringify(version('1.1.0')));
    expect(response.status).toBe(201);
    const base = join(node.state.config.dataDir, 'contracts', 'food-safety', '1.1.0');
    expect(existsSync(join(base, 'contract.json'))).toBe(true);
    expect(
      readdirSync(join(base, 'dialects', 'zj', 'examples')).every((f) => /^[a-z-]+\.json$/.test(f)),
    ).toBe(true);
  });
});
