import type { Io } from '../../src/runtime/cli/output.js';
import { runCli } from '../../src/runtime/cli.js';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the yrdx CLI in-process with captured output. */
export async function cli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; now?: () => number; stdin?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    env: options.env ?? {},
    now: options.now ?? Date.now,
    stdin: async () => options.stdin ?? '',
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}
