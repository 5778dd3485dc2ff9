import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateAdmin } from '../../src/admin/credentials.js';
import { buildApp } from '../../src/app.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { type DigestAlgorithm, sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { YrdxError } from '../../src/errors/errors.js';
import { authenticateLocal } from '../../src/exchange/routes/local-auth.js';
import type { NodeKeyring } from '../../src/keys/keyring.js';
import { loadStampedConfigFile } from '../../src/runtime/node/config-file.js';
import { acceptedAfterRestart } from '../../src/runtime/node/config-watch.js';
import { newApiKey } from '../../src/runtime/node/federation-config.js';
import { ANY } from '../../src/vocabulary/messages.js';
import { cli } from '../helpers/cli.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { FakeClock, registryOf } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { copyConfig, tempDir } from '../helpers/tmp.js';

/**
 * A node on the national profile keeps no SHA-256 of a secret: local systems' API keys and admin
 * tokens may be configured as `sm3:<hex>` beside `sha256:<hex>`. Each configured hash is compared with
 * the presented secret's digest by that hash's own algorithm, so a hash whose algorithm is swapped
 * (the SM3 value labelled SHA-256, or the other way) matches nothing.
 */

const base = JSON.parse(readFileSync('config/node.json', 'utf8')) as Record<string, unknown>;
const localSystem = (id: string, apiKeys: readonly string[]) => ({
  id,
  name: '湖州市案件系统',
  dialect: 'zj',
  apiKeys,
  maySend: { domains: [ANY], types: [ANY] },
  receives: { domains: [ANY], types: [ANY] },
  delivery: { mode: 'pull' },
});
const sha256Form = async (key: string) => `sha256:${await sha256Hex(key)}`;
/** The same token's hash with the algorithm label swapped: SM3's hex as SHA-256, SHA-256's hex as SM3. */
const swapped = async (key: string) => ({
  sm3AsSha256: `sha256:${sm3Digest(key).slice('sm3:'.length)}`,
  sha256AsSm3: `sm3:${await sha256Hex(key)}`,
});

function configWith(apiKeys: readonly string[][], tokenHashes: readonly string[] = []) {
  return validateNodeConfig(
    {
      ...base,
      localSystems: apiKeys.map((keys, i) => localSystem(`system-${i}`, keys)),
      ...(tokenHashes.length === 0
        ? {}
        : {
            admin: {
              credentials: tokenHashes.map((tokenHash, i) => ({ id: `cred-${i}`, role: 'admin', tokenHash })),
            },
          }),
    },
    { file: 'node.json' },
  );
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof YrdxError ? e.code : String(e)),
  );

describe('API keys configured as SM3', () => {
  it('authenticate, kept in the kept form of digests (sm3: hex)', async () => {
    const key = newApiKey();
    const config = configWith([[sm3Digest(key)]]);
    expect(config.localSystems[0]!.apiKeyHashes).toEqual([sm3Digest(key)]);
    const system = await authenticateLocal(`Bearer ${key}`, config.localSystems);
    expect(system.id).toBe('system-0');
  });

  it('refuse the same key when the hash names the other algorithm', async () => {
    const key = newApiKey();
    const { sm3AsSha256, sha256AsSm3 } = await swapped(key);
    for (const hash of [sm3AsSha256, sha256AsSm3]) {
      const config = configWith([[hash]]);
      expect(await codeOf(authenticateLocal(`Bearer ${key}`, config.localSystems)), hash).toBe(
        'auth_invalid',
      );
    }
  });

  it('work in a mixed list: each key finds its own system whatever the algorithm of the others', async () => {
    const [a, b, c] = [newApiKey(), newApiKey(), newApiKey()];
    const config = configWith([[await sha256Form(a), sm3Digest(b)], [sm3Digest(c)]]);
    expect((await authenticateLocal(`Bearer ${a}`, config.localSystems)).id).toBe('system-0');
    expect((await authenticateLocal(`Bearer ${b}`, config.localSystems)).id).toBe('system-0');
    expect((await authenticateLocal(`Bearer ${c}`, config.localSystems)).id).toBe('system-1');
    expect(await codeOf(authenticateLocal(`Bearer ${newApiKey()}`, config.localSystems))).toBe(
      'auth_invalid',
    );
  });

  it('spend no SM3 when no hash is SM3, and no runtime SHA-256 that is not one', async () => {
    const key = newApiKey();
    const config = configWith([[await sha256Form(key)]]);
    // A caller passing its profile's digest (SM3) as the fast SHA-256 does not turn it into one.
    expect((await authenticateLocal(`Bearer ${key}`, config.localSystems, sm3Digest)).id).toBe('system-0');
    const asked: string[] = [];
    const spy = (text: string) => {
      asked.push(text);
      return sha256Hex(text);
    };
    await authenticateLocal(`Bearer ${key}`, config.localSystems, spy);
    expect(asked).toEqual([key]);
  });
});

