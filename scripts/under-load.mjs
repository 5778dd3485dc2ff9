#!/usr/bin/env node
// Runs a command while busy processes compete for every core, to prove that the suite holds on a
// loaded machine (slower, never red). Usage: node scripts/under-load.mjs [--hogs N] -- npm test
// N defaults to twice the number of cores. Exits with the command's status.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const own = split === -1 ? [] : args.slice(0, split);
const command = split === -1 ? args : args.slice(split + 1);
if (command.length === 0) {
  process.stderr.write('usage: node scripts/under-load.mjs [--hogs N] -- <command…>\n');
  process.exit(2);
}
const hogsAt = own.indexOf('--hogs');
const hogs = hogsAt === -1 ? 2 * availableParallelism() : Number(own[hogsAt + 1]);
if (!Number.isInteger(hogs) || hogs < 0 || hogs > 64) {
  process.stderr.write('--hogs takes a whole number from 0 to 64\n');
  process.exit(2);
}

// Each hog spins for 90 ms and sleeps 10 ms, so it competes for a core without starving the
// machine's own housekeeping.
const hog =
  'for(;;){const t=Date.now();while(Date.now()-t<90){}Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,10)}';
const children = Array.from({ length: hogs }, () =>
  spawn(process.execPath, ['-e', hog], { stdio: 'ignore' }),
);
const stopHogs = () => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('exit', stopHogs);
process.stderr.write(`under-load: ${hogs} busy processes on ${availableParallelism()} cores\n`);
const started = Date.now();
const run = spawn(command[0], command.slice(1), { stdio: 'inherit' });
run.on('exit', (code, signal) => {
  stopHogs();
  process.stderr.write(
    `under-load: ${command.join(' ')} ended (${code ?? signal}) after ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  process.exit(code ?? 1);
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => run.kill(s));
