import { parseArgs } from 'node:util';
import type { Title } from '../../contracts/workflow.js';
import { threadDocument, threadState } from '../../exchange/threads/present.js';
import type { ThreadView } from '../../store/port.js';
import { BEIJING_ZONE, beijingClock } from '../../text/beijing-time.js';
import { cityLabel } from '../../vocabulary/regions.js';
import { loadConfigFile } from '../node/config-file.js';
import { keySourceAtRest } from '../node/data-keys.js';
import { openNodeStore } from '../node/store.js';
import { loadOrFail } from './load-contracts.js';
import { type Io, language } from './output.js';
import { bilingual, texts } from './text.js';

export const TEXT = bilingual({
  zh: {
    none: '没有符合条件的协作事项。',
    summary: '共 {count} 个协作事项，其中 {overdue} 个逾期（存储：{store}；时间为{zone}）',
    outbound: '发出',
    inbound: '收到',
    overdue: '逾期',
    due: '期限',
    settled: '已办结',
    notFound: '找不到协作事项 {id}（存储：{store}）',
  },
  en: {
    none: 'No cooperation thread matches.',
    summary: '{count} thread(s), {overdue} overdue (store: {store}; times in {zone})',
    outbound: 'sent',
    inbound: 'received',
    overdue: 'OVERDUE',
    due: 'due',
    settled: 'settled',
    notFound: 'no thread {id} (store: {store})',
  },
});

type T = ReturnType<typeof texts<typeof TEXT>>;

/** `2026-12-07 09:30` in China Standard Time, the time the Delta's operators read (the zone is named in the summary). */
const beijing = (ms: number) => beijingClock(ms).slice(0, 16);

/**
 * `yrdx threads [--config FILE] [--overdue] [--open] [--partner NODE] [--id THREAD] [--json]`:
 * cooperation threads from the node's store, each with its workflow and every counterpart's state
 * (titles from the node's contracts), overdue ones counted; `--id` prints one thread with the
 * timeline of its states. 简体中文 by default, English with YRDX_LANG=en.
 */
export async function threadsList(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', default: 'config/node.json' },
      overdue: { type: 'boolean' },
      open: { type: 'boolean' },
      partner: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const lang = language(io.env);
  const t = texts(io, TEXT);
  const partner = (code: string) => cityLabel(code, lang);
  const pick = (title: Title) => (lang === 'en' ? title.en : title['zh-CN']);
  const config = loadConfigFile(values.config);
  const { registry } = loadOrFail(config.contractsDir ?? 'contracts', io);
  const store = openNodeStore(config, {
    env: process.env,
    atRest: await keySourceAtRest(config, process.env, io.now, { lenient: true }),
  });
  await store.migrate();
  try {
    const now = io.now();
    if (values.id !== undefined) {
      const thread = await store.getThread(values.id);
      if (thread === undefined) {
        io.err(`${t('notFound', { id: values.id, store: config.dataDir })}\n`);
        return 1;
      }
      const doc = threadDocument(registry, thread, now);
      if (values.json) {
        io.out(`${JSON.stringify(doc)}\n`);
        return 0;
      }
      io.out(`${line(thread, threadState(registry, thread, now), pick, t, partner)}\n`);
      for (const x of thread.transitions) {
        const to = doc.transitions?.find((d) => d.messageId === x.messageId && d.partner === x.partner);
        const from = to?.fromTitle === undefined ? '' : `${pick(to.fromTitle)} → `;
        io.out(
          `  ${beijing(x.at)}  ${partner(x.partner)}  ${from}${to === undefined ? x.to : pick(to.toTitle)}  ${x.type}  ${x.messageId}${x.late ? ` (${t('overdue')})` : ''}\n`,
        );
      }
      return 0;
    }
    const threads = await store.listThreads({
      ...(values.overdue
        ? { overdueAt: now, status: 'open' as const }
        : values.open
          ? { status: 'open' as const }
          : {}),
      ...(values.partner === undefined ? {} : { partner: values.partner }),
      limit: 1000,
    });
    const states = threads.map((th) => threadState(registry, th, now));
    const overdue = states.filter((s) => s.overdue).length;
    if (values.json) {
      for (const th of threads) io.out(`${JSON.stringify(threadDocument(registry, th, now))}\n`);
      return 0;
    }
    if (threads.length === 0) io.out(`${t('none')}\n`);
    threads.forEach((th, i) => {
      io.out(`${line(th, states[i]!, pick, t, partner)}\n`);
    });
    io.out(
      `${t('summary', { count: threads.length, overdue, store: config.dataDir, zone: BEIJING_ZONE[lang] })}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

function line(
  th: ThreadView,
  state: ReturnType<typeof threadState>,
  pick: (title: Title) => string,
  t: T,
  partner: (code: string) => string,
): string {
  const tracks = state.tracks
    .map((k) => `${partner(k.partner)}:${pick(k.title)}${k.overdue ? `(${t('overdue')})` : ''}`)
    .join(' ');
  const due = th.dueAt === undefined ? '' : ` ${t('due')} ${beijing(th.dueAt)}`;
  const workflow = state.workflow === undefined ? th.type : pick(state.workflow.title);
  return `${th.threadId} ${th.direction === 'outbound' ? `→ ${t('outbound')}` : `← ${t('inbound')}`} ${th.domain} ${workflow} ${tracks}${th.status === 'closed' ? ` ${t('settled')}` : due}`;
}
