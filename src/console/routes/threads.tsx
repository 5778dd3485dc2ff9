import { Hono } from 'hono';
import type { ContractRegistry } from '../../contracts/registry.js';
import type { Title } from '../../contracts/workflow.js';
import { stateTitle, threadState, threadWorkflow } from '../../exchange/threads/present.js';
import type { ThreadView } from '../../store/port.js';
import type { Language } from '../../vocabulary/language.js';
import { DataTable, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { aside, city, clock, when, zoned } from '../present.js';
import { page, render } from '../respond.js';
import { formatDuration, responseTimes } from '../response-times.js';

const pick = (title: Title, lang: Language) => (lang === 'en' ? title.en : title['zh-CN']);

/** The title of a message type: the contract's, when it declares one, else the type itself. */
function typeTitle(
  registry: ContractRegistry | undefined,
  domain: string,
  type: string,
  lang: Language,
): string {
  const title = registry?.latest(domain)?.typeTitles.get(type);
  return title === undefined
    ? type
    : lang === 'en'
      ? `${title.en} (${type})`
      : `${title['zh-CN']}（${type}）`;
}

/**
 * Cooperation threads: the open ones with each counterpart's state in its workflow (overdue first),
 * response times per partner, and a thread's page with its workflow as a timeline of states.
 */
export function threadRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { deps } = ctx;
  const registry = () => deps.exchange?.contracts;

  app.get(
    '/threads',
    page(ctx, 'messages:read', async (c) => {
      const t = c.get('t');
      const lang = c.get('lang');
      const now = ctx.now();
      const partner = c.req.query('partner');
      const list = deps.exchange
        ? await deps.exchange.store.listThreads({ status: 'open', ...(partner ? { partner } : {}) })
        : [];
      const rows = list.map((th) => ({ th, state: threadState(registry(), th, now) }));
      // Overdue first, then by due date.
      const due = (th: ThreadView) => th.dueAt ?? Number.MAX_SAFE_INTEGER;
      rows.sort((a, b) => Number(b.state.overdue) - Number(a.state.overdue) || due(a.th) - due(b.th));
      const closed = deps.exchange
        ? await deps.exchange.store.listThreads({
            status: 'closed',
            limit: 10_000,
            ...(partner ? { partner } : {}),
          })
        : [];
      const times = responseTimes([...closed, ...list]);
      return render(c, {
        title: t.threads,
        section: 'threads',
        here: `/console/threads${partner ? `?partner=${encodeURIComponent(partner)}` : ''}`,
        body: (
          <>
            <Section id="h-open-threads" title={t.openThreads}>
              {rows.length === 0 ? (
                <p>{t.none}</p>
              ) : (
                <DataTable
                  columns={[
                    t.thread,
                    t.workflow,
                    t.direction,
                    t.workflowStates,
                    zoned(t.openedAt, lang),
                    zoned(t.dueAt, lang),
                  ]}
                >
                  {rows.map(({ th, state }) => (
                    <tr>
                      <td>
                        <a href={`/console/threads/${encodeURIComponent(th.threadId)}`}>{th.threadId}</a>
                      </td>
                      <td>{state.workflow === undefined ? th.type : pick(state.workflow.title, lang)}</td>
                      <td>{th.direction === 'outbound' ? t.outbound : t.inbound}</td>
                      <td>
                        {state.tracks.map((k) => (
                          <span class={`track${k.overdue ? ' bad' : ''}`}>
                            {city(k.partner, lang)} {pick(k.title, lang)}
                            {k.overdue ? aside(t.overdue, lang) : ''}{' '}
                          </span>
                        ))}
                      </td>
                      <td>{clock(th.openedAt)}</td>
                      <td class={state.overdue ? 'bad' : ''}>
                        {clock(th.dueAt)}
                        {state.overdue ? aside(t.overdue, lang) : ''}
                      </td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </Section>
            <Section id="h-response-times" title={t.responseTimes}>
              <p class="hint">{t.responseTimesHint}</p>
              {times.length === 0 ? (
                <p>{t.none}</p>
              ) : (
                <DataTable columns={[t.partner, t.answered, t.medianReply, t.longestReply]} scroll={false}>
                  {times.map((r) => (
                    <tr>
                      <td>{city(r.partner, lang)}</td>
                      <td class="num">{r.answered}</td>
                      <td class="num">{formatDuration(r.medianMs)}</td>
                      <td class="num">{formatDuration(r.longestMs)}</td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </Section>
          </>
        ),
      });
    }),
  );

  app.get(
    '/threads/:id',
    page(ctx, 'messages:read', async (c) => {
      const t = c.get('t');
      const lang = c.get('lang');
      const now = ctx.now();
      const id = c.req.param('id') ?? '';
      const thread = deps.exchange ? await deps.exchange.store.getThread(id) : undefined;
      if (thread === undefined) return c.notFound();
      const state = threadState(registry(), thread, now);
      const workflow = threadWorkflow(registry(), thread);
      const role = (by: 'requester' | 'recipient') => (by === 'requester' ? t.requester : t.recipient);
      return render(c, {
        title: `${t.thread} ${thread.threadId}`,
        section: 'threads',
        here: `/console/threads/${encodeURIComponent(thread.threadId)}`,
        body: (
          <>
            <Section
              id="h-thread"
              title={state.workflow === undefined ? thread.type : pick(state.workflow.title, lang)}
            >
              <dl class="facts">
                <dt>{t.domain}</dt>
                <dd>{thread.domain}</dd>
                <dt>{t.direction}</dt>
                <dd>{thread.direction === 'outbound' ? t.outbound : t.inbound}</dd>
                <dt>{t.status}</dt>
                <dd>{thread.status === 'open' ? t.threadOpen : t.threadClosed}</dd>
                <dt>{t.request}</dt>
                <dd>
                  <a href={`/console/messages/${encodeURIComponent(thread.requestId)}`}>{thread.requestId}</a>
                </dd>
              </dl>
            </Section>
            <Section id="h-tracks" title={t.workflowStates}>
              <DataTable
                columns={[
                  t.partner,
                  t.state,
                  zoned(t.enteredAt, lang),
                  zoned(t.dueAt, lang),
                  zoned(t.expiresAt, lang),
                ]}
                scroll={false}
              >
                {state.tracks.map((k) => (
                  <tr>
                    <td>{city(k.partner, lang)}</td>
                    <td class={k.overdue || k.expired ? 'bad' : k.final ? 'ok' : ''}>
                      {pick(k.title, lang)}
                      {k.overdue ? aside(t.overdue, lang) : ''}
                    </td>
                    <td>{clock(k.enteredAt)}</td>
                    <td>{clock(k.dueAt)}</td>
                    <td>{clock(k.expiresAt)}</td>
                  </tr>
                ))}
              </DataTable>
            </Section>
            <Section id="h-timeline" title={t.stateTimeline}>
              <ol class="timeline">
                {thread.transitions.map((x) => (
                  <li class={x.late ? 'late' : ''}>
                    <time>{when(x.at, lang)}</time> <strong>{city(x.partner, lang)}</strong>{' '}
                    {x.from === '' ? '' : `${pick(stateTitle(workflow, x.from), lang)} → `}
                    <strong>{pick(stateTitle(workflow, x.to), lang)}</strong> ·{' '}
                    {typeTitle(registry(), thread.domain, x.type, lang)} · {role(x.by)} ·{' '}
                    <a href={`/console/messages/${encodeURIComponent(x.messageId)}`}>{x.messageId}</a>
                    {x.late ? ` · ${t.late}` : ''}
                  </li>
                ))}
              </ol>
            </Section>
          </>
        ),
      });
    }),
  );

  return app;
}
