import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContracts } from '../../contracts/load-all.js';
import { runsModule } from '../../contracts/plan-source.js';
import { generateStandalone } from '../../contracts/standalone.js';
import { CANONICAL, translate } from '../../contracts/translate.js';
import { unknownDomain, unknownVersion } from '../../contracts/unknown.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { YrdxError } from '../../errors/errors.js';
import { isMessageType, type MessageType } from '../../vocabulary/messages.js';
import { type ContractsDir, readContractsDir } from '../node/contracts-dir.js';
import { aheadOfTimeRuns, runsFileName } from '../node/runs.js';
import { loadOrFail } from './load-contracts.js';
import { type Io, language, UsageError } from './output.js';

/**
 * `yrdx contracts validate [--dir contracts] [--domain D] [--json]`: compiles every contract, runs
 * every load check (schemas, mappings, code tables, coverage, examples and round trips through every
 * dialect) and prints each fault with its file and JSON pointer, and for each valid contract whether
 * `<dir>/build/` holds its current translation code.
 */
export async function contractsValidate(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string', default: 'contracts' },
      domain: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const dir = readContractsDir(values.dir, values.domain === undefined ? {} : { domain: values.domain });
  const aot = aheadOfTimeRuns(values.dir);
  const { registry, faults } = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    {
      runs: aot.runs,
      progress: (done, total, base) => {
        if (!values.json && base !== '') io.err(`[${done + 1}/${total}] ${base}\n`);
      },
    },
  );
  let count = 0;
  for (const [base, list] of faults) {
    for (const f of list) {
      count++;
      if (values.json) io.out(`${JSON.stringify({ contract: base, ...f })}\n`);
      else io.out(`${base}/${f.file}#${f.pointer}: ${f.detail}\n`);
    }
  }
  for (const c of registry.list()) {
    const summary = {
      contract: c.id,
      valid: true,
      dialects: [...c.dialects.keys()],
      messageTypes: c.messageTypes,
      // Whether <dir>/build/ holds this contract's current translation code (else it runs in the engine).
      built: !aot.notCurrent.includes(c.id),
    };
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `${c.id}: valid (${summary.dialects.join(', ')}; ${summary.messageTypes.length} message types)` +
          `${summary.built ? '' : '; translation code not current, run "yrdx contracts build"'}\n`,
      );
  }
  if (dir.contracts.length === 0) io.err(`no contracts found under ${values.dir}\n`);
  else if (!values.json) io.out(`${count === 0 ? 'all checks passed' : `${count} fault(s)`}\n`);
  return count === 0 && dir.contracts.length > 0 ? 0 : 1;
}

/**
 * `yrdx contracts build [--dir contracts] [--check]`: writes the standalone validators of every
 * contract (CommonJS, for the edge build) and the ahead-of-time code of its mappings (for every
 * runtime; see src/contracts/plan-source.ts) to `<dir>/build/`. With `--check`, writes nothing and
 * fails if the files there are not current.
 */
export async function contractsBuild(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string', default: 'contracts' },
      check: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const dir = readContractsDir(values.dir);
  const outDir = join(values.dir, 'build');
  const expected = expectedBuild(dir);
  const stale: string[] = [];
  for (const [name, text] of expected) {
    const path = join(outDir, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(name);
    if (!values.check) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path, text);
    }
  }
  const extra = existsSync(outDir) ? readdirSync(outDir).filter((f) => !expected.has(f)) : [];
  if (values.json) io.out(`${JSON.stringify({ files: [...expected.keys()], changed: stale, extra })}\n`);
  else if (values.check)
    io.out(
      stale.length === 0 && extra.length === 0
        ? `${outDir}: current\n`
        : `${outDir}: not current (${[...stale, ...extra].join(', ')}); run "yrdx contracts build"\n`,
    );
  else
    io.out(
      `${outDir}: ${stale.length} of ${expected.size} file(s) written${extra.length > 0 ? `; not generated here: ${extra.join(', ')}` : ''}\n`,
    );
  return values.check && (stale.length > 0 || extra.length > 0) ? 1 : 0;
}

