import { parseArgs } from 'node:util';
import type { Title } from '../../contracts/workflow.js';
import { threadDocument, threadState } from '../../exchange/threads/present.js';
import type { ThreadView } from '../../store/port.js';
import { loadConfigFile } from '../node/config-file.js';
import { openNodeStore } from '../node/store.js';
import { loadOrFail } from './load-contracts.js';
import { type Io, language } from './output.js';

const TEXT = {
  zh: {
    none: '没有符合条件的协作事项。',
    summary: (n: number, overdue: number, store: string) =>
      `共 ${n} 个协作事项，其中 ${overdue} 个逾期（存储：${store}）`,
    outbound: '发出',
    inbound: '收到',
    overdue: '逾期',
    due: '期限',
    settled: '已办结',
  },
  en: {
    none: 'No cooperation thread matches.',
    summary: (n: number, overdue: number, store: string) =>
      `${n} thread(s), ${overdue} overdue (store: ${store})`,
    outbound: 'sent',
    inbound: 'received',
    overdue: 'OVERDUE',
    due: 'due',
    settled: 'settled',
  },
} as const;

/** `2026-12-07 09:30` in China Standard Time, the time the Delta's operators read. */
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

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
  const t = TEXT[lang];
  const pick = (title: Title) => (lang === 'en' ? title.en : title['zh-CN']);
  const config = loadConfigFile(values.config);
  const { registry } = loadOrFail(config.contractsDir ?? 'contracts', io);
  const store = openNodeStore(config, { env: process.env });
  await store.migrate();
  try {
    const now = io.now();
    if (values.id !== undefined) {
      const thread = await store.getThread(values.id);
      if (thread === undefined) {
        io.err(`${lang === 'en' ? 'no thread' : '找不到协作事项'} ${values.id} (${config.dataDir})\n`);
        return 1;
      }
      const doc = threadDocument(registry, thread, now);
      if (values.json) {
        io.out(`${JSON.stringify(doc)}\n`);
        return 0;
      }
      io.out(`${line(thread, threadState(registry, thread, now), pick, t)}\n`);
      for (const x of thread.transitions) {
        const to = doc.transitions?.find((d) => d.messageId === x.messageId && d.partner === x.partner);
        const from = to?.fromTitle === undefined ? '' : `${pick(to.fromTitle)} → `;
        io.out(
          `  ${beijing(x.at)}  ${x.partner}  ${from}${to === undefined ? x.to : pick(to.toTitle)}  ${x.type}  ${x.messageId}${x.late ? ` (${t.overdue})` : ''}\n`,
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
    if (threads.length === 0) io.out(`${t.none}\n`);
    threads.forEach((th, i) => {
      io.out(`${line(th, states[i]!, pick, t)}\n`);
    });
    io.out(`${t.summary(threads.length, overdue, config.dataDir)}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

function line(
  th: ThreadView,
  state: ReturnType<typeof threadState>,
  pick: (title: Title) => string,
  t: (typeof TEXT)[keyof typeof TEXT],
): string {
  const tracks = state.tracks
    .map((k) => `${k.partner}:${pick(k.title)}${k.overdue ? `(${t.overdue})` : ''}`)
    .join(' ');
  const due = th.dueAt === undefined ? '' : ` ${t.due} ${beijing(th.dueAt)}`;
  const workflow = state.workflow === undefined ? th.type : pick(state.workflow.title);
  return `${th.threadId} ${th.direction === 'outbound' ? `→ ${t.outbound}` : `← ${t.inbound}`} ${th.domain} ${workflow} ${tracks}${th.status === 'closed' ? ` ${t.settled}` : due}`;
}