describe('admin tokens configured as SM3', () => {
  it('authenticate over the admin API; swapped algorithms and strangers are refused', async () => {
    const [token, other] = [newApiKey(), newApiKey()];
    const { sm3AsSha256, sha256AsSm3 } = await swapped(other);
    const config = configWith([[sm3Digest(newApiKey())]], [sm3Digest(token), sm3AsSha256, sha256AsSm3]);
    expect(config.admin?.credentials[0]?.tokenHash).toBe(sm3Digest(token));
    const clock = new FakeClock();
    const app = buildApp({
      config,
      keyring: () => ({}) as NodeKeyring,
      partners: await registryOf('330500', []),
      now: clock.now,
    });
    const me = (t: string) => app.request('/admin/v1/me', { headers: { authorization: `Bearer ${t}` } });
    const ok = await me(token);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(((await ok.json()) as { id: string }).id).toBe('cred-0');
    const refused = await me(other);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('admin_auth_invalid');
  });

  it('work in a mixed list, each compared by its own algorithm', async () => {
    const [a, b] = [newApiKey(), newApiKey()];
    const credentials = [
      { id: 'sha', role: 'admin' as const, tokenHash: await sha256Hex(a) },
      { id: 'sm3', role: 'auditor' as const, tokenHash: sm3Digest(b) },
    ];
    expect((await authenticateAdmin(`Bearer ${a}`, credentials, 0)).id).toBe('sha');
    expect((await authenticateAdmin(`Bearer ${b}`, credentials, 0)).id).toBe('sm3');
    expect(await codeOf(authenticateAdmin(`Bearer ${newApiKey()}`, credentials, 0))).toBe(
      'admin_auth_invalid',
    );
  });
});

describe('malformed SM3 hashes in the configuration', () => {
  const faultsOf = (value: unknown) => {
    try {
      validateNodeConfig(value, { file: 'node.json' });
    } catch (error) {
      expect((error as YrdxError).code).toBe('config_invalid');
      return (error as YrdxError).errors;
    }
    throw new Error('expected the configuration to be refused');
  };
  const hex = 'ab'.repeat(32);
  it.each([
    ['too short', `sm3:${hex.slice(2)}`],
    ['too long', `sm3:${hex}00`],
    ['upper-case hex', `sm3:${hex.toUpperCase()}`],
    ['upper-case label', `SM3:${hex}`],
    ['no hex', 'sm3:'],
    ['another algorithm', `sm4:${hex}`],
    ['bare hex', hex],
  ])('are refused with a fault naming both forms: %s', (_name, bad) => {
    for (const [value, pointer] of [
      [{ ...base, localSystems: [localSystem('bad', [bad])] }, '/localSystems/0/apiKeys/0'],
      [
        { ...base, admin: { credentials: [{ id: 'x', role: 'admin', tokenHash: bad }] } },
        '/admin/credentials/0/tokenHash',
      ],
    ] as const) {
      const fault = faultsOf(value).find((f) => f.pointer === pointer);
      expect(fault, pointer).toBeDefined();
      expect(fault!.detail.en).toContain('"sm3:<hex>"');
      expect(fault!.detail.en).toContain('"sha256:<hex>"');
      expect(fault!.detail.zh).toContain('SM3');
    }
  });
});