/** The files `contracts build` writes: one module per contract and an index that requires them all. */
export function expectedBuild(dir: ContractsDir): Map<string, string> {
  const files = new Map<string, string>();
  const index: string[] = [
    '// Generated by `yrdx contracts build`. Do not edit.',
    '"use strict";',
    'module.exports = {',
  ];
  for (const contract of dir.contracts) {
    const meta = contract.contract as { domain: string; version: string };
    const name = `${meta.domain}@${meta.version}.cjs`;
    files.set(name, generateStandalone(dir.core, contract));
    index.push(
      `  ${JSON.stringify(`${meta.domain}@${meta.version}`)}: require(${JSON.stringify(`./${name}`)}),`,
    );
  }
  index.push('};', '');
  files.set('index.cjs', index.join('\n'));
  // The ahead-of-time translation code of every contract that compiles, and an index of it.
  const compiled = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    {
      check: false,
    },
  );
  const runs: string[] = [
    '// Generated by `yrdx contracts build`. Do not edit.',
    '"use strict";',
    'module.exports = {',
  ];
  for (const contract of compiled.registry.list().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const name = runsFileName(contract.id);
    files.set(name, runsModule(contract.id, contract.plans));
    runs.push(`  ${JSON.stringify(contract.id)}: require(${JSON.stringify(`./${name}`)}),`);
  }
  runs.push('};', '');
  files.set('runs.cjs', runs.join('\n'));
  return files;
}

/**
 * `yrdx contracts test [--dir contracts] [--domain D] [--json]`: translates every example of every
 * dialect to canonical and into every other dialect, and prints one line per translation.
 */
export async function contractsTest(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string', default: 'contracts' },
      domain: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const { registry, faults } = loadOrFail(values.dir, io, values.domain);
  let failed = faults.size > 0 ? 1 : 0;
  for (const contract of registry.list()) {
    for (const from of contract.dialects.values()) {
      for (const type of from.messageTypes) {
        for (const to of [CANONICAL, ...contract.dialects.keys()]) {
          if (to === from.name) continue;
          if (to !== CANONICAL && !contract.dialects.get(to)?.messageTypes.includes(type)) continue;
          let outcome = 'ok';
          try {
            translate(contract, from.name, to, type, from.examples[type]);
          } catch (error) {
            failed++;
            outcome =
              error instanceof YrdxError
                ? `${error.code}: ${error.errors.map((e) => `${e.pointer} ${e.detail[language(io.env)]}`).join('; ')}`
                : String(error);
          }
          if (values.json)
            io.out(`${JSON.stringify({ contract: contract.id, type, from: from.name, to, outcome })}\n`);
          else io.out(`${contract.id} ${type.padEnd(19)} ${from.name} → ${to.padEnd(9)} ${outcome}\n`);
        }
      }
    }
  }
  return failed === 0 ? 0 : 1;
}

/**
 * `yrdx translate --domain D [--version V] --from DIALECT|canonical --to DIALECT|canonical [--type T] FILE`
 * prints the translated document; on invalid input, every fault with its pointer on stderr.
 */
export async function translateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: 'contracts' },
      domain: { type: 'string' },
      version: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      type: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.domain === undefined || values.from === undefined || values.to === undefined) {
    throw new UsageError('--domain, --from and --to are required');
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE (or - for standard input)');
  if (values.type !== undefined && !isMessageType(values.type))
    throw new UsageError(`--type "${values.type}" is not a message type`);
  const text = positionals[0] === '-' ? await io.stdin() : readText(positionals[0]!);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`the document is not JSON (${(cause as Error).message})`);
  }
  const { registry } = loadOrFail(values.dir, io, values.domain);
  const contract =
    values.version === undefined
      ? registry.latest(values.domain)
      : registry.get(values.domain, values.version);
  if (contract === undefined) {
    throw values.version === undefined
      ? unknownDomain(registry, values.domain)
      : unknownVersion(registry, values.domain, values.version);
  }
  const result = translate(
    contract,
    values.from,
    values.to,
    values.type as MessageType | undefined,
    document,
  );
  io.out(`${JSON.stringify(result, null, values.json ? undefined : 2)}\n`);
  return 0;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`${path} cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
