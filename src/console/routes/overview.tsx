import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { partnerHealth } from '../../admin/services/partner-health.js';
import { threadState } from '../../exchange/threads/present.js';
import { FileMetrics } from '../case-files.js';
import { HourlyChart, hourlyCounts } from '../chart.js';
import { CodeCell, DataTable, KeyEnd, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ExpiringKeys, expiringPartnerKeys } from '../expiring-keys.js';
import { RequeueButton } from '../message-table.js';
import { circuitWord, city, clock, keyStateWord, when, zoned } from '../present.js';
import { page, render } from '../respond.js';

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
      const lang = c.get('lang');
      const now = ctx.now();
      const operator = mayDo(session.role, 'ops:read');
      const store = deps.exchange?.store;
      const health = [];
      if (operator) for (const p of deps.partners.list()) health.push(await partnerHealth(deps, p, now));
      const recent = store ? await store.searchMessages({ from: now - DAY, limit: 1000 }) : [];
      const hourly = hourlyCounts(recent, now);
      const dead = operator && store ? await store.listDeadLetters({ limit: 50 }) : [];
      const open = store ? await store.listThreads({ status: 'open' }) : [];
      // Open and overdue per counterpart: a request to three cities counts once for each.
      const threads = new Map<string, { open: number; overdue: number }>();
      for (const th of open) {
        for (const track of threadState(deps.exchange?.contracts, th, now).tracks) {
          if (track.final || track.expired) continue;
          const entry = threads.get(track.partner) ?? { open: 0, overdue: 0 };
          entry.open++;
          if (track.overdue) entry.overdue++;
          threads.set(track.partner, entry);
        }
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
              <Section id="h-health" title={t.partnerHealth} wide>
                <DataTable
                  id="health"
                  columns={[
                    t.partner,
                    t.status,
                    zoned(t.lastSuccess, lang),
                    t.errorRate,
                    t.circuit,
                    t.queueDepth,
                    t.deadLetters,
                  ]}
                >
                  {health.map((h) => (
                    <tr>
                      <td>{city(h.partner, lang)}</td>
                      <td class={h.status === 'active' ? 'ok' : 'bad'}>
                        {h.status === 'active' ? t.statusActive : t.statusSuspended}
                      </td>
                      <td>{h.lastSuccessAt === null ? t.never : clock(h.lastSuccessAt)}</td>
                      <td class="num">{h.errorRate === null ? '–' : `${(h.errorRate * 100).toFixed(1)}%`}</td>
                      <td class={h.circuit === 'open' ? 'bad' : ''}>{circuitWord(t, h.circuit)}</td>
                      <td class="num">{h.queueDepth}</td>
                      <td class={h.deadLetters > 0 ? 'num bad' : 'num'}>{h.deadLetters}</td>
                    </tr>
                  ))}
                </DataTable>
              </Section>
            ) : null}
            <Section id="h-hourly" title={t.perHour}>
              <p class="legend hint">
                <span class="out">■ {t.outbound}</span> <span class="in">■ {t.inbound}</span>
              </p>
              {hourly.size === 0 ? <p>{t.none}</p> : null}
              {[...hourly].map(([partner, counts]) => (
                <>
                  <h3>{city(partner, lang)}</h3>
                  <HourlyChart
                    axis={{ start: t.chartStart, end: t.chartEnd }}
                    label={`${t.partner} ${city(partner, lang)}`}
                    out={counts.out}
                    in={counts.in}
                  />
                </>
              ))}
            </Section>
            <Section id="h-threads" title={t.threadSummary}>
              <DataTable columns={[t.partner, t.open, t.overdue]} scroll={false}>
                {[...threads].map(([partner, n]) => (
                  <tr>
                    <td>
                      <a href={`/console/threads?partner=${encodeURIComponent(partner)}`}>
                        {city(partner, lang)}
                      </a>
                    </td>
                    <td class="num">{n.open}</td>
                    <td class={n.overdue > 0 ? 'num bad' : 'num'}>{n.overdue}</td>
                  </tr>
                ))}
              </DataTable>
            </Section>
            {operator ? (
              <Section id="h-dead" title={t.deadLetters} wide>
                {dead.length === 0 ? (
                  <p>{t.noDeadLetters}</p>
                ) : (
                  <DataTable
                    columns={[
                      zoned(t.time, lang),
                      t.messageId,
                      t.partner,
                      t.type,
                      t.attempts,
                      t.lastError,
                      '',
                    ]}
                  >
                    {dead.map((d) => (
                      <tr>
                        <td>{clock(d.at)}</td>
                        <td>
                          <a href={`/console/messages/${encodeURIComponent(d.messageId)}`}>{d.messageId}</a>
                        </td>
                        <td>
                          {city(d.partner, lang)}
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
                  </DataTable>
                )}
              </Section>
            ) : null}
            {operator && deps.exchange?.metrics !== undefined && deps.exchange.blobs !== undefined ? (
              <Section id="h-files" title={t.fileMetrics}>
                <FileMetrics t={t} metrics={deps.exchange.metrics} />
              </Section>
            ) : null}
            {operator ? (
              <Section id="h-keys" title={t.keys}>
                <DataTable columns={[t.kid, t.state, t.notAfter]} scroll={false}>
                  {keys.map((k) => (
                    <tr>
                      <CodeCell>{k.kid}</CodeCell>
                      <td>{keyStateWord(t, k.state)}</td>
                      <td class={soon(k.notAfter) ? 'warn' : ''}>
                        <KeyEnd
                          t={t}
                          lang={lang}
                          end={k.notAfter === undefined ? undefined : when(k.notAfter, lang)}
                          soon={soon(k.notAfter)}
                        />
                      </td>
                    </tr>
                  ))}
                </DataTable>
              </Section>
            ) : null}
            {operator ? (
              <Section id="h-expiring" title={t.partnerKeysExpiring}>
                <ExpiringKeys t={t} lang={lang} keys={expiringPartnerKeys(deps.partners.list(), now)} />
              </Section>
            ) : null}
          </div>
        ),
      });
    }),
  );

  return app;
}
