import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { partnerHealth } from '../../admin/routes/partners.js';
import { HourlyChart, hourlyCounts } from '../chart.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { iso } from '../layout.js';
import { page, render } from '../respond.js';
import { RequeueButton } from './messages.js';
import { ExpiringKeys, expiringPartnerKeys } from './partners.js';

const DAY = 86_400_000;

/**
 * The overview: partner health (as `GET /admin/v1/health/partners` computes it), messages per hour,
 * dead letters, open and overdue threads, this node's keys near their planned end, and partner keys
 * that stop verifying within 60 days.
 */
export function overviewRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { deps } = ctx;

  app.get(
    '/overview',
    page(ctx, 'messages:read', async (c, session) => {
      const t = c.get('t');
      const now = ctx.now();
      const operator = mayDo(session.role, 'ops:read');
      const store = deps.exchange?.store;
      const health = [];
      if (operator) for (const p of deps.partners.list()) health.push(await partnerHealth(deps, p, now));
      const recent = store ? await store.searchMessages({ from: now - DAY, limit: 1000 }) : [];
      const hourly = hourlyCounts(recent, now);
      const dead = operator && store ? await store.listDeadLetters({ limit: 50 }) : [];
      const open = store ? await store.listThreads({ status: 'open' }) : [];
      const threads = new Map<string, { open: number; overdue: number }>();
      for (const th of open) {
        const entry = threads.get(th.partner) ?? { open: 0, overdue: 0 };
        entry.open++;
        if (th.dueAt < now) entry.overdue++;
        threads.set(th.partner, entry);
      }
      const keys = operator ? deps.keyring().keys : [];
      const soon = (notAfter: string | undefined) =>
        notAfter !== undefined && Date.parse(notAfter) - now < 30 * DAY;
      const canRequeue = mayDo(session.role, 'deliveries:requeue');
      return render(c, {
        title: t.overview,
        section: 'overview',
        here: '/console/overview',
        body: (
          <div class="cards">
            {operator ? (
              <section aria-labelledby="h-health">
                <h2 id="h-health">{t.partnerHealth}</h2>
                <div class="scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t.partner}</th>
                        <th scope="col">{t.status}</th>
                        <th scope="col">{t.lastSuccess}</th>
                        <th scope="col">{t.errorRate}</th>
                        <th scope="col">{t.circuit}</th>
                        <th scope="col">{t.queueDepth}</th>
                        <th scope="col">{t.deadLetters}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {health.map((h) => (
                        <tr>
                          <td>{h.partner}</td>
                          <td class={h.status === 'active' ? 'ok' : 'bad'}>{h.status}</td>
                          <td>{h.lastSuccessAt ?? t.never}</td>
                          <td class="num">
                            {h.errorRate === null ? '–' : `${(h.errorRate * 100).toFixed(1)}%`}
                          </td>
                          <td class={h.circuit === 'open' ? 'bad' : ''}>{h.circuit}</td>
                          <td class="num">{h.queueDepth}</td>
                          <td class={h.deadLetters > 0 ? 'num bad' : 'num'}>{h.deadLetters}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ) : null}
            <section aria-labelledby="h-hourly">
              <h2 id="h-hourly">{t.perHour}</h2>
              <p class="legend hint">
                <span class="out">■ {t.outbound}</span> <span class="in">■ {t.inbound}</span>
              </p>
              {hourly.size === 0 ? <p>{t.none}</p> : null}
              {[...hourly].map(([partner, counts]) => (
                <>
                  <h3>{partner}</h3>
                  <HourlyChart label={`${t.partner} ${partner}`} out={counts.out} in={counts.in} />
                </>
              ))}
            </section>
            <section aria-labelledby="h-threads">
              <h2 id="h-threads">{t.threadSummary}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.partner}</th>
                    <th scope="col">{t.open}</th>
                    <th scope="col">{t.overdue}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...threads].map(([partner, n]) => (
                    <tr>
                      <td>
                        <a href={`/console/threads?partner=${encodeURIComponent(partner)}`}>{partner}</a>
                      </td>
                      <td class="num">{n.open}</td>
                      <td class={n.overdue > 0 ? 'num bad' : 'num'}>{n.overdue}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {operator ? (
              <section aria-labelledby="h-dead">
                <h2 id="h-dead">{t.deadLetters}</h2>
                {dead.length === 0 ? (
                  <p>{t.noDeadLetters}</p>
                ) : (
                  <div class="scroll">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t.time}</th>
                          <th scope="col">{t.messageId}</th>
                          <th scope="col">{t.partner}</th>
                          <th scope="col">{t.type}</th>
                          <th scope="col">{t.attempts}</th>
                          <th scope="col">{t.lastError}</th>
                          <th scope="col"></th>
                        </tr>
                      </thead>
                      <tbody>
                        {dead.map((d) => (
                          <tr>
                            <td>{iso(d.at)}</td>
                            <td>
                              <a href={`/console/messages/${encodeURIComponent(d.messageId)}`}>
                                {d.messageId}
                              </a>
                            </td>
                            <td>
                              {d.partner}
                              {d.localSystem ? ` → ${d.localSystem}` : ''}
                            </td>
                            <td>{d.type}</td>
                            <td class="num">{d.attempts}</td>
                            <td>{d.lastError ?? ''}</td>
                            <td>
                              {canRequeue ? (
                                <RequeueButton
                                  t={t}
                                  session={session}
                                  kind={d.kind}
                                  id={d.deliveryId}
                                  back="/console/overview"
                                />
                              ) : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            ) : null}
            {operator ? (
              <section aria-labelledby="h-keys">
                <h2 id="h-keys">{t.keys}</h2>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.kid}</th>
                      <th scope="col">{t.state}</th>
                      <th scope="col">{t.notAfter}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {keys.map((k) => (
                      <tr>
                        <td>
                          <code>{k.kid}</code>
                        </td>
                        <td>{k.state}</td>
                        <td class={soon(k.notAfter) ? 'warn' : ''}>
                          {k.notAfter ?? t.never}
                          {soon(k.notAfter) ? ` (${t.expiresSoon})` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ) : null}
            {operator ? (
              <section aria-labelledby="h-expiring">
                <h2 id="h-expiring">{t.partnerKeysExpiring}</h2>
                <ExpiringKeys t={t} keys={expiringPartnerKeys(deps.partners.list(), now)} />
              </section>
            ) : null}
          </div>
        ),
      });
    }),
  );

  app.get(
    '/threads',
    page(ctx, 'messages:read', async (c) => {
      const t = c.get('t');
      const now = ctx.now();
      const partner = c.req.query('partner');
      const list = deps.exchange
        ? await deps.exchange.store.listThreads({ status: 'open', ...(partner ? { partner } : {}) })
        : [];
      // Overdue first, then by due date.
      const sorted = [...list].sort(
        (a, b) => Number(b.dueAt < now) - Number(a.dueAt < now) || a.dueAt - b.dueAt,
      );
      return render(c, {
        title: t.threads,
        section: 'threads',
        here: `/console/threads${partner ? `?partner=${encodeURIComponent(partner)}` : ''}`,
        body:
          sorted.length === 0 ? (
            <p>{t.none}</p>
          ) : (
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.thread}</th>
                    <th scope="col">{t.partner}</th>
                    <th scope="col">{t.direction}</th>
                    <th scope="col">{t.type}</th>
                    <th scope="col">{t.openedAt}</th>
                    <th scope="col">{t.dueAt}</th>
                    <th scope="col">{t.request}</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((th) => (
                    <tr>
                      <td>{th.threadId}</td>
                      <td>{th.partner}</td>
                      <td>{th.direction === 'outbound' ? t.outbound : t.inbound}</td>
                      <td>{th.type}</td>
                      <td>{iso(th.openedAt)}</td>
                      <td class={th.dueAt < now ? 'bad' : ''}>
                        {iso(th.dueAt)}
                        {th.dueAt < now ? ` (${t.overdue})` : ''}
                      </td>
                      <td>
                        <a href={`/console/messages/${encodeURIComponent(th.requestId)}`}>{th.requestId}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ),
      });
    }),
  );

  return app;
}
