import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../src/runtime/cli/federation-text.js';
import { cli } from './helpers/cli.js';
import { ROOT } from './helpers/node-process.js';
import { patient } from './helpers/patience.js';
import { alive, commandLine, descendants } from './helpers/processes.js';

/**
 * The README's federation walkthrough, command by command, exactly as written there: the commands
 * are the ```sh blocks after a `<!-- walkthrough -->` comment (`<!-- walkthrough: keeps running -->`
 * marks the one that runs in a second terminal), in README.md and — the same commands — in
 * README.en.md. They run with bash in a fresh folder that sees the checkout's bin/, dist/,
 * node_modules/ and contracts/ (as a clone after `npm install` does); nothing in them is replaced. The
 * last command is run again until the message has arrived, as a person would run it again.
 */
interface Step {
  readonly command: string;
  readonly keepsRunning: boolean;
}

function walkthrough(file: string): Step[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const steps: Step[] = [];
  for (const m of text.matchAll(/<!-- walkthrough(: keeps running)? -->\n```sh\n([\s\S]*?)\n```/g))
    steps.push({ command: m[2]!, keepsRunning: m[1] !== undefined });
  return steps;
}

const STEPS = walkthrough('README.md');
const WORK = mkdtempSync(join(tmpdir(), 'yrdx-walkthrough-'));
let up: ChildProcess | undefined;
let upOutput = '';

function run(command: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { cwd: WORK, timeout: patient(60_000) }, (error, stdout, stderr) =>
      resolve({
        status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
        stdout,
        stderr,
      }),
    );
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  for (const name of ['bin', 'dist', 'node_modules', 'contracts'])
    symlinkSync(join(ROOT, name), join(WORK, name));
  // The README's addresses are the defaults 8801–8804: a federation already running here would answer instead.
  for (const port of [8801, 8802, 8803, 8804])
    expect(await portFree(port), `port ${port} is in use; the walkthrough needs 8801–8804`).toBe(true);
});

afterAll(async () => {
  if (up?.pid !== undefined && up.exitCode === null && up.signalCode === null) {
    process.kill(-up.pid, 'SIGKILL');
  }
  rmSync(WORK, { recursive: true, force: true });
});

describe('the README federation walkthrough', () => {
  it('is the same command sequence in README.md and README.en.md', () => {
    expect(STEPS.length).toBeGreaterThanOrEqual(4);
    expect(walkthrough('README.en.md')).toEqual(STEPS);
    expect(STEPS.filter((s) => s.keepsRunning)).toHaveLength(1);
  });

  it(
    'delivers a Zhejiang-dialect request from Huzhou to Suzhou, read there in the Jiangsu dialect',
    async () => {
      const outputs: string[] = [];
      for (const [i, step] of STEPS.entries()) {
        if (step.keepsRunning) {
          up = spawn('bash', ['-c', step.command], {
            cwd: WORK,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          up.stdout?.on('data', (c: Buffer) => {
            upOutput += c.toString();
          });
          up.stderr?.on('data', (c: Buffer) => {
            upOutput += c.toString();
          });
          const ready = say('zh', 'allReady', { count: 4 });
          const until = Date.now() + patient(90_000);
          while (!upOutput.includes(ready)) {
            if (up.exitCode !== null) throw new Error(`"${step.command}" exited:\n${upOutput}`);
            if (Date.now() > until) throw new Error(`"${step.command}" not ready:\n${upOutput}`);
            await new Promise((r) => setTimeout(r, 100));
          }
          outputs.push(upOutput);
          continue;
        }
        const last = i === STEPS.length - 1;
        const until = Date.now() + patient(15_000);
        for (;;) {
          const result = await run(step.command);
          expect(result.status, `${step.command}\n${result.stderr}`).toBe(0);
          const arrived = !last || (JSON.parse(result.stdout) as { items: unknown[] }).items.length > 0;
          if (arrived || Date.now() > until) {
            outputs.push(result.stdout);
            break;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }

      // init: one line per city with its API key, shown once.
      expect(outputs[0]).toContain('330500 湖州市');
      expect(outputs[0]).toContain('320500 苏州市');
      // up: one line per node with its address.
      expect(outputs[1]).toContain('320500 苏州市  http://127.0.0.1:8802');

      const submit = STEPS.find((s) => s.command.includes('/v1/messages '))!.command;
      const example = submit.match(/contracts\/\S+\/dialects\/zj\/examples\/[\w-]+\.json/)![0];
      const accepted = JSON.parse(outputs[2]!) as { id: string; status: string; recipients: string[] };
      expect(accepted.recipients).toEqual(['320500']);

      const page = JSON.parse(outputs.at(-1)!) as {
        items: { messageId: string; sender: string; type: string; body: unknown; losses: string[] }[];
      };
      expect(page.items).toHaveLength(1);
      const item = page.items[0]!;
      expect(item).toMatchObject({
        messageId: accepted.id,
        sender: '330500',
        type: 'assistance-request',
        losses: [],
      });
      // The body is the example translated into the Jiangsu dialect, every fact intact.
      const translated = await cli([
        'translate',
        '--domain',
        'food-safety',
        '--version',
        example.split('/')[2]!,
        '--from',
        'zj',
        '--to',
        'js',
        '--type',
        'assistance-request',
        join(ROOT, example),
      ]);
      expect(translated.status, translated.stderr).toBe(0);
      // …plus what the Jiangsu dialect takes from the envelope: the sender's name (`provenance: sender-name`).
      expect(item.body).toEqual({ ...JSON.parse(translated.stdout), data_source: '湖州市' });
      const original = JSON.parse(readFileSync(join(ROOT, example), 'utf8')) as { punish_case_code: string };
      expect(item.body).toMatchObject({ case_no: original.punish_case_code });
    },
    patient(180_000),
  );

  it(
    'stops every node when `federation up` is stopped, leaving none behind',
    async () => {
      expect(up?.pid).toBeDefined();
      const pid = up!.pid!;
      const processes = descendants(pid);
      const nodes = [];
      for (const p of processes) if (commandLine(p).includes('dist/src/runtime/node.js')) nodes.push(p);
      expect(nodes).toHaveLength(4);
      const exited = new Promise<number | null>((resolve) => up!.once('exit', (code) => resolve(code)));
      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      for (const p of processes) expect(alive(p), `process ${p}`).toBe(false);
      expect(upOutput).toContain(say('zh', 'stopped'));
    },
    patient(60_000),
  );
});
