// Writes docs/errors.md and docs/errors.zh-CN.md from the problem catalogue. A test fails when a
// committed file differs, so run `npx tsx scripts/write-error-docs.ts` after adding or changing a
// problem code.
import { writeFileSync } from 'node:fs';
import { errorDocs } from '../src/errors/problems/docs.js';

for (const [path, render] of Object.entries(errorDocs)) {
  writeFileSync(new URL(`../${path}`, import.meta.url), render());
}
