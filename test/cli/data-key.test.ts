import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isYrdxError } from '../../src/errors/errors.js';
import { createKeyring, type KeyringDocument } from '../../src/keys/keyring.js';
import { loadKeyring } from '../../src/runtime/node/boot.js';
import { loadConfigFile } from '../../src/runtime/node/config-file.js';
import { cli } from '../helpers/cli.js';
import { tempDir, writeJson } from '../helpers/tmp.js';

const dir = tempDir('yrdx-data-key-');
let n = 0;

/** A node configuration in a directory of its own; keys from a file unless `keys` says. */
function nodeConfig(extra: Record<string, unknown> = {}): { file: string; dataDir: string } {
  const dataDir = join(dir, `node-${++n}`);
  const file = writeJson(join(dir, `node-${n}.json`), {
    id: '330500',
    name: '湖州市',
    province: 'zj',
    publicUrl: 'http://127.0.0.1:8787',
    dataDir,
    keys: { source: 'file', algorithm: 'ES256' },
    partners: [],
    ...extra,
  });
  return { file, dataDir };
}

const keyringFile = (dataDir: string) => {
  mkdirSync(join(dataDir, 'keys'), { recursive: true });
  return join(dataDir, 'keys', 'keyring.json');
};
const readDoc = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as KeyringDocument;
const withoutDataKeys = ({ dataKeys: _d, ...doc }: KeyringDocument) => doc;
const boot = (file: string, env: NodeJS.ProcessEnv = {}) =>
  loadKeyring(loadConfigFile(file), { env, now: Date.now });

