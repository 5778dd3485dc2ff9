import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Contract } from '../../contracts/contract.js';
import { CANONICAL, translate } from '../../contracts/translate.js';
import { YrdxError } from '../../errors/errors.js';
import { isMessageType, MESSAGE_TYPES, type MessageType } from '../../vocabulary/messages.js';
import { checkDomain, loadOrFail, namesHint } from './load-contracts.js';
import { HintedError, type Io, UsageError } from './output.js';
import { bilingual, textOf, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    required: '缺少 --domain、--from 或 --to',
    oneFile: '请给出一个 FILE（或用 - 表示标准输入）',
    notType: '--type "{type}" 不是报文类型',
    notJson: '报文内容不是 JSON（{file}）',
    unreadable: '无法读取 {file}（{code}）',
    noContract: '没有有效的数据契约 {domain}{version}',
    noDialect: '数据契约 {contract} 没有方言 "{dialect}"',
    notCarried: '数据契约 {contract} 的方言 {dialect} 不承载报文类型 {type}',
  },
  en: {
    required: '--domain, --from and --to are required',
    oneFile: 'give exactly one FILE (or - for standard input)',
    notType: '--type "{type}" is not a message type',
    notJson: 'the document is not JSON ({file})',
    unreadable: '{file} cannot be read ({code})',
    noContract: 'no valid contract for {domain}{version}',
    noDialect: '{contract} has no dialect "{dialect}"',
    notCarried: 'dialect {dialect} of {contract} does not carry {type}',
  },
});

/**
 * `yrdx translate --domain D [--version V] --from DIALECT|canonical --to DIALECT|canonical [--type T] FILE`
 * prints the translated document; on invalid input, every fault with its pointer on stderr. An unknown
 * domain, dialect or type is refused with the names there are and the closest one.
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
  const t = texts(io, TEXT);
  if (values.domain === undefined || values.from === undefined || values.to === undefined) {
    throw new UsageError(t('required'));
  }
  if (positionals.length !== 1) throw new UsageError(t('oneFile'));
  if (values.type !== undefined && !isMessageType(values.type))
    throw new HintedError(
      new UsageError(t('notType', { type: values.type })),
      namesHint(io, 'types', values.type, MESSAGE_TYPES),
    );
  const file = positionals[0]!;
  let text: string;
  try {
    text = file === '-' ? await io.stdin() : readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(t('unreadable', { file, code: (cause as NodeJS.ErrnoException).code ?? 'EIO' }));
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UsageError(t('notJson', { file }));
  }
  checkDomain(values.dir, values.domain, io);
  const { registry } = loadOrFail(values.dir, io, values.domain);
  const contract =
    values.version === undefined
      ? registry.latest(values.domain)
      : registry.get(values.domain, values.version);
  if (contract === undefined) {
    const reason = textOf(TEXT, 'noContract', {
      domain: values.domain,
      version: values.version ? `@${values.version}` : '',
    });
    throw new YrdxError('contract_unknown', { params: { reason } });
  }
  const type = values.type as MessageType | undefined;
  for (const dialect of [values.from, values.to]) checkDialect(io, contract, dialect, type);
  const result = translate(contract, values.from, values.to, type, document);
  io.out(`${JSON.stringify(result, null, values.json ? undefined : 2)}\n`);
  return 0;
}

/** Refuses a dialect the contract does not have, or one that does not carry the type, naming those there are. */
function checkDialect(io: Io, contract: Contract, name: string, type: MessageType | undefined): void {
  if (name === CANONICAL) return;
  const dialect = contract.dialects.get(name);
  if (dialect === undefined) {
    const reason = textOf(TEXT, 'noDialect', { contract: contract.id, dialect: name });
    throw new HintedError(
      new YrdxError('contract_unknown', { params: { reason } }),
      namesHint(io, 'dialects', name, [CANONICAL, ...contract.dialects.keys()]),
    );
  }
  if (type !== undefined && !dialect.messageTypes.includes(type)) {
    const reason = textOf(TEXT, 'notCarried', { contract: contract.id, dialect: name, type });
    throw new HintedError(
      new YrdxError('contract_unknown', { params: { reason } }),
      namesHint(io, 'types', type, dialect.messageTypes),
    );
  }
}
