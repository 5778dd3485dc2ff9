import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContracts } from '../../contracts/load-all.js';
import { runsModule } from '../../contracts/plan-source.js';
import { generateStandalone } from '../../contracts/standalone.js';
import { compileValidators } from '../../contracts/validators-ajv.js';
import { type ContractsDir, readContractsDir } from '../node/contracts-dir.js';
import { aheadOfTimeRuns, runsFileName } from '../node/runs.js';
import { checkDomain } from './load-contracts.js';
import { type Io, language } from './output.js';
import { bilingual, listIn, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    progress: '[{n}/{total}] {contract}',
    fault: '{contract}/{file}#{pointer}：{detail}',
    valid: '{contract}：有效（{dialectCount} 种方言，{types} 种报文类型）{built}',
    validVerbose: '{contract}：有效（方言：{dialects}；报文类型：{typeList}）{built}',
    notBuilt: '；翻译代码不是最新，请运行 "yrdx contracts build"',
    invalid: '{contract}：无效，{count} 处问题',
    none: '{dir} 下没有数据契约',
    summary:
      '汇总：{domains} 个业务领域，{versions} 个数据契约版本（有效 {passed} 个，无效 {failed} 个），{dialects} 种方言，{examples} 个示例；{faults} 处问题；用时 {seconds} s',
    current: '{dir}：已是最新',
    notCurrent: '{dir}：不是最新（{files}）；请运行 "yrdx contracts build"',
    written: '{dir}：已写入 {changed}/{total} 个文件{extra}',
    extra: '；不是这里生成的文件：{files}',
  },
  en: {
    progress: '[{n}/{total}] {contract}',
    fault: '{contract}/{file}#{pointer}: {detail}',
    valid: '{contract}: valid ({dialectCount} dialect(s); {types} message types){built}',
    validVerbose: '{contract}: valid (dialects: {dialects}; message types: {typeList}){built}',
    notBuilt: '; translation code not current, run "yrdx contracts build"',
    invalid: '{contract}: invalid, {count} fault(s)',
    none: 'no contracts found under {dir}',
    summary:
      'Summary: {domains} domain(s), {versions} contract version(s) ({passed} valid, {failed} invalid), {dialects} dialect(s), {examples} example(s); {faults} fault(s); {seconds} s',
    current: '{dir}: current',
    notCurrent: '{dir}: not current ({files}); run "yrdx contracts build"',
    written: '{dir}: {changed} of {total} file(s) written{extra}',
    extra: '; not generated here: {files}',
  },
});

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
      verbose: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const t = texts(io, TEXT);
  const lang = language(io.env);
  const started = io.now();
  if (values.domain !== undefined) checkDomain(values.dir, values.domain, io);
  const dir = readContractsDir(values.dir, values.domain === undefined ? {} : { domain: values.domain });
  const aot = aheadOfTimeRuns(values.dir);
  const { registry, faults } = loadContracts(
    dir.core,
    dir.contracts,
    (_key, schemas) => compileValidators(dir.core, schemas),
    {
      runs: aot.runs,
      progress: (done, total, base) => {
        if (!values.json && base !== '') io.err(`${t('progress', { n: done + 1, total, contract: base })}\n`);
      },
    },
  );
  let count = 0;
  for (const [base, list] of faults) {
    for (const f of list) {
      count++;
      if (values.json) io.out(`${JSON.stringify({ contract: base, ...f })}\n`);
      else io.out(`${t('fault', { contract: base, file: f.file, pointer: f.pointer, detail: f.detail })}\n`);
    }
    if (!values.json) io.out(`${t('invalid', { contract: base, count: list.length })}\n`);
  }
  const dialects = new Set<string>();
  let examples = 0;
  for (const c of registry.list()) {
    const summary = {
      contract: c.id,
      valid: true,
      dialects: [...c.dialects.keys()],
      messageTypes: c.messageTypes,
      // Whether <dir>/build/ holds this contract's current translation code (else it runs in the engine).
      built: !aot.notCurrent.includes(c.id),
    };
    for (const d of c.dialects.values()) {
      dialects.add(`${c.id.split('@')[0]}/${d.name}`);
      examples += Object.keys(d.examples).length;
    }
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else
      io.out(
        `${t(values.verbose ? 'validVerbose' : 'valid', {
          contract: c.id,
          dialectCount: summary.dialects.length,
          dialects: listIn(lang, summary.dialects),
          types: summary.messageTypes.length,
          typeList: listIn(lang, summary.messageTypes),
          built: summary.built ? '' : t('notBuilt'),
        })}\n`,
      );
  }
  if (dir.contracts.length === 0) io.err(`${t('none', { dir: values.dir })}\n`);
  else if (!values.json) {
    const versions = dir.contracts.length;
    const valid = registry.list().length;
    const domains = new Set(dir.contracts.map((c) => (c.contract as { domain: string }).domain));
    io.out(
      `${t('summary', {
        domains: domains.size,
        versions,
        passed: valid,
        failed: versions - valid,
        dialects: dialects.size,
        examples,
        faults: count,
        seconds: ((io.now() - started) / 1000).toFixed(1),
      })}\n`,
    );
  }
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
  else {
    const t = texts(io, TEXT);
    const lang = language(io.env);
    if (values.check)
      io.out(
        `${
          stale.length === 0 && extra.length === 0
            ? t('current', { dir: outDir })
            : t('notCurrent', { dir: outDir, files: listIn(lang, [...stale, ...extra]) })
        }\n`,
      );
    else
      io.out(
        `${t('written', {
          dir: outDir,
          changed: stale.length,
          total: expected.size,
          extra: extra.length > 0 ? t('extra', { files: listIn(lang, extra) }) : '',
        })}\n`,
      );
  }
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
