import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { YrdxError } from '../../errors/errors.js';
import { fill as fillText } from '../../errors/text.js';
import { resealExpired } from '../../exchange/outbound/reseal.js';
import type { DeliveryView, OutboundView } from '../../store/port.js';
import { BEIJING_ZONE, beijingClock, beijingTime } from '../../text/beijing-time.js';
import type { Language } from '../../vocabulary/language.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { loadKeyring } from '../node/boot.js';
import { loadConfigFile } from '../node/config-file.js';
import { keySourceAtRest } from '../node/data-keys.js';
import { nodeDigest } from '../node/sha256.js';
import { describeStore, nodeStoreConfig, openNodeStore } from '../node/store.js';
import { type Io, language, UsageError } from './output.js';

/** What `yrdx messages status` and `yrdx messages requeue` print, in both languages with the same keys. */
export const TEXT = {
  zh: {
    'help:messages status':
      'yrdx messages status [--config FILE] [--json] ID\n查看一条发出报文的投递状态与经过\n  --config FILE              节点配置文件（默认 config/node.json）\n  --json                     以 JSON 输出',
    'help:messages requeue':
      'yrdx messages requeue [--config FILE] [--recipient NODE] [--json] ID\n把一条报文的死信重新投递\n  --config FILE              节点配置文件（默认 config/node.json）\n  --recipient NODE           只重新投递给这个伙伴节点\n  --json                     以 JSON 输出',
    usageOneId: '请给出一个报文编号',
    searched: '存储：{store}（配置文件 {config}）',
    head: '报文 {id}：{domain} {type}，协作事项 {thread}，提交于 {created}',
    delivered: '  → {partner}：已投递（{attempts} 次尝试），回执 {receipt}… 收到于 {at}',
    pending: '  → {partner}：待投递（已尝试 {attempts} 次），下次尝试 {next}',
    sending: '  → {partner}：正在投递（已尝试 {attempts} 次）',
    rejected: '  → {partner}：被伙伴节点拒收（HTTP {status}，{code}）{detail}',
    dead: '  → {partner}：死信（{attempts} 次尝试）',
    lastError: '      最近错误：{error}',
    file: '  附件 {index}：{name}（{type}，{size} 字节，{digest}）',
    filesPending: '      附件：尚未收到文件回执',
    filesArrived: '      附件：已全部送达（文件回执收到于 {at}）',
    filesRefused: '      附件：被拒收（{reasons}，文件回执收到于 {at}）',
    history: '  历史（{zone}）：',
    event: '    {at} {event}{recipient}{detail}',
    requeued: '{id}：已为 {partners} 重新投递，运行中的节点会在下一轮投递。',
    resealed: '{id} 已过期：已重新签发为 {newId}（取代 {id}），运行中的节点会投递它。',
    nothing: '{id}：没有可重新投递的死信。各投递的状态：',
    noRecipient: '{id}：没有发往 {recipient} 的投递（收件方：{recipients}）。',
    hintPending: '  该投递仍在队列中：运行中的节点会按时重试，无需重新投递。',
    hintDelivered: '  该投递已完成，无需重新投递。',
    hintRejected:
      '  伙伴节点已拒收该报文，重新投递不会改变结果：请按拒收原因修正后，由本地系统重新提交（新的报文）。',
    hintDead:
      '  修正原因后（例如修改配置文件中的 partners[].baseUrl 并重启节点），运行：yrdx messages requeue --config {config} {id}',
  },
  en: {
    'help:messages status':
      'yrdx messages status [--config FILE] [--json] ID\nan outbound message’s deliveries and history\n  --config FILE              node configuration (default config/node.json)\n  --json                     print JSON',
    'help:messages requeue':
      'yrdx messages requeue [--config FILE] [--recipient NODE] [--json] ID\nput a message’s dead deliveries back in the queue\n  --config FILE              node configuration (default config/node.json)\n  --recipient NODE           only the delivery to this partner\n  --json                     print JSON',
    usageOneId: 'give exactly one message id',
    searched: 'Store: {store} (configuration file {config})',
    head: 'Message {id}: {domain} {type}, thread {thread}, submitted {created}',
    delivered: '  → {partner}: delivered ({attempts} attempt(s)), receipt {receipt}… received {at}',
    pending: '  → {partner}: pending ({attempts} attempt(s) so far), next attempt {next}',
    sending: '  → {partner}: being delivered ({attempts} attempt(s) so far)',
    rejected: '  → {partner}: refused by the partner (HTTP {status}, {code}){detail}',
    dead: '  → {partner}: dead letter ({attempts} attempt(s))',
    lastError: '      last error: {error}',
    file: '  Attachment {index}: {name} ({type}, {size} bytes, {digest})',
    filesPending: '      files: no files receipt yet',
    filesArrived: '      files: all arrived (files receipt received {at})',
    filesRefused: '      files: refused ({reasons}; files receipt received {at})',
    history: '  History ({zone}):',
    event: '    {at} {event}{recipient}{detail}',
    requeued: '{id}: requeued for {partners}; the running node delivers on its next round.',
    resealed: '{id} had expired: sealed again as {newId} (supersedes {id}); the running node delivers it.',
    nothing: '{id}: no dead delivery to requeue. The deliveries are:',
    noRecipient: '{id}: no delivery to {recipient} (recipients: {recipients}).',
    hintPending:
      '  This delivery is still queued: the running node retries it on time; no requeue is needed.',
    hintDelivered: '  This delivery is done; no requeue is needed.',
    hintRejected:
      '  The partner refused this message and a requeue would not change that: fix the reason it gives, then the local system submits it again (a new message).',
    hintDead:
      '  Once the cause is fixed (e.g. partners[].baseUrl in the configuration file, then restart the node), run: yrdx messages requeue --config {config} {id}',
  },
} as const satisfies { zh: Record<MessagesTextKey, string>; en: Record<MessagesTextKey, string> };
type MessagesTextKey =
  | 'help:messages status'
  | 'help:messages requeue'
  | 'usageOneId'
  | 'searched'
  | 'head'
  | 'delivered'
  | 'pending'
  | 'sending'
  | 'rejected'
  | 'dead'
  | 'lastError'
  | 'file'
  | 'filesPending'
  | 'filesArrived'
  | 'filesRefused'
  | 'history'
  | 'event'
  | 'requeued'
  | 'resealed'
  | 'nothing'
  | 'noRecipient'
  | 'hintPending'
  | 'hintDelivered'
  | 'hintRejected'
  | 'hintDead';

