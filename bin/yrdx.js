#!/usr/bin/env node
// The yrdx command. `npm install` builds dist/ (the "prepare" script); run `npm run build` after
// changing the sources.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/runtime/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'yrdx: dist/ is missing; run "npm install" or "npm run build" in the checkout first\n',
  );
  process.exit(1);
}
const { runCli, processIo } = await import(entry.href);
process.exitCode = await runCli(process.argv.slice(2), processIo());
