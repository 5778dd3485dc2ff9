import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { killAllNodes, type NodeProcess, prepareNodes, ROOT } from '../helpers/node-process.js';
import { patient } from '../helpers/patience.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * How `npm start` and the CLI end when something outside them goes wrong: one clear line on
 * standard error, no stack, and the right exit status.
 */
afterAll(killAllNodes);

/** Runs `node dist/src/runtime/node.js` for a node's configuration on `port`; resolves when it exits. */
function runNode(
  node: NodeProcess,
  port: number,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['dist/src/runtime/node.js'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        YRDX_CONFIG: node.configFile,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('a node process that cannot start', () => {
  it(
    'refuses a data directory another node holds, naming it and the holder; the first keeps running',
    async () => {
      const [huzhou] = await prepareNodes(
        [{ id: '330500', name: '湖州市', province: 'zj', pushUrl: 'http://127.0.0.1:9/yrdx' }],
        tempDir('yrdx-lock-'),
      );
      await huzhou!.start();
      const second = await runNode(huzhou!, await freePort());
      expect(second.code).not.toBe(0);
      expect(second.code).not.toBeNull();
      const said = lines(second.stderr);
      expect(said, second.stderr).toHaveLength(1);
      expect(said[0]).toContain('data_dir_locked');
      expect(said[0]).toContain(huzhou!.dataDir);
      expect(said[0]).toContain(String(huzhou!.pid));
      expect(second.stderr).not.toMatch(/\n\s+at /);
      // The first still answers, and its store still works.
      expect(huzhou!.running).toBe(true);
      const jwks = await fetch(`${huzhou!.url}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      expect((await huzhou!.submit({})).status).toBe(422);
      // The CLI reads (and writes) the same store beside the running node: the lock is not on it.
      const audit = await cli(['audit', 'verify', '--config', huzhou!.configFile, '--json']);
      expect(audit.status, audit.stderr).toBe(0);
      await huzhou!.stop();
    },
    patient(120_000),
  );

  it(
    'says in one line, without a stack, that its port is in use',
    async () => {
      const [huzhou, suzhou] = await prepareNodes(
        [
          { id: '330500', name: '湖州市', province: 'zj', pushUrl: 'http://127.0.0.1:9/yrdx' },
          { id: '320500', name: '苏州市', province: 'js', pushUrl: 'http://127.0.0.1:9/yrdx' },
        ],
        tempDir('yrdx-port-'),
      );
      await huzhou!.start();
      const clash = await runNode(suzhou!, huzhou!.port);
      expect(clash.code).toBe(1);
      const said = lines(clash.stderr);
      expect(said, clash.stderr).toHaveLength(1);
      expect(said[0]).toContain('listen_failed');
      expect(said[0]).toContain(`127.0.0.1:${huzhou!.port}`);
      expect(clash.stderr).not.toMatch(/\n\s+at /);
      expect(huzhou!.running).toBe(true);
      // The node that could not listen left its data directory free.
      const [again] = [suzhou!];
      const port = await freePort();
      const retry = spawn(process.execPath, ['dist/src/runtime/node.js'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', YRDX_CONFIG: again.configFile, PORT: String(port) },
        stdio: 'ignore',
      });
      try {
        let answered = false;
        for (let i = 0; i < 300 && !answered; i++) {
          answered = await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`).then(
            (r) => r.ok,
            () => false,
          );
          if (!answered) await new Promise((r) => setTimeout(r, 100));
        }
        expect(answered).toBe(true);
      } finally {
        retry.kill('SIGKILL');
      }
      await huzhou!.stop();
    },
    patient(120_000),
  );
});

describe('the yrdx command', () => {
  it(
    'ends quietly when the reader of its output goes away (yrdx … | head -1)',
    async () => {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          'bash',
          // The status of yrdx, not of head.
          ['-c', `node bin/yrdx.js contracts test | head -1; exit "\${PIPESTATUS[0]}"`],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
        });
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(lines(result.stdout)).toHaveLength(1);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    patient(60_000),
  );
});
