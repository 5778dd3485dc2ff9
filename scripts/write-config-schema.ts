// Writes config/node.schema.json from the schema the loader uses, for editors' completion.
// A test fails when the committed file differs, so run this after changing src/config/schema.ts.
import { writeFileSync } from 'node:fs';
import { nodeConfigSchema } from '../src/config/schema.js';

writeFileSync(
  new URL('../config/node.schema.json', import.meta.url),
  `${JSON.stringify(nodeConfigSchema, null, 2)}\n`,
);
