import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/envelope/digest.js';
import { secretDigest } from '../../src/envelope/secret-digest.js';
import { loadStampedConfigFile } from '../../src/runtime/node/config-file.js';
import { acceptedAfterRestart } from '../../src/runtime/node/config-watch.js';
import { newApiKey } from '../../src/runtime/node/federation-config.js';
import { type LiveNode, startNodes } from '../helpers/live-nodes.js';
import { FakeClock } from '../helpers/nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Issue 18: after the configuration file is edited without a restart, a key the edited file accepts
 * is refused with the hint that the node has not been restarted (`auth_key_not_loaded`), on a real
 * node whose real configuration file is edited; a key that neither accepts stays `auth_invalid`.
 */
let huzhou: LiveNode;
const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const dir = tempDir('yrdx-restart-hint-');

beforeAll(async () => {
  [huzhou] = (await startNodes(
    [
      {
        id: '330500',
        name: '湖州市',
        province: 'zj',
        mode: 'pull',
        log: (level, msg, fields) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
      },
    ],
    dir,
  )) as [LiveNode];
}, patient(30_000));
afterAll(async () => {
  await huzhou?.stop();
});

const inbox = (key: string, lang?: string) =>
  fetch(`${huzhou.url}/v1/inbox/messages${lang ? `?lang=${lang}` : ''}`, {
    headers: { authorization: `Bearer ${key}`, ...(lang ? { 'accept-language': lang } : {}) },
  });

describe('a key added to the configuration file while the node runs', () => {
  it('is refused with the restart hint; other keys stay auth_invalid; the change is logged once', async () => {
    const added = newApiKey();
    const stranger = newApiKey();
    expect((await inbox(huzhou.apiKey)).status).toBe(200);

    const file = join(dir, '330500', 'node.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as {
      localSystems: { apiKeys: string[] }[];
    };
    config.localSystems[0]!.apiKeys.push(`sha256:${await sha256Hex(added)}`);
    writeFileSync(file, JSON.stringify(config, null, 2));

    const refused = await inbox(added);
    expect(refused.status).toBe(401);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe('auth_key_not_loaded');
    expect(problem.detail).toContain('配置文件已修改但节点尚未重启');
    const english = (await (await inbox(added, 'en')).json()) as { detail: string };
    expect(english.detail).toContain('has not been restarted');

    expect(((await (await inbox(stranger)).json()) as { code: string }).code).toBe('auth_invalid');
    // The loaded configuration still holds: the old key still works.
    expect((await inbox(huzhou.apiKey)).status).toBe(200);
    const warned = logs.filter((l) => l.msg.includes('configuration file changed'));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.fields?.config).toBe(file);
  });
});

describe('how often the file is looked at', () => {
  it('at most once per interval however many keys are refused, and again after it', async () => {
    const folder = tempDir('yrdx-restart-probe-');
    const file = join(folder, 'node.json');
    const original = readFileSync(join(dir, '330500', 'node.json'), 'utf8');
    writeFileSync(file, original);
    const { stamp } = loadStampedConfigFile(file);
    const clock = new FakeClock();
    const accepts = acceptedAfterRestart(stamp, { now: clock.now, intervalMs: 5000 });
    const apiKey = newApiKey();
    const key = await sha256Hex(apiKey);
    const digestOf = (alg: 'SHA-256' | 'SM3') => secretDigest(apiKey, alg);
    expect(await accepts(digestOf)).toBe(false);
    const config = JSON.parse(original) as { localSystems: { apiKeys: string[] }[] };
    config.localSystems[0]!.apiKeys.push(`sha256:${key}`);
    writeFileSync(file, JSON.stringify(config));
    // Within the interval the file is not looked at again…
    clock.advance(4);
    expect(await accepts(digestOf)).toBe(false);
    // …after it, the change is seen; an unchanged file is not read again.
    clock.advance(1);
    expect(await accepts(digestOf)).toBe(true);
    // Back to what the node loaded: nothing to hint.
    writeFileSync(file, original);
    clock.advance(5);
    expect(await accepts(digestOf)).toBe(false);
  });
});
