import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the benchmarks' child processes run from here. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The yrdx node the exchange benchmarks start (`npm run build` writes it). */
export const ENTRY = join(ROOT, 'dist', 'src', 'runtime', 'node.js');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function checkBuilt(): void {
  if (!existsSync(ENTRY)) throw new Error(`bench: ${ENTRY} is missing: run \`npm run build\` first`);
}

/** Every child still running, killed when this process exits however it exits. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Child {
  readonly process: ChildProcess;
  output(): string;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(args: readonly string[], env: Record<string, string>): Child {
  // A node keeps SQLite unless its benchmark passes a DATABASE_URL.
  const { DATABASE_URL: _, ...inherited } = process.env;
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  return {
    process: proc,
    output: () => tail,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
