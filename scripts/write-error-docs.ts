// Writes docs/errors.md from the problem catalogue. A test fails when the committed file differs,
// so run `npx tsx scripts/write-error-docs.ts` after adding or changing a problem code.
import { writeFileSync } from 'node:fs';
import { renderErrorDocs } from '../src/errors/problems/docs.js';

writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