describe('the restart hint with SM3 hashes (a real gm node, its real configuration file)', () => {
  let node: LiveNode;
  const dir = tempDir('yrdx-credential-sm3-');
  beforeAll(async () => {
    [node] = (await startNodes(
      [{ id: '330500', name: '湖州市', province: 'zj', cryptoProfile: 'gm' }],
      dir,
    )) as [LiveNode];
  }, patient(30_000));
  afterAll(async () => {
    await node?.stop();
  });
  const inbox = async (key: string) => {
    const res = await fetch(`${node.url}/v1/inbox/messages`, { headers: { authorization: `Bearer ${key}` } });
    return res.status === 200 ? 'ok' : ((await res.json()) as { code: string }).code;
  };

  it('a gm node keeps its key as SM3 and accepts it; a key added as SM3 gets auth_key_not_loaded', async () => {
    const file = join(dir, '330500', 'node.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { localSystems: { apiKeys: string[] }[] };
    expect(config.localSystems[0]!.apiKeys).toEqual([sm3Digest(node.apiKey)]);
    expect(await inbox(node.apiKey)).toBe('ok');

    const [added, labelledWrong] = [newApiKey(), newApiKey()];
    config.localSystems[0]!.apiKeys.push(sm3Digest(added), (await swapped(labelledWrong)).sha256AsSm3);
    writeFileSync(file, JSON.stringify(config, null, 2));
    expect(await inbox(added)).toBe('auth_key_not_loaded');
    expect(await inbox(labelledWrong)).toBe('auth_invalid');
    expect(await inbox(newApiKey())).toBe('auth_invalid');
    expect(await inbox(node.apiKey)).toBe('ok');
  });

  it('asks for the SM3 of a refused key only when the changed file holds an SM3 hash', async () => {
    const folder = tempDir('yrdx-credential-sm3-probe-');
    const file = join(folder, 'node.json');
    const original = JSON.parse(readFileSync(join(dir, '330500', 'node.json'), 'utf8')) as {
      localSystems: { apiKeys: string[] }[];
    };
    const key = newApiKey();
    original.localSystems[0]!.apiKeys = [await sha256Form(newApiKey())];
    writeFileSync(file, JSON.stringify(original));
    const { stamp } = loadStampedConfigFile(file);
    const clock = new FakeClock();
    const accepts = acceptedAfterRestart(stamp, { now: clock.now, intervalMs: 1000 });
    const asked: DigestAlgorithm[] = [];
    const digestOf = async (alg: DigestAlgorithm) => {
      asked.push(alg);
      return alg === 'SM3' ? sm3Digest(key) : sha256Hex(key);
    };
    original.localSystems[0]!.apiKeys.push(await sha256Form(newApiKey()));
    writeFileSync(file, JSON.stringify(original));
    clock.advance(1);
    expect(await accepts(digestOf)).toBe(false);
    expect(asked).toEqual(['SHA-256']);
    original.localSystems[0]!.apiKeys.push(sm3Digest(key));
    writeFileSync(file, JSON.stringify(original));
    clock.advance(1);
    asked.length = 0;
    expect(await accepts(digestOf)).toBe(true);
    expect(asked).toContain('SM3');
  });
});

describe('yrdx keys api-key --digest', () => {
  const printed = async (args: string[]) => {
    const run = await cli(['keys', 'api-key', '--json', ...args]);
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { key: string; hash: string };
  };

  it('prints sha256 by default, sm3 when asked or when --config names a gm node', async () => {
    const plain = await printed([]);
    expect(plain.hash).toBe(await sha256Form(plain.key));
    const asked = await printed(['--digest', 'sm3']);
    expect(asked.hash).toBe(sm3Digest(asked.key));
    const file = join(copyConfig(), 'node.json');
    expect((await printed(['--config', file])).hash).toMatch(/^sha256:/);
    writeFileSync(
      file,
      JSON.stringify({ ...base, cryptoProfile: 'gm', keys: { source: 'file', algorithm: 'SM2' } }),
    );
    const gm = await printed(['--config', file]);
    expect(gm.hash).toBe(sm3Digest(gm.key));
    // What it prints is what the configuration accepts and authenticates.
    const config = configWith([[gm.hash]]);
    expect((await authenticateLocal(`Bearer ${gm.key}`, config.localSystems)).id).toBe('system-0');
    expect((await printed(['--config', file, '--digest', 'sha256'])).hash).toMatch(/^sha256:/);
  });

  it('refuses another digest name in both languages', async () => {
    const zh = await cli(['keys', 'api-key', '--digest', 'md5']);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain('--digest 应为 sm3 或 sha256');
    const en = await cli(['keys', 'api-key', '--digest', 'md5'], { env: { YRDX_LANG: 'en' } });
    expect(en.stderr).toContain('--digest must be sm3 or sha256');
  });
});
