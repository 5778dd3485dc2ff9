import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sm3Digest } from '../../src/envelope/digest.js';
import { TEXT } from '../../src/runtime/cli/federation-text.js';
import { nodeApp } from '../../src/runtime/node/app.js';
import { bootNode } from '../../src/runtime/node/boot.js';
import { loadConfigFile } from '../../src/runtime/node/config-file.js';
import { startExchange } from '../../src/runtime/node/exchange.js';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/live-nodes.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/** `yrdx federation init`: what it writes, what it prints once, and what it refuses. */
interface Config {
  id: string;
  name: string;
  province: string;
  publicUrl: string;
  localSystems: { id: string; dialect: string; apiKeys: string[]; delivery: { mode: string } }[];
  partners: { id: string; baseUrl: string; keys: { jwks: { keys: { kid: string }[] } } }[];
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Config;

describe('yrdx federation init', () => {
  it('writes keys, configurations that pin each other and one pull-mode local system per node', async () => {
    const dir = join(tempDir(), 'fed');
    const result = await cli([
      'federation',
      'init',
      '--nodes',
      '330500,320500,340100',
      '--base-port',
      '9301',
      '--dir',
      dir,
    ]);
    expect(result.status, result.stderr).toBe(0);
    const ids = ['330500', '320500', '340100'];
    const configs = ids.map((id) => read(join(dir, `${id}.json`)));
    expect(configs.map((c) => [c.name, c.province, c.publicUrl])).toEqual([
      ['湖州市', 'zj', 'http://127.0.0.1:9301'],
      ['苏州市', 'js', 'http://127.0.0.1:9302'],
      ['合肥市', 'ah', 'http://127.0.0.1:9303'],
    ]);
    for (const [i, config] of configs.entries()) {
      // Valid for the node's own loader, with every partner's baseUrl at that partner's publicUrl.
      expect(loadConfigFile(join(dir, `${ids[i]}.json`)).id).toBe(ids[i]);
      for (const partner of config.partners) {
        const other = configs.find((c) => c.id === partner.id)!;
        expect(partner.baseUrl).toBe(other.publicUrl);
        const keyring = JSON.parse(
          readFileSync(join(dir, 'data', other.id, 'keys', 'keyring.json'), 'utf8'),
        ) as {
          keys: { kid: string }[];
        };
        expect(partner.keys.jwks.keys.map((k) => k.kid).sort()).toEqual(
          keyring.keys.map((k) => k.kid).sort(),
        );
      }
      // The API key: printed once, kept 0600 for the walkthrough; the configuration holds its hash only.
      const [system] = config.localSystems;
      expect(system).toMatchObject({
        id: `${ids[i]}-case`,
        dialect: config.province,
        delivery: { mode: 'pull' },
      });
      const keyFile = join(dir, 'api-keys', ids[i]!);
      const key = readFileSync(keyFile, 'utf8').trim();
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(system!.apiKeys).toEqual([`sha256:${await sha256Hex(key)}`]);
      expect(readFileSync(join(dir, `${ids[i]}.json`), 'utf8')).not.toContain(key);
      expect(result.stdout).toContain(`API 密钥 ${key}`);
    }
    expect(result.stdout).toContain('320500 苏州市  http://127.0.0.1:9302');
    expect(statSync(join(dir, 'data', '330500', 'keys', 'keyring.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses to overwrite a federation unless --force, which replaces its keys', async () => {
    const dir = join(tempDir(), 'fed');
    const args = ['federation', 'init', '--nodes', '330500,320500', '--dir', dir];
    expect((await cli(args)).status).toBe(0);
    const before = readFileSync(join(dir, 'data', '330500', 'keys', 'keyring.json'), 'utf8');
    const again = await cli(args);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('已有本地联邦');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'data', '330500', 'keys', 'keyring.json'), 'utf8')).toBe(before);
    const forced = await cli([...args, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'data', '330500', 'keys', 'keyring.json'), 'utf8')).not.toBe(before);
  });

  it('names an unknown city with the closest codes, in English under YRDX_LANG=en', async () => {
    const dir = join(tempDir(), 'fed');
    const zh = await cli(['federation', 'init', '--nodes', '330500,320501', '--dir', dir]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain('320501 不是长三角 41 个城市之一的区划代码；是否要找 320500 苏州市');
    const en = await cli(['federation', 'init', '--nodes', '330500,320501', '--dir', dir], {
      env: { YRDX_LANG: 'en' },
    });
    expect(en.stderr).toContain(
      "320501 is not the division code of one of the Delta's 41 cities; did you mean 320500 Suzhou",
    );
    expect((await cli(['federation', 'init', '--nodes', '330500,330500', '--dir', dir])).stderr).toContain(
      '不止一次',
    );
    expect((await cli(['federation', 'init', '--base-port', '65535', '--dir', dir])).stderr).toContain(
      '--base-port',
    );
  });

  it('prints English output under YRDX_LANG=en and help in both languages', async () => {
    const dir = join(tempDir(), 'fed');
    const en = await cli(['federation', 'init', '--nodes', '310000,340100', '--dir', dir], {
      env: { YRDX_LANG: 'en' },
    });
    expect(en.status, en.stderr).toBe(0);
    expect(en.stdout).toContain('310000 Shanghai  http://127.0.0.1:8801  local system 310000-case  API key ');
    expect(en.stdout).not.toMatch(/[\u4e00-\u9fff]/);
    const groupHelp = (await cli(['federation', '--help'])).stdout;
    expect(groupHelp).toContain(TEXT.zh['group:federation']);
    expect(groupHelp).toContain('yrdx federation init');
    expect(groupHelp).toContain('yrdx federation up');
    const upHelp = (await cli(['federation', 'up', '--help'], { env: { YRDX_LANG: 'en' } })).stdout;
    expect(upHelp).toContain(TEXT.en['help:federation up'].split('\n')[1]);
    expect(upHelp).toContain('--dir DIR');
    const missing = await cli(['federation', 'up', '--dir', join(tempDir(), 'none')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('先运行 npx yrdx federation init');
  });
});

/** Two consecutive ports on 127.0.0.1 that were free a moment ago (not 8801–8804, which the walkthrough uses). */
async function twoFreePorts(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port >= 65535) continue;
    const next = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 1, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (next) return port;
  }
}

describe('yrdx federation init --crypto-profile gm', () => {
  it(
    'writes SM2 keys and gm configurations, whose nodes exchange an SM2 message with an SM3 receipt',
    async () => {
      const dir = join(tempDir(), 'fed');
      const ids = ['330500', '320500'];
      const base = await twoFreePorts();
      const result = await cli([
        'federation',
        'init',
        '--nodes',
        ids.join(','),
        '--base-port',
        String(base),
        '--crypto-profile',
        'gm',
        '--dir',
        dir,
      ]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(TEXT.zh.initGm);
      for (const id of ids) {
        const config = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as {
          cryptoProfile?: string;
          localSystems: { apiKeys: string[] }[];
          partners: { cryptoProfile?: string; keys: { jwks: { keys: { crv?: string }[] } } }[];
        };
        expect(config.cryptoProfile).toBe('gm');
        // No SHA-256 of a secret on a gm node: the API key is kept as its SM3.
        const apiKey = readFileSync(join(dir, 'api-keys', id), 'utf8').trim();
        expect(config.localSystems[0]!.apiKeys).toEqual([sm3Digest(apiKey)]);
        for (const p of config.partners) {
          expect(p.cryptoProfile).toBe('gm');
          expect(p.keys.jwks.keys.every((k) => k.crv === 'SM2')).toBe(true);
        }
      }
      // The nodes started from those files, each on its publicUrl's port.
      const started = [];
      for (const id of ids) {
        const state = await bootNode(join(dir, `${id}.json`), { env: {}, now: Date.now });
        expect(state.keyring.signer.alg).toBe('SM2');
        const exchange = await startExchange(state, { idleMs: 20 });
        const app = nodeApp(state, exchange);
        const server = await new Promise<ServerType>((resolve) => {
          const s = serve(
            { fetch: app.fetch, port: Number(new URL(state.config.publicUrl).port), hostname: '127.0.0.1' },
            () => resolve(s),
          );
        });
        started.push({ id, state, exchange, server });
      }
      try {
        const [huzhou, suzhou] = started as [(typeof started)[0], (typeof started)[0]];
        const key = readFileSync(join(dir, 'api-keys', '330500'), 'utf8').trim();
        const body = JSON.parse(
          readFileSync('contracts/food-safety/2.1.0/dialects/zj/examples/notification.json', 'utf8'),
        ) as unknown;
        const res = await fetch(`${huzhou.state.config.publicUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ to: '320500', domain: 'food-safety', type: 'notification', body }),
        });
        expect(res.status, await res.clone().text()).toBe(202);
        const { id } = (await res.json()) as { id: string };
        const sent = await eventually(async () => {
          const o = await huzhou.exchange.deps.store.getOutbound(id);
          return o?.deliveries[0]?.status === 'delivered' ? o : undefined;
        });
        const alg = (token: string) =>
          (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg: string })
            .alg;
        expect(alg(sent.token)).toBe('SM2');
        expect(sent.sha256).toMatch(/^sm3:[0-9a-f]{64}$/);
        expect(alg(sent.deliveries[0]!.receipt!.token)).toBe('SM2');
        expect((await suzhou.exchange.deps.store.getInbound('330500', id))?.sha256).toBe(sent.sha256);
      } finally {
        for (const n of started) {
          await n.exchange.stop();
          await new Promise((resolve) => n.server.close(resolve));
        }
      }
    },
    patient(120_000),
  );

  it('refuses another profile', async () => {
    const dir = join(tempDir(), 'fed');
    const zh = await cli(['federation', 'init', '--crypto-profile', 'sm', '--dir', dir]);
    expect(zh.status).toBe(2);
    expect(zh.stderr).toContain('--crypto-profile 应为 international 或 gm，而不是 "sm"');
    const en = await cli(['federation', 'init', '--crypto-profile', 'sm', '--dir', dir], {
      env: { YRDX_LANG: 'en' },
    });
    expect(en.stderr).toContain('--crypto-profile must be international or gm, not "sm"');
  });
});
