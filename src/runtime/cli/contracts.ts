import { parseArgs } from 'node:util';
import { loadContracts } from '../../contracts/load-all.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { readContractsDir } from '../node/contracts-dir.js';
import type { Io } from './output.js';

/**
 * `yrdx contracts validate [--dir contracts] [--domain D] [--json]`: compiles every contract, runs
 * every load check (schemas, mappings, code tables, coverage, examples and round trips through every
 * dialect) and prints each fault with its file and JSON pointer.
 */
export async function contractsValidate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dir: { type: 'string', default: 'contracts' }, domain: { type: 'string' }, json: { type: 'boolean' } },
  });
  const dir = readContractsDir(values.dir, values.domain === undefined ? {} : { domain: values.domain });
  const { registry, faults } = loadContracts(dir.core, dir.contracts, (_key, schemas) => compileValidators(dir.core, schemas), {
    progress: (done, total, base) => {
      if (!values.json && base !== '') io.err(`[${done + 1}/${total}] ${base}\n`);
    },
  });
  let count = 0;
  for (const [base, list] of faults) {
    for (const f of list) {
      count++;
      if (values.json) io.out(`${JSON.stringify({ contract: base, ...f })}\n`);
      else io.out(`${base}/${f.file}#${f.pointer}: ${f.detail}\n`);
    }
  }
  for (const c of registry.list()) {
    const summary = { contract: c.id, valid: true, dialects: [...c.dialects.keys()], messageTypes: c.messageTypes };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else io.out(`${c.id}: valid (${summary.dialects.join(', ')}; ${summary.messageTypes.length} message types)\n`);
  }
  if (dir.contracts.length === 0) io.err(`no contracts found under ${values.dir}\n`);
  if (!values.json) io.out(`${count === 0 ? 'all checks passed' : `${count} fault(s)`}\n`);
  return count === 0 && dir.contracts.length > 0 ? 0 : 1;
}
