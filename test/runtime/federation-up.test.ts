import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { say } from '../../src/runtime/cli/federation-text.js';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { ROOT } from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { alive, descendants } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** `yrdx federation up` as a real process: its nodes live and die with it, and no node outlives it. */
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started)
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
});

/** Two consecutive free ports on 127.0.0.1. */
async function basePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await portFree(port + 1))) return port;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function up(): Promise<{ child: ChildProcess; output: () => string; nodes: number[] }> {
  const dir = join(tempDir(), 'fed');
  const init = await cli([
    'federation',
    'init',
    '--nodes',
    '330500,320500',
    '--base-port',
    String(await basePort()),
    '--dir',
    dir,
  ]);
  expect(init.status, init.stderr).toBe(0);
  const child = spawn(process.execPath, ['bin/yrdx.js', 'federation', 'up', '--dir', dir], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const until = Date.now() + patient(60_000);
  while (!output.includes(say('zh', 'allReady', { count: 2 }))) {
    if (child.exitCode !== null) throw new Error(`federation up exited:\n${output}`);
    if (Date.now() > until) throw new Error(`federation up not ready:\n${output}`);
    await sleep(100);
  }
  const nodes = descendants(child.pid!);
  expect(nodes).toHaveLength(2);
  return { child, output: () => output, nodes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gone(pids: readonly number[]): Promise<boolean> {
  const until = Date.now() + patient(15_000);
  while (pids.some(alive)) {
    if (Date.now() > until) return false;
    await sleep(100);
  }
  return true;
}

describe('yrdx federation up', () => {
  it(
    'prints one line per node, and stops every node and exits when one of them dies',
    async () => {
      const { child, output, nodes } = await up();
      expect(output()).toMatch(
        /330500 湖州市 {2}http:\/\/127\.0\.0\.1:\d+ {2}收件箱 http:\/\/127\.0\.0\.1:\d+\/v1\/inbox/,
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      process.kill(nodes[0]!, 'SIGKILL');
      expect(await exited).toBe(1);
      expect(await gone(nodes)).toBe(true);
      expect(output()).toContain('已退出（SIGKILL），正在停止其余节点');
    },
    patient(120_000),
  );

  it(
    'leaves no node running when it is killed outright (SIGKILL, nothing forwarded)',
    async () => {
      const { child, nodes } = await up();
      process.kill(child.pid!, 'SIGKILL');
      expect(await gone(nodes)).toBe(true);
    },
    patient(120_000),
  );
});
