// Writes the examples of one message type in every dialect of a contract version from ONE canonical
// body, with the contract engine (src/contracts, run by tsx), so that the examples of every domain are
// produced the same way and agree with each other:
//   npx tsx scripts/write-dialect-examples.ts contracts/<domain>/<version> <message-type> <canonical.json> [--dialects sh,zj] [--check]
// The canonical body is validated (schema and the type's `requires`); each dialect's body is
// validated against its schema and read back: a canonical value that does not come back unchanged
// stops the script (examples are lossless by construction). Then `npx biome format --write` them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadContract } from '../src/contracts/contract.js';
import { fromCanonical } from '../src/contracts/translate.js';
import { compileValidators } from '../src/contracts/validators-ajv.js';
import { readContractsDir } from '../src/runtime/node/contracts-dir.js';
import type { MessageType } from '../src/vocabulary/messages.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--dialects');
const [dir, type, bodyPath] = positional;
if (dir === undefined || type === undefined || bodyPath === undefined) {
  console.error(
    'usage: npx tsx scripts/write-dialect-examples.ts contracts/<domain>/<version> <message-type> <canonical.json> [--dialects sh,zj] [--check]',
  );
  process.exit(2);
}
const versionDir = resolve(dir);
const version = basename(versionDir);
const domain = basename(dirname(versionDir));
const root = dirname(dirname(versionDir));

const contractsDir = readContractsDir(root, { domain });
const files = contractsDir.contracts.find(
  (c) => c.base.endsWith(`${domain}/${version}`) || resolve(root, c.base) === versionDir,
);
if (files === undefined) throw new Error(`${domain}/${version} not found under ${root}`);
const loaded = loadContract(files, contractsDir.core, (_k, schemas) =>
  compileValidators(contractsDir.core, schemas),
);
if (Array.isArray(loaded)) {
  for (const f of loaded) console.error(`${f.file}#${f.pointer}: ${f.detail}`);
  process.exit(1);
}
const contract = loaded;
const body = JSON.parse(readFileSync(bodyPath, 'utf8')) as Record<string, unknown>;
const wanted = opt('--dialects')?.split(',');
const check = args.includes('--check');

let failed = false;
for (const [name, dialect] of contract.dialects) {
  if (wanted !== undefined && !wanted.includes(name)) continue;
  if (!dialect.messageTypes.includes(type as MessageType)) continue;
  let value: Record<string, unknown>;
  try {
    value = fromCanonical(contract, name, type as MessageType, body);
  } catch (e) {
    const err = e as { message: string; errors?: unknown };
    console.error(`${name}: ${err.message} ${JSON.stringify(err.errors ?? '')}`);
    failed = true;
    continue;
  }
  const back = dialect.toCanonical(value);
  const lost = differences(body, back.value, '');
  if (back.faults.length > 0 || lost.length > 0) {
    console.error(`${name}: not lossless: ${JSON.stringify(back.faults)} ${lost.join(', ')}`);
    failed = true;
    continue;
  }
  const path = join(versionDir, 'dialects', name, 'examples', `${type}.json`);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  const same =
    existsSync(path) && JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))) === JSON.stringify(value);
  if (check) {
    if (!same) {
      console.error(`${path} differs from the translation of ${bodyPath}`);
      failed = true;
    }
  } else if (!same) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(failed ? 1 : 0);

/** Canonical pointers at which `b` differs from `a` (identifiers compared as written). */
function differences(a: unknown, b: unknown, at: string): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at || '/'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`),
  );
}