function say(lang: Language, key: MessagesTextKey, params: Record<string, string | number> = {}): string {
  return fillText(TEXT[lang][key], params, lang);
}

interface Opened {
  readonly store: ReturnType<typeof openNodeStore>;
  /** Where the messages were looked for: the SQLite file or the PostgreSQL server and database, and the config file. */
  readonly where: { readonly store: string; readonly config: string };
}

async function openStore(configFile: string, env: NodeJS.ProcessEnv, now: () => number): Promise<Opened> {
  const config = loadConfigFile(configFile);
  const chosen = nodeStoreConfig(config, env);
  const store = openNodeStore(config, { env, atRest: await keySourceAtRest(config, env, now) });
  await store.migrate();
  return { store, where: { store: describeStore(chosen, config.dataDir), config: resolve(configFile) } };
}

/** The outbound message with this id, or `message_not_in_store` naming the store and configuration searched. */
async function outboundOrFail(opened: Opened, id: string): Promise<OutboundView> {
  const view = await opened.store.getOutbound(id);
  if (view === undefined)
    throw new YrdxError('message_not_in_store', { params: { id: id.slice(0, 40), ...opened.where } });
  return view;
}

/** One delivery's state, as lines for people. */
function deliveryLines(d: DeliveryView, lang: Language): string[] {
  const partner = cityLabel(d.recipient, lang);
  const lines: string[] = [];
  const common = { partner, attempts: d.attempts };
  if (d.status === 'delivered')
    lines.push(
      say(lang, 'delivered', {
        ...common,
        receipt: d.receipt?.sha256.slice(0, 16) ?? '',
        at: d.receipt ? beijingTime(d.receipt.receivedAt, lang) : '',
      }),
    );
  else if (d.status === 'queued' || d.status === 'retry')
    lines.push(
      say(lang, 'pending', {
        ...common,
        next: d.nextAttemptAt === undefined ? '—' : beijingTime(d.nextAttemptAt, lang),
      }),
    );
  else if (d.status === 'sending') lines.push(say(lang, 'sending', common));
  else if (d.status === 'rejected')
    lines.push(
      say(lang, 'rejected', {
        partner,
        status: d.rejection?.status ?? '—',
        code: d.rejection?.code ?? '—',
        detail: d.rejection?.detail ? `${lang === 'en' ? ': ' : '：'}${d.rejection.detail}` : '',
      }),
    );
  else lines.push(say(lang, 'dead', common));
  if (d.lastError && d.status !== 'delivered') lines.push(say(lang, 'lastError', { error: d.lastError }));
  return lines;
}

/**
 * `yrdx messages status [--config FILE] [--json] ID`: an outbound message's deliveries and history,
 * read from the node's store (also while the node runs).
 */
