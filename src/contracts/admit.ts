import { measureDocument } from './bounds.js';
import type { ContractFault } from './faults.js';
import type { ContractFiles } from './files.js';
import { CONTRACT_LIMITS } from './limits.js';
import { isContractDomain, isContractVersion, isDialectName, isExampleName, NAME_RULES } from './names.js';
import { checkPattern, compiledRegExp } from './patterns/engine.js';
import { findPatterns } from './patterns/find.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one gate every contract version passes before anything else reads it — an upload through the
 * admin API or the console, a contracts folder, a version restored from the data directory — and
 * that `saveContractVersion` passes again before it writes: the names that become paths (domain,
 * version, dialects, examples), the depth and size of every file, and every pattern of its schemas
 * (`CONTRACT_LIMITS`). Returns every fault, each with its `rule` (`name`, `depth`, `size` or
 * `pattern`); nothing in it recurses into a document before its depth is known. With
 * `compilePatterns` (an upload) every pattern is also compiled for RE2 now rather than on first use,
 * so that nothing the engine could refuse is ever published.
 */
export function admitContractFiles(
  files: ContractFiles,
  options: { readonly compilePatterns?: boolean } = {},
): ContractFault[] {
  const faults: ContractFault[] = [];
  const add = (file: string, pointer: string, rule: string, detail: string) =>
    faults.push({ file, pointer, rule, detail });

  const meta = isObject(files.contract) ? files.contract : {};
  if (!isContractDomain(meta.domain)) add('contract.json', '/domain', 'name', NAME_RULES.domain);
  if (!isContractVersion(meta.version)) add('contract.json', '/version', 'name', NAME_RULES.version);

  const documents: [file: string, document: unknown, schema: boolean][] = [
    ['contract.json', files.contract, false],
    ['canonical.schema.json', files.canonical, true],
  ];
  const names = Object.keys(files.dialects);
  if (names.length > CONTRACT_LIMITS.maxDialects)
    add('', '/dialects', 'size', `a version has at most ${CONTRACT_LIMITS.maxDialects} dialects`);
  const types = (files.contract as { messageTypes?: unknown } | null)?.messageTypes;
  const declared = new Set(typeof types === 'object' && types !== null ? Object.keys(types) : []);
  for (const name of names.slice(0, CONTRACT_LIMITS.maxDialects)) {
    const dir = `dialects/${name}/`;
    if (!isDialectName(name)) {
      add(dir, '', 'name', NAME_RULES.dialect);
      continue;
    }
    const dialect = files.dialects[name]!;
    documents.push(
      [`${dir}schema.json`, dialect.schema, true],
      [`${dir}mapping.json`, dialect.mapping, false],
    );
    for (const [type, example] of Object.entries(dialect.examples)) {
      // Named by a type the contract declares: a file of any other name is not an example.
      if (isExampleName(type) && declared.has(type))
        documents.push([`${dir}examples/${type}.json`, example, false]);
      else add(`${dir}examples/${type}.json`, '', 'name', NAME_RULES.example);
    }
  }

  let total = 0;
  for (const [file, document, schema] of documents) {
    const measured = measureDocument(document, {
      maxDepth: CONTRACT_LIMITS.maxDepth,
      maxBytes: CONTRACT_LIMITS.maxFileBytes,
    });
    total += measured.bytes;
    if (measured.fault !== undefined) {
      add(file, measured.fault.pointer, measured.fault.rule, measured.fault.detail);
      continue;
    }
    if (!schema) continue;
    for (const { pointer, pattern } of findPatterns(document)) {
      const checked = checkPattern(pattern);
      if (typeof checked === 'string') add(file, pointer, 'pattern', checked);
      else if (options.compilePatterns === true) {
        try {
          compiledRegExp(pattern, 'u');
        } catch (error) {
          add(file, pointer, 'pattern', `RE2 cannot compile it: ${(error as Error).message}`);
        }
      }
    }
  }
  if (total > CONTRACT_LIMITS.maxVersionBytes)
    add(
      '',
      '',
      'size',
      `a version's files together have at most ${CONTRACT_LIMITS.maxVersionBytes} bytes of JSON`,
    );
  return faults;
}
