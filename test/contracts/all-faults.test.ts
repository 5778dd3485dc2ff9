import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../../src/contracts/load-all.js';
import { translate } from '../../src/contracts/translate.js';
import { compileValidators } from '../../src/contracts/validators-ajv.js';
import { toProblem, type YrdxError } from '../../src/errors/errors.js';
import { readContractsDir } from '../../src/runtime/node/contracts-dir.js';

/** Every fault of a message at once: the schema's and what only translation finds, in one refusal. */
const root = fileURLToPath(new URL('../../contracts/', import.meta.url));
const dir = readContractsDir(root);
const { registry } = loadContracts(
  dir.core,
  dir.contracts.filter((c) => c.base.includes('ip-protection/1.0.0')),
  (_key, schemas) => compileValidators(dir.core, schemas),
  { check: false },
);
const contract = registry.get('ip-protection', '1.0.0')!;
const example = readFileSync(`${root}ip-protection/1.0.0/dialects/sh/examples/case-transfer.json`, 'utf8');

function refusal(run: () => unknown): YrdxError {
  try {
    run();
  } catch (error) {
    return error as YrdxError;
  }
  throw new Error('expected a refusal');
}

describe('every fault at once', () => {
  it('a schema fault and a wrong check character (found only after translation) in one refusal', () => {
    // The sh dialect writes creditCode freely (trimmed and upper-cased on receipt); its check
    // character is checked by the canonical schema.
    const code = /"creditCode": "([0-9A-Z]{18})"/.exec(example)![1]!;
    const wrong = `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`;
    const document = JSON.parse(example.replace(code, wrong)) as Record<string, unknown>;
    document.caseInfo = 12;
    const error = refusal(() => translate(contract, 'sh', 'canonical', 'case-transfer', document));
    expect(error.code).toBe('document_invalid');
    expect(error.errors.map((e) => [e.pointer, e.rule, e.expected])).toEqual([
      ['/caseInfo', 'type', undefined],
      ['/litigants/0/creditCode', 'uscc-check', code[17]],
    ]);
    const zh = toProblem(error, 'zh');
    const en = toProblem(error, 'en');
    expect(zh.errors?.[1]?.detail).toBe(`统一社会信用代码校验码错误，应为“${code[17]}”`);
    expect(en.errors?.[1]?.detail).toBe(
      `the check character of the unified social credit code is wrong; expected "${code[17]}"`,
    );
    expect(en.errors?.[0]?.detail).toBe('expected type object');
  });

  it('an unknown dialect or type names the ones there are and the closest', () => {
    const dialect = refusal(() => translate(contract, 'shh', 'canonical', 'case-transfer', {}));
    expect(dialect.code).toBe('contract_unknown');
    expect(dialect.detail('zh')).toContain('它的方言：ah、js、sh、zj');
    expect(dialect.detail('zh')).toContain('最接近的是：sh');
    expect(dialect.detail('en')).toContain('its dialects: ah, js, sh, zj); the closest: sh');
    const type = refusal(() => translate(contract, 'sh', 'canonical', 'risk-alert', {}));
    expect(type.detail('en')).toContain('it carries: clue-transfer, case-transfer');
  });
});