describe('data keys from the key source', () => {
  it('are made with a new node’s first keys, by the profile’s algorithm', async () => {
    const intl = nodeConfig();
    expect((await boot(intl.file)).keyring.dataKeys?.active.aead.name).toBe('A256GCM');
    const gm = nodeConfig({ keys: { source: 'file', algorithm: 'SM2' }, cryptoProfile: 'gm' });
    expect((await boot(gm.file)).keyring.dataKeys?.active.aead.name).toBe('SM4-GCM');
    const [key] = readDoc(keyringFile(gm.dataDir)).dataKeys!;
    expect(key).toMatchObject({ alg: 'SM4-GCM', state: 'active' });
    expect(Buffer.from(key!.key, 'base64url')).toHaveLength(16);
  });

  it('are added to a writable keyring without one, and a profile change retires the other algorithm’s key', async () => {
    const node = nodeConfig({ keys: { source: 'file', algorithm: 'SM2' } });
    const doc = await createKeyring('330500', 'SM2', Date.now(), null, 'AES-256-GCM');
    writeJson(keyringFile(node.dataDir), withoutDataKeys(doc));
    const logged: string[] = [];
    const first = await loadKeyring(loadConfigFile(node.file), {
      env: {},
      now: Date.now,
      log: (m) => logged.push(m),
    });
    expect(first.keyring.dataKeys?.active.aead.name).toBe('A256GCM');
    expect(logged).toContain('generated a data key for encryption at rest');
    // The node moves to the national profile: an SM4 key becomes active, the AES key is kept to read.
    writeJson(node.file, { ...JSON.parse(readFileSync(node.file, 'utf8')), cryptoProfile: 'gm' });
    const second = await boot(node.file);
    const stored = readDoc(keyringFile(node.dataDir)).dataKeys!;
    expect(stored.map((k) => [k.alg, k.state])).toEqual([
      ['AES-256-GCM', 'retired'],
      ['SM4-GCM', 'active'],
    ]);
    expect(second.keyring.dataKeys?.find(stored[0]!.id)).toBeDefined();
  });

  it('missing from a read-only key source stop the node with the command that makes one', async () => {
    const node = nodeConfig({ keys: { source: 'env', variable: 'YRDX_NODE_KEYS' } });
    const doc = withoutDataKeys(await createKeyring('330500', 'ES256', Date.now()));
    const refused = await boot(node.file, { YRDX_NODE_KEYS: JSON.stringify(doc) }).catch((e: unknown) => e);
    expect(isYrdxError(refused) && refused.code).toBe('data_key_missing');
    if (!isYrdxError(refused)) return;
    expect(refused.detail('zh')).toContain('yrdx data-key rotate --keys FILE');
    expect(refused.detail('zh')).toContain('环境变量 YRDX_NODE_KEYS');
    expect(refused.detail('en')).toContain('AES-256-GCM');

    // The operator runs the command on a copy and puts it back: the node starts.
    const copy = writeJson(join(dir, 'copy.json'), doc);
    const rotated = await cli(['data-key', 'rotate', '--config', node.file, '--keys', copy], {
      env: { YRDX_LANG: 'en' },
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/^dk-\d{8}-[0-9a-f]{8} \(AES-256-GCM\) is now the active data key\n/);
    const booted = await boot(node.file, { YRDX_NODE_KEYS: readFileSync(copy, 'utf8') });
    expect(booted.keyring.dataKeys?.active.aead.name).toBe('A256GCM');
  });

  it('are refused when malformed, naming each fault', async () => {
    const node = nodeConfig();
    const doc = await createKeyring('330500', 'ES256', Date.now());
    const key = doc.dataKeys![0]!;
    writeJson(keyringFile(node.dataDir), {
      ...doc,
      dataKeys: [
        key,
        { ...key, state: 'active' },
        { ...key, id: 'short', key: 'AAAA' },
        { ...key, id: 'x', alg: 'DES' },
      ],
    });
    const refused = await boot(node.file).catch((e: unknown) => e);
    expect(isYrdxError(refused) && refused.code).toBe('keys_invalid');
    const detail = isYrdxError(refused) ? refused.detail('en') : '';
    expect(detail).toContain(`the data key ${key.id} appears twice`);
    expect(detail).toContain('`dataKeys[2].key` must be 32 bytes as base64url');
    expect(detail).toContain('`dataKeys[3].alg` must be "SM4-GCM" or "AES-256-GCM"');
  });
});

describe('yrdx data-key', () => {
  it('lists the data keys without their key material', async () => {
    const node = nodeConfig();
    await boot(node.file);
    const listed = await cli(['data-key', 'list', '--config', node.file]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^数据密钥标识.*\ndk-\d{8}-[0-9a-f]{8}\s+AES-256-GCM\s+启用/);
    const json = await cli(['data-key', 'list', '--config', node.file, '--json']);
    const [entry] = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entry).not.toHaveProperty('key');
    expect(json.stdout).not.toContain(readDoc(keyringFile(node.dataDir)).dataKeys![0]!.key);
  });

  it('rotates in the node’s key file: the old key retired and kept', async () => {
    const node = nodeConfig();
    await boot(node.file);
    const before = readDoc(keyringFile(node.dataDir));
    const rotated = await cli(['data-key', 'rotate', '--config', node.file, '--json']);
    expect(rotated.status, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout) as { activated: string; retired: string };
    expect(result.retired).toBe(before.dataKeys![0]!.id);
    const after = readDoc(keyringFile(node.dataDir));
    expect(after.keys).toEqual(before.keys);
    expect(after.dataKeys!.map((k) => [k.id, k.state])).toEqual([
      [result.retired, 'retired'],
      [result.activated, 'active'],
    ]);
  });

  it('refuses to rotate keys it cannot write, and to take a bad batch size', async () => {
    const node = nodeConfig({ keys: { source: 'env', variable: 'YRDX_NODE_KEYS' } });
    const refused = await cli(['data-key', 'rotate', '--config', node.file], { env: { YRDX_LANG: 'en' } });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^key_rotation_refused: .*YRDX_NODE_KEYS.*yrdx data-key rotate --keys FILE/,
    );
    const batch = await cli(['data-key', 'rotate', '--config', node.file, '--batch', '0']);
    expect(batch.status).toBe(2);
  });

  it('has help in both languages', async () => {
    const zh = await cli(['data-key', 'rotate', '--help']);
    expect(zh.stdout).toContain('yrdx data-key rotate [--config FILE] [--keys FILE] [--rewrap]');
    expect(zh.stdout).toContain('重新加密');
    const en = await cli(['data-key', '--help'], { env: { YRDX_LANG: 'en' } });
    expect(en.stdout).toContain('yrdx data-key list');
  });
});
