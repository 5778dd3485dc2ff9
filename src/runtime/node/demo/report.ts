import { fill as fillText } from '../../../errors/text.js';
import type { Language } from '../../../vocabulary/language.js';
import { cityName } from '../../../vocabulary/regions.js';
import type { CitySpec } from './federation.js';

/** The demo's words, 简体中文 by default, English with YRDX_LANG=en. */
const ZH = {
  start: 'yrdx demo —— 长三角四个城市的节点在 127.0.0.1 上运行（数据目录 {dir}）',
  city: '  {name} {id}  方言 {dialect}  {alg}  {url}  本地系统：{local}',
  push: '推送 → {url}',
  pull: '拉取（轮询 GET /v1/inbox/messages 并确认）',
  modePush: '推送',
  modePull: '拉取',
  sending:
    '发送 {count} 条报文：四个业务领域数据契约的每个工作流从头到尾走一遍（受理、三城联合调查、向苏州公安机关移送、预警的确认与处置……），其余每种报文类型各一次，均用发送方自己方言的示例（请求的期限为 15 天后）：',
  submitted: '已提交（{dialect}）',
  sealed: '已签名（{alg}）',
  delivered: '已投递',
  deliveredMany: '已投递 ×{count}',
  receipt: '，回执已验证（{sha}）',
  receipts: '，{count} 份回执已验证（{sha}）',
  translated: '已译为 {dialects}',
  local: '已投递到本地系统（{modes}）',
  threadOpen: '{workflow} {states}，期限 {due}',
  threadMoved: '{workflow} → {states}',
  threadClosed: '事项已办结（{seconds} s 后答复）',
  noThread: '无协作事项（仅通知）',
  thread: '协作事项',
  failed: '在 "{hop}" 失败：{reason}',
  summary: '汇总（{seconds} s）',
  sent: '  发送报文         {messages} 条（{deliveries} 次投递；风险预警发给每个订阅的伙伴节点）',
  deliveredLine: '  已投递           {delivered}/{deliveries}，回执已验证 {receipts}/{deliveries}',
  localLine: '  投递到本地系统   {local}/{deliveries}（推送 {push}，拉取 {pull}）',
  threads: '  协作事项         请求开启 {opened} 个，答复办结 {closed} 个',
  perCity: '  发送/接收        {cities}',
  allPassed: '  结果             每条报文通过了每一跳',
  someFailed: '  结果             {messages} 条报文中 {failed} 条未通过某一跳',
  keep: '各城市节点继续运行（密钥和存储在数据目录中）。可以试试：',
  keepCity: '  {name} {url}  API 密钥 {key}',
  stop: '按 Ctrl-C 停止各城市节点。',
} as const;

const EN: Record<keyof typeof ZH, string> = {
  start: 'yrdx demo — four cities of the Yangtze River Delta on 127.0.0.1 (data in {dir})',
  city: '  {name} {id}  dialect {dialect}  {alg}  {url}  local system: {local}',
  push: 'push → {url}',
  pull: 'pull (polls GET /v1/inbox/messages, acks)',
  modePush: 'push',
  modePull: 'pull',
  sending:
    "Sending {count} messages — every workflow of the four domains' contracts end to end (acceptance, a three-city joint investigation, a handover to Suzhou's public-security organ, alerts acknowledged and disposed …) and every other type once, each the sender's own-dialect example (requests due in 15 days):",
  submitted: 'submitted ({dialect})',
  sealed: 'sealed ({alg})',
  delivered: 'delivered',
  deliveredMany: 'delivered ×{count}',
  receipt: ', receipt verified ({sha})',
  receipts: ', {count} receipts verified ({sha})',
  translated: 'translated to {dialects}',
  local: 'delivered locally ({modes})',
  threadOpen: '{workflow} {states}, due {due}',
  threadMoved: '{workflow} → {states}',
  threadClosed: 'thread closed (answered in {seconds} s)',
  noThread: 'no thread (informational)',
  thread: 'thread',
  failed: 'FAILED at "{hop}": {reason}',
  summary: 'Summary ({seconds} s)',
  sent: '  messages sent        {messages} ({deliveries} deliveries; risk alerts fan out to every subscribed partner)',
  deliveredLine: '  delivered            {delivered}/{deliveries}, receipts verified {receipts}/{deliveries}',
  localLine: '  delivered locally    {local}/{deliveries} ({push} push, {pull} pull)',
  threads: '  threads              {opened} opened by requests, {closed} closed by replies',
  perCity: '  sent/received        {cities}',
  allPassed: '  result               every message passed every hop',
  someFailed: '  result               {failed} of {messages} messages failed a hop',
  keep: 'The cities keep running (their keys and stores are in the data folder). Try, for example:',
  keepCity: '  {name} {url}  API key {key}',
  stop: 'Press Ctrl-C to stop the cities.',
};

