import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressWarning, DEFAULT_PORT, listenPort, portFromEnv } from '../../src/runtime/node/listen-port.js';
import { freePort } from '../helpers/free-port.js';
import { ROOT } from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { copyConfig } from '../helpers/tmp.js';

/** One source for a node's address: the port comes from a loopback publicUrl; PORT wins but is warned about. */
describe('the port a node listens on', () => {
  it('comes from a loopback publicUrl when PORT is unset, else 8787', () => {
    expect(listenPort('http://127.0.0.1:8802', undefined)).toBe(8802);
    expect(listenPort('http://localhost:9000', undefined)).toBe(9000);
    expect(listenPort('http://[::1]:9001', undefined)).toBe(9001);
    expect(listenPort('http://127.0.0.1', undefined)).toBe(80);
    expect(listenPort('https://yrdx.huzhou.example', undefined)).toBe(DEFAULT_PORT);
    expect(listenPort('https://yrdx.huzhou.example:8443', undefined)).toBe(DEFAULT_PORT);
    expect(listenPort('http://127.0.0.1:8802', 9999)).toBe(9999);
  });

  it('refuses a PORT that is not a port number, in the language of YRDX_LANG', () => {
    expect(portFromEnv({}, 'zh')).toBeUndefined();
    expect(portFromEnv({ PORT: '' }, 'zh')).toBeUndefined();
    expect(portFromEnv({ PORT: '0' }, 'zh')).toBe(0);
    expect(() => portFromEnv({ PORT: '88O1' }, 'zh')).toThrow('PORT 应为 0–65535 的端口号，而不是 "88O1"');
    expect(() => portFromEnv({ PORT: '70000' }, 'en')).toThrow(
      'PORT must be a port number from 0 to 65535, not "70000"',
    );
  });

  it('warns only when a loopback publicUrl names another port than the one listened on', () => {
    expect(addressWarning('http://127.0.0.1:8801', 8801, 'a.json', 'zh')).toBeUndefined();
    expect(addressWarning('https://yrdx.huzhou.example', 8787, 'a.json', 'zh')).toBeUndefined();
    expect(addressWarning('http://127.0.0.1:8801', 8802, 'a.json', 'zh')).toContain(
      '配置文件 a.json 的 publicUrl http://127.0.0.1:8801 指向本机端口 8801，本节点却监听端口 8802',
    );
    expect(addressWarning('http://127.0.0.1:8801', 8802, 'a.json', 'en')).toContain(
      'names local port 8801, but this node listens on port 8802',
    );
  });
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** `node dist/src/runtime/node.js` for a copy of config/node.json with its publicUrl on `port`. */
function start(
  port: number,
  env: Record<string, string>,
  until: (logs: string) => boolean,
): Promise<() => string> {
  const dir = copyConfig();
  const file = join(dir, 'node.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, publicUrl: `http://127.0.0.1:${port}` }));
  const { PORT: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ['dist/src/runtime/node.js'], {
    cwd: ROOT,
    env: { ...inherited, YRDX_CONFIG: file, HOST: '127.0.0.1', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const state = { logs: '' };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not there:\n${state.logs}`)), patient(30_000));
    const onData = (chunk: Buffer) => {
      state.logs += chunk.toString();
      if (until(state.logs)) {
        clearTimeout(timer);
        resolve(() => state.logs);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${state.logs}`)));
  });
}

describe('a node started without PORT', () => {
  it(
    'listens on its loopback publicUrl port; with another PORT it says where partners will send',
    async () => {
      const [derived, other, listening] = [await freePort(), await freePort(), await freePort()];
      const warning = `指向本机端口 ${other}，本节点却监听端口 ${listening}`;
      const [quiet, warned] = await Promise.all([
        start(derived, {}, (logs) => logs.includes('yrdx node listening')),
        start(other, { PORT: String(listening) }, (logs) => logs.includes(warning)),
      ]);
      expect(quiet()).toContain(`"port":${derived}`);
      // After a round trip, anything written at start (a warning follows the listening line) is in.
      expect((await fetch(`http://127.0.0.1:${derived}/healthz`)).status).toBe(200);
      expect(quiet()).not.toContain('publicUrl http');
      expect(warned()).toContain(`"port":${listening}`);
      expect((await fetch(`http://127.0.0.1:${listening}/healthz`)).status).toBe(200);
    },
    patient(90_000),
  );
});
