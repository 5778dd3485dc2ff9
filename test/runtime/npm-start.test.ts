import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { ROOT } from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { alive, commandLine, descendants } from '../helpers/processes.js';
import { copyConfig, tempDir } from '../helpers/tmp.js';

/** `npm start`: no build on start, a clear line when dist/ is older than a source, and no node left behind. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(-child.pid, 'SIGKILL');
});

describe('npm start', () => {
  it(
    'starts the built node at once, and stopping npm stops the node',
    async () => {
      const port = await freePort();
      const file = join(copyConfig(), 'node.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...config, publicUrl: `http://127.0.0.1:${port}` }));
      const { PORT: _, ...inherited } = process.env;
      // Its own process group, so the test can clean up whatever is left; npm is sent SIGTERM alone.
      const npm = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...inherited, YRDX_CONFIG: file, DATABASE_URL: '', npm_config_update_notifier: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      children.push(npm);
      let logs = '';
      npm.stdout.on('data', (c: Buffer) => {
        logs += c.toString();
      });
      npm.stderr.on('data', (c: Buffer) => {
        logs += c.toString();
      });
      const until = Date.now() + patient(30_000);
      while (!logs.includes('yrdx node listening')) {
        if (npm.exitCode !== null) throw new Error(`npm start exited:\n${logs}`);
        if (Date.now() > until) throw new Error(`npm start not listening:\n${logs}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // No tsc ran: npm's only work was the node itself.
      const below = descendants(npm.pid!);
      const commands = below.map(commandLine);
      expect(commands.some((c) => c.includes('scripts/start.mjs'))).toBe(true);
      expect(commands.some((c) => c.includes('tsc'))).toBe(false);
      expect(logs).toContain(`"port":${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      npm.kill('SIGTERM');
      const stopped = Date.now() + patient(15_000);
      while (below.some(alive) && Date.now() < stopped) await new Promise((r) => setTimeout(r, 100));
      expect(below.filter(alive)).toEqual([]);
      expect(logs).toContain('"signal":"parent exited"');
    },
    patient(60_000),
  );

  it('refuses to start from a dist/ older than a source, naming it, and starts once it is rebuilt', () => {
    // A small checkout: scripts/start.mjs with one source, one contract file and their build.
    const root = tempDir();
    for (const dir of ['scripts', 'src/runtime', 'contracts/x', 'dist/src/runtime', 'dist/contracts/x'])
      mkdirSync(join(root, dir), { recursive: true });
    cpSync(join(ROOT, 'scripts', 'start.mjs'), join(root, 'scripts', 'start.mjs'));
    writeFileSync(join(root, 'src', 'runtime', 'node.ts'), '');
    writeFileSync(join(root, 'contracts', 'x', 'c.json'), '{}');
    writeFileSync(join(root, 'dist', 'contracts', 'x', 'c.json'), '{}');
    writeFileSync(
      join(root, 'dist', 'src', 'runtime', 'node.js'),
      "console.log('node', process.env.YRDX_STOP_WITH_PARENT);\n",
    );
    const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
    const start = (env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs')], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });

    at('src/runtime/node.ts', 1_000);
    at('contracts/x/c.json', 1_000);
    at('dist/src/runtime/node.js', 2_000);
    at('dist/contracts/x/c.json', 2_000);
    expect(start()).toMatchObject({ status: 0, stdout: 'node 1\n' });

    at('src/runtime/node.ts', 3_000);
    const stale = start();
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe(
      'yrdx: src/runtime/node.ts 比编译结果 dist/src/runtime/node.js 新；请先运行 npm run build（npm start 不再自动编译）\n',
    );
    at('src/runtime/node.ts', 1_000);
    at('contracts/x/c.json', 3_000);
    expect(start({ YRDX_LANG: 'en' }).stderr).toBe(
      'yrdx: contracts/x/c.json is newer than its build dist/contracts/x/c.json; run npm run build first (npm start no longer builds)\n',
    );
  });
});