/** The demo's words, both languages with the same keys. */
export const TEXT = { zh: ZH, en: EN } as const satisfies Record<Language, Record<keyof typeof ZH, string>>;

type Key = keyof (typeof TEXT)['zh'];
/** One text of the demo in a language, filled. */
export const demoText = (lang: Language, key: Key, params: Record<string, string | number> = {}) =>
  fillText(TEXT[lang][key], params, lang);

import type { MessageResult } from './follow.js';

export interface CityTally {
  readonly id: string;
  readonly name: string;
  readonly dialect: string;
  readonly algorithm: string;
  readonly mode: 'push' | 'pull';
  /** Messages it sent that its gateway accepted. */
  readonly sent: number;
  /** Messages its local system received. */
  readonly received: number;
}

/** The counts of a demo run. */
export interface DemoCounts {
  readonly ok: boolean;
  readonly messages: number;
  readonly failed: number;
  /** One per recipient of each message (a risk alert fans out to three). */
  readonly deliveries: number;
  readonly delivered: number;
  readonly receiptsVerified: number;
  readonly deliveredLocally: { readonly push: number; readonly pull: number };
  readonly threadsOpened: number;
  readonly threadsClosed: number;
  readonly cities: readonly CityTally[];
  readonly durationMs: number;
}

export function tally(
  results: readonly MessageResult[],
  cities: readonly CitySpec[],
  durationMs: number,
): DemoCounts {
  const deliveries = results.flatMap((r) => r.deliveries.map((d) => ({ r, d })));
  const failed = results.filter((r) => r.failure !== undefined).length;
  return {
    ok: failed === 0 && results.length > 0,
    messages: results.length,
    failed,
    deliveries: deliveries.length,
    delivered: deliveries.filter(({ r }) => r.passed.includes('delivered')).length,
    receiptsVerified: deliveries.filter(({ d }) => d.receiptSha256 !== undefined).length,
    deliveredLocally: {
      push: deliveries.filter(({ d }) => d.mode === 'push').length,
      pull: deliveries.filter(({ d }) => d.mode === 'pull').length,
    },
    threadsOpened: results.filter((r) => r.threadState?.status === 'open').length,
    threadsClosed: results.filter((r) => r.threadState?.status === 'closed').length,
    cities: cities.map((c) => ({
      id: c.id,
      name: c.name,
      dialect: c.province,
      algorithm: c.algorithm,
      mode: c.mode,
      sent: results.filter((r) => r.from === c.id && r.passed.includes('submitted')).length,
      received: deliveries.filter(({ d }) => d.to === c.id && d.mode !== undefined).length,
    })),
    durationMs,
  };
}

/** Columns a terminal gives the text: CJK characters take two. */
const width = (text: string) => [...text].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);

const list = (items: readonly (string | undefined)[]) => [...new Set(items)].join(', ');

/**
 * One line per message with every hop it passed, e.g.
 * `✓ [湖州→苏州] food-safety assistance-request 01KQ…X7Z2 已提交（zj） → 已签名（ES256） → …`.
 */