export async function messagesStatus(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string', default: 'config/node.json' }, json: { type: 'boolean' } },
  });
  const lang = language(io.env);
  if (positionals.length !== 1) throw new UsageError(say(lang, 'usageOneId'));
  const opened = await openStore(values.config, io.env, io.now);
  try {
    const view = await outboundOrFail(opened, positionals[0]!);
    const [files, receipts] = await Promise.all([
      opened.store.outboundFiles(view.messageId),
      opened.store.filesReceipts(view.messageId),
    ]);
    if (values.json) {
      io.out(`${JSON.stringify(files.length === 0 ? view : { ...view, files, filesReceipts: receipts })}\n`);
      return 0;
    }
    const out: string[] = [
      say(lang, 'head', {
        id: view.messageId,
        domain: view.domain,
        type: view.type,
        thread: view.thread,
        created: beijingTime(view.createdAt, lang),
      }),
      say(lang, 'searched', opened.where),
    ];
    for (const f of files)
      out.push(
        say(lang, 'file', {
          index: f.index,
          name: f.name,
          type: f.mediaType,
          size: f.size,
          digest: f.digest,
        }),
      );
    for (const d of view.deliveries) {
      out.push(...deliveryLines(d, lang));
      if (files.length === 0) continue;
      const r = receipts.find((x) => x.recipient === d.recipient);
      if (r === undefined) out.push(say(lang, 'filesPending', {}));
      else if (r.status === 'arrived')
        out.push(say(lang, 'filesArrived', { at: beijingTime(r.receivedAt, lang) }));
      else
        out.push(
          say(lang, 'filesRefused', {
            at: beijingTime(r.receivedAt, lang),
            reasons: [...new Set(r.files.flatMap((f) => (f.reason === undefined ? [] : [f.reason])))].join(
              ', ',
            ),
          }),
        );
    }
    out.push(say(lang, 'history', { zone: BEIJING_ZONE[lang] }));
    for (const e of view.events)
      out.push(
        say(lang, 'event', {
          at: beijingClock(e.at),
          event: e.event,
          recipient: e.recipient ? ` ${cityLabel(e.recipient, lang)}` : '',
          detail: e.detail ? ` ${e.detail}` : '',
        }),
      );
    io.out(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await opened.store.close();
  }
}

/** Why there was nothing to requeue: each delivery's state and what to do about it. */
function nothingToRequeue(view: OutboundView, recipient: string | undefined, config: string, lang: Language) {
  const recipients = view.deliveries.map((d) => cityLabel(d.recipient, lang));
  const chosen = view.deliveries.filter((d) => recipient === undefined || d.recipient === recipient);
  if (chosen.length === 0)
    return say(lang, 'noRecipient', {
      id: view.messageId,
      recipient: cityLabel(recipient ?? '', lang),
      recipients: recipients.join(lang === 'en' ? ', ' : '、'),
    });
  const lines = [say(lang, 'nothing', { id: view.messageId })];
  for (const d of chosen) {
    lines.push(...deliveryLines(d, lang));
    const hint =
      d.status === 'delivered'
        ? 'hintDelivered'
        : d.status === 'rejected'
          ? 'hintRejected'
          : d.status === 'dead'
            ? 'hintDead'
            : 'hintPending';
    lines.push(say(lang, hint, { config, id: view.messageId }));
  }
  return lines.join('\n');
}

/**
 * `yrdx messages requeue [--config FILE] [--recipient ID] [--json] ID`: puts the dead deliveries of
 * an outbound message back in the queue; a running node picks them up on its next round. With
 * nothing dead, it says what state each delivery is in and what to do instead.
 */
export async function messagesRequeue(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      recipient: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const lang = language(io.env);
  if (positionals.length !== 1) throw new UsageError(say(lang, 'usageOneId'));
  const opened = await openStore(values.config, io.env, io.now);
  const { store } = opened;
  try {
    const view = await outboundOrFail(opened, positionals[0]!);
    const nothing = () => io.out(`${nothingToRequeue(view, values.recipient, opened.where.config, lang)}\n`);
    if (view.expiresAt <= io.now()) {
      // Expired: recipients would refuse the old token; seal it again under a new id.
      const config = loadConfigFile(values.config);
      const { keyring } = await loadKeyring(config, { env: io.env, now: io.now });
      const resealed = await resealExpired(view, {
        self: config.id,
        store,
        signer: keyring.signer,
        policy: config.envelope,
        now: io.now,
        sha256: nodeDigest(config.cryptoProfile),
      });
      if (values.json)
        io.out(
          `${JSON.stringify({ messageId: view.messageId, expired: true, resealedAs: resealed ?? null })}\n`,
        );
      else if (resealed === undefined) nothing();
      else io.out(`${say(lang, 'resealed', { id: view.messageId, newId: resealed })}\n`);
      return resealed === undefined ? 1 : 0;
    }
    const requeued: string[] = [];
    for (const d of view.deliveries) {
      if (d.status !== 'dead' || (values.recipient !== undefined && d.recipient !== values.recipient))
        continue;
      if (await store.requeueDelivery(d.deliveryId, io.now())) requeued.push(d.recipient);
    }
    if (values.json) io.out(`${JSON.stringify({ messageId: view.messageId, requeued })}\n`);
    else if (requeued.length === 0) nothing();
    else
      io.out(
        `${say(lang, 'requeued', {
          id: view.messageId,
          partners: requeued.map((r) => cityLabel(r, lang)).join(lang === 'en' ? ', ' : '、'),
        })}\n`,
      );
    return requeued.length === 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
