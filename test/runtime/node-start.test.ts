import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyConfig } from '../helpers/tmp.js';

/** Runs the entry that `npm start` runs, as a real process on 127.0.0.1, and asks it over HTTP. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function start(
  config: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number; logs: () => string }> {
  const child = spawn(process.execPath, ['dist/src/runtime/node.js'], {
    env: { ...process.env, YRDX_CONFIG: config, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let logs = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      logs += chunk.toString();
      const match = logs.match(/"port":(\d+).*"msg":"yrdx node listening"/);
      if (match) resolve({ child, port: Number(match[1]), logs: () => logs });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      logs += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${logs}`)));
  });
}

describe('npm start', () => {
  it('serves both well-known endpoints on first run, generating keys without logging them', async () => {
    const config = join(copyConfig(), 'node.json');
    const { child, port, logs } = await start(config);
    const jwks = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    const body = (await jwks.json()) as { keys: { kid: string }[] };
    expect(body.keys).toHaveLength(2);
    const node = await fetch(`http://127.0.0.1:${port}/.well-known/yrdx-node`);
    expect(await node.json()).toMatchObject({
      id: '330500',
      name: '湖州市',
      contracts: [
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
      ],
    });
    expect(logs()).toContain('generated this node’s first keys');
    expect(logs()).not.toMatch(/"d":/);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start on an invalid configuration, naming the file and pointer', async () => {
    const dir = copyConfig();
    const bad = join(dir, 'federation', '330500.json');
    // the federation configuration names partner JWKS files that do not exist yet
    await expect(start(bad)).rejects.toThrow(
      /config_invalid[\s\S]*330500\.json#\/partners\/0\/keys\/jwksFile/,
    );
  });
});
