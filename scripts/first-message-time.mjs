// Measures the README's promise: the time from `git clone` to the first message read on the other
// side, following the README's federation walkthrough.
//
//   node scripts/first-message-time.mjs [REPOSITORY] [-- INSTALL COMMAND…]
//
// Clones REPOSITORY (default: this checkout) into a temporary folder, runs the install command there
// (default `npm install`), then every walkthrough command of README.md (the Chinese README; README.en.md holds the same; ```sh blocks after
// `<!-- walkthrough -->`) exactly as written, the one marked "keeps running" in the background until
// its nodes are ready, and the last one again until the message is there. Prints the time of each
// step and the total, then stops the federation and removes the folder. Needs ports 8801–8804.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dash = process.argv.indexOf('--');
const args = dash === -1 ? process.argv.slice(2) : process.argv.slice(2, dash);
const install = dash === -1 ? 'npm install' : process.argv.slice(dash + 1).join(' ');
const repository = resolve(args[0] ?? fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'yrdx-first-message-'));
const clone = join(work, 'yrdx');
const began = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
let up;

function step(title, command, cwd = clone) {
  const at = Date.now();
  const stdout = execSync(command, {
    cwd,
    shell: '/bin/bash',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).toString();
  process.stdout.write(`${seconds(at).padStart(8)}  ${title}\n`);
  return stdout;
}

try {
  step(`git clone ${repository}`, `git clone --quiet ${JSON.stringify(repository)} yrdx`, work);
  step(install, install);
  const readme = readFileSync(join(clone, 'README.md'), 'utf8');
  const steps = [...readme.matchAll(/<!-- walkthrough(: keeps running)? -->\n```sh\n([\s\S]*?)\n```/g)].map(
    (m) => ({
      command: m[2],
      keepsRunning: m[1] !== undefined,
    }),
  );
  for (const [i, { command, keepsRunning }] of steps.entries()) {
    const title = command.split('\n')[0];
    if (keepsRunning) {
      const at = Date.now();
      up = spawn('bash', ['-c', command], {
        cwd: clone,
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      await new Promise((ready, fail) => {
        up.stdout.on('data', (chunk) => {
          output += chunk.toString();
          if (/已就绪|are ready/.test(output)) ready();
        });
        up.once('exit', (code) => fail(new Error(`${command} exited (${code}):\n${output}`)));
      });
      process.stdout.write(`${seconds(at).padStart(8)}  ${title} (until every node is ready)\n`);
      continue;
    }
    if (i < steps.length - 1) {
      step(title, command);
      continue;
    }
    const at = Date.now();
    for (;;) {
      const page = JSON.parse(execSync(command, { cwd: clone, shell: '/bin/bash' }).toString());
      if (page.items.length > 0) break;
      if (Date.now() - at > 60_000) throw new Error('no message within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(`${seconds(at).padStart(8)}  ${title} (until the message is there)\n`);
  }
  process.stdout.write(`${seconds(began).padStart(8)}  from git clone to the first message read\n`);
} finally {
  if (up?.pid !== undefined && up.exitCode === null) {
    process.kill(-up.pid, 'SIGTERM');
    await new Promise((r) => up.once('exit', r));
  }
  rmSync(work, { recursive: true, force: true });
}