export function messageLine(
  r: MessageResult,
  names: ReadonlyMap<string, string>,
  lang: Language = 'zh',
): string {
  const t = (key: Key, params?: Record<string, string | number>) => demoText(lang, key, params);
  const name = (id: string) => names.get(id) ?? id;
  const id = r.id === undefined ? '—' : `${r.id.slice(0, 6)}…${r.id.slice(-4)}`;
  const route = `[${name(r.from)}→${r.to.map(name).join(lang === 'en' ? ', ' : '、') || '?'}]`;
  const parts: string[] = [];
  const fanOut = r.deliveries.length > 1;
  for (const hop of r.passed) {
    if (hop === 'submitted') parts.push(t('submitted', { dialect: r.dialect ?? '' }));
    else if (hop === 'sealed') parts.push(t('sealed', { alg: r.alg ?? '' }));
    else if (hop === 'delivered')
      parts.push(fanOut ? t('deliveredMany', { count: r.deliveries.length }) : t('delivered'));
    else if (hop === 'receipt verified') {
      const sha = `sha256 ${r.deliveries[0]?.receiptSha256?.slice(0, 8)}…`;
      parts[parts.length - 1] += fanOut
        ? t('receipts', { count: r.deliveries.length, sha })
        : t('receipt', { sha });
    } else if (hop === 'translated')
      parts.push(t('translated', { dialects: list(r.deliveries.map((d) => d.dialect)) }));
    else if (hop === 'delivered locally')
      parts.push(
        t('local', {
          modes: r.deliveries
            .map((d) => (d.mode === 'pull' ? t('modePull') : d.mode === 'push' ? t('modePush') : '?'))
            .join(lang === 'en' ? ', ' : '、'),
        }),
      );
    else if (r.threadState?.status === 'open')
      parts.push(
        t('threadOpen', {
          workflow: r.threadState.workflow ?? t('thread'),
          states: r.threadState.states?.join('/') ?? '',
          due: r.threadState.dueAt ?? '',
        }),
      );
    else if (r.threadState?.status === 'moved')
      parts.push(
        t('threadMoved', {
          workflow: r.threadState.workflow ?? t('thread'),
          states: r.threadState.states?.join('/') ?? '',
        }),
      );
    else if (r.threadState?.status === 'closed')
      parts.push(t('threadClosed', { seconds: ((r.threadState.answeredAfterMs ?? 0) / 1000).toFixed(1) }));
    else parts.push(t('noThread'));
  }
  if (r.failure !== undefined) parts.push(t('failed', { hop: r.failure.hop, reason: r.failure.reason }));
  const mark = r.failure === undefined ? '✓' : '✗';
  return `${mark} ${route}${' '.repeat(Math.max(1, 12 - width(route)))}${r.domain.padEnd(14)} ${r.type.padEnd(18)} ${id}  ${parts.join(' → ')}`;
}

/** One JSON object per message (`--json`). */
export function messageJson(r: MessageResult): string {
  return JSON.stringify({
    message: r.id ?? null,
    step: r.step,
    from: r.from,
    to: r.to,
    domain: r.domain,
    type: r.type,
    contract: r.contract,
    dialect: r.dialect,
    alg: r.alg,
    sha256: r.sha256,
    thread: r.thread,
    inReplyTo: r.inReplyTo,
    deliveries: r.deliveries,
    threadState: r.threadState,
    hops: r.passed,
    ok: r.failure === undefined,
    failure: r.failure,
    ms: r.ms,
  });
}

export function summaryLines(c: DemoCounts, lang: Language = 'zh'): string[] {
  const t = (key: Key, params?: Record<string, string | number>) => demoText(lang, key, params);
  const cities = c.cities
    .map((x) => `${lang === 'en' ? (cityName(x.id, 'en') ?? x.id) : x.name} ${x.sent}/${x.received}`)
    .join(' · ');
  return [
    '',
    t('summary', { seconds: (c.durationMs / 1000).toFixed(1) }),
    t('sent', { messages: c.messages, deliveries: c.deliveries }),
    t('deliveredLine', { delivered: c.delivered, deliveries: c.deliveries, receipts: c.receiptsVerified }),
    t('localLine', {
      local: c.deliveredLocally.push + c.deliveredLocally.pull,
      deliveries: c.deliveries,
      push: c.deliveredLocally.push,
      pull: c.deliveredLocally.pull,
    }),
    t('threads', { opened: c.threadsOpened, closed: c.threadsClosed }),
    t('perCity', { cities }),
    c.ok ? t('allPassed') : t('someFailed', { failed: c.failed, messages: c.messages }),
  ];
}
