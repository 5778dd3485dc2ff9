import { parseArgs } from 'node:util';
import { CANONICAL, translate } from '../../contracts/translate.js';
import { YrdxError } from '../../errors/errors.js';
import { checkDomain, loadOrFail } from './load-contracts.js';
import { type Io, language } from './output.js';
import { bilingual, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    ok: '通过',
    line: '{contract} {type} {from} → {to} {outcome}',
    failure: '  ✗ {contract} {type} {from} → {to}：{outcome}',
    versionPassed: '{contract}：{dialects} 种方言，{translations} 次翻译全部通过',
    versionFailed: '{contract}：{dialects} 种方言，{translations} 次翻译中 {failed} 次失败',
    summary:
      '汇总：{domains} 个业务领域，{versions} 个数据契约版本，{dialects} 种方言，{examples} 个示例；翻译 {translations} 次，通过 {passed} 次，失败 {failed} 次；用时 {seconds} s',
    notLoaded: '另有 {count} 个数据契约版本未能加载（问题见上）',
  },
  en: {
    ok: 'ok',
    line: '{contract} {type} {from} → {to} {outcome}',
    failure: '  ✗ {contract} {type} {from} → {to}: {outcome}',
    versionPassed: '{contract}: {dialects} dialect(s), all {translations} translations passed',
    versionFailed: '{contract}: {dialects} dialect(s), {failed} of {translations} translations failed',
    summary:
      'Summary: {domains} domain(s), {versions} contract version(s), {dialects} dialect(s), {examples} example(s); {translations} translations, {passed} passed, {failed} failed; {seconds} s',
    notLoaded: '{count} more contract version(s) did not load (faults above)',
  },
});

/**
 * `yrdx contracts test [--dir contracts] [--domain D] [--verbose] [--json]`: translates every example
 * of every dialect to canonical and into every other dialect carrying its type. Prints the failures and
 * one line per contract version (every translation with --verbose, one JSON line each with --json),
 * then a summary; exits 1 when a translation failed or a contract did not load.
 */
export async function contractsTest(args: string[], io: Io): Promise<number> {
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
  const started = io.now();
  if (values.domain !== undefined) checkDomain(values.dir, values.domain, io);
  const { registry, faults } = loadOrFail(values.dir, io, values.domain);
  const totals = { translations: 0, passed: 0, failed: 0, examples: 0 };
  const dialects = new Set<string>();
  const domains = new Set<string>();
  for (const contract of registry.list()) {
    domains.add(contract.id.split('@')[0]!);
    let translations = 0;
    let failed = 0;
    for (const from of contract.dialects.values()) {
      dialects.add(`${contract.id.split('@')[0]}/${from.name}`);
      for (const type of from.messageTypes) {
        if (from.examples[type] !== undefined) totals.examples++;
        for (const to of [CANONICAL, ...contract.dialects.keys()]) {
          if (to === from.name) continue;
          if (to !== CANONICAL && !contract.dialects.get(to)?.messageTypes.includes(type)) continue;
          let outcome: string | undefined;
          try {
            translate(contract, from.name, to, type, from.examples[type]);
          } catch (error) {
            outcome =
              error instanceof YrdxError
                ? `${error.code}: ${error.errors.map((e) => `${e.pointer} ${e.detail[language(io.env)]}`).join('; ') || error.detail(language(io.env))}`
                : String(error);
          }
          translations++;
          if (outcome !== undefined) failed++;
          const row = { contract: contract.id, type, from: from.name, to };
          if (values.json) io.out(`${JSON.stringify({ ...row, outcome: outcome ?? 'ok' })}\n`);
          else if (values.verbose) io.out(`${t('line', { ...row, outcome: outcome ?? t('ok') })}\n`);
          else if (outcome !== undefined) io.out(`${t('failure', { ...row, outcome })}\n`);
        }
      }
    }
    totals.translations += translations;
    totals.failed += failed;
    totals.passed += translations - failed;
    if (!values.json && !values.verbose) {
      const counts = { contract: contract.id, dialects: contract.dialects.size, translations, failed };
      io.out(`${t(failed === 0 ? 'versionPassed' : 'versionFailed', counts)}\n`);
    }
  }
  const summary = {
    domains: domains.size,
    versions: registry.list().length,
    dialects: dialects.size,
    ...totals,
    notLoaded: faults.size,
    ms: io.now() - started,
  };
  if (values.json) io.out(`${JSON.stringify({ summary })}\n`);
  else {
    if (faults.size > 0) io.out(`${t('notLoaded', { count: faults.size })}\n`);
    io.out(`${t('summary', { ...summary, seconds: (summary.ms / 1000).toFixed(1) })}\n`);
  }
  return totals.failed === 0 && faults.size === 0 ? 0 : 1;
}
