import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { inboundCaseFiles, outboundCaseFiles } from '../../admin/services/case-files.js';
import { YrdxError } from '../../errors/errors.js';
import type { MessageType } from '../../vocabulary/messages.js';
import { dialectBody, sealedBody } from '../bodies.js';
import { InboundFiles, OutboundFiles } from '../case-files.js';
import { DataTable, deliveryClass } from '../components.js';
import type { ConsoleContext } from '../context.js';
import { DeliveryOutcomeCells } from '../delivery-outcome.js';
import type { ConsoleEnv } from '../env.js';
import { evidenceCommand } from '../evidence-command.js';
import { iso, ProblemBox } from '../layout.js';
import { MessageTable, RequeueButton } from '../message-table.js';
import { city, deliveryWord, eventDetail, eventWord, when } from '../present.js';
import { page, render } from '../respond.js';

/** One message: its summary, timeline, deliveries, receipts and bodies side by side. */
export function messageDetailRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

  app.get(
    '/messages/:id',
    page(ctx, 'messages:read', async (c, session) => {
      const t = c.get('t');
      const lang = c.get('lang');
      const id = c.req.param('id') ?? '';
      const found = exchange ? await exchange.store.searchMessages({ id, limit: 10 }) : [];
      const here = `/console/messages/${encodeURIComponent(id)}`;
      if (exchange === undefined || found.length === 0) {
        return render(
          c,
          {
            title: t.notFound,
            section: 'messages',
            here,
            body: <ProblemBox t={t} detail={`${t.message} ${id}`} code="message_not_found" />,
          },
          { problem: new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } }) },
        );
      }
      const store = exchange.store;
      const outbound = found.some((m) => m.direction === 'outbound')
        ? await store.getOutbound(id)
        : undefined;
      const inbound = [];
      for (const m of found.filter((x) => x.direction === 'inbound')) {
        const view = await store.getInbound(m.partners[0] ?? '', id);
        if (view !== undefined)
          inbound.push({ ...view, files: await inboundCaseFiles(store, view.iss, view.jti) });
      }
      const outboundFiles = outbound === undefined ? undefined : await outboundCaseFiles(store, outbound);
      const mayDownload = mayDo(session.role, 'files:download');
      const first = found[0]!;
      const token = outbound?.token ?? inbound[0]?.token ?? '';
      const canonical = token === '' ? undefined : sealedBody(token);
      const dialects = new Set<string>();
      const dialectOf = (system: string) =>
        ctx.deps.config.localSystems.find((s) => s.id === system)?.dialect;
      if (outbound) dialects.add(dialectOf(outbound.localSystem) ?? '');
      for (const v of inbound)
        for (const d of v.localDeliveries) dialects.add(dialectOf(d.localSystem) ?? '');
      dialects.delete('');
      const canRequeue = mayDo(session.role, 'deliveries:requeue');
      const configFile = ctx.deps.admin?.configFile;
      return render(c, {
        title: `${t.message} ${id}`,
        section: 'messages',
        here,
        body: (
          <>
            <h2>{t.summary}</h2>
            <MessageTable t={t} lang={lang} items={found} />
            {outbound ? (
              <>
                <h2>{t.timeline}</h2>
                <ol class="timeline" aria-label={t.timeline}>
                  {outbound.events.map((e) => (
                    <li class={e.event}>
                      <time datetime={iso(e.at)}>{when(e.at, lang)}</time>{' '}
                      <strong>{eventWord(t, e.event)}</strong>
                      {e.recipient ? ` → ${city(e.recipient, lang)}` : ''}
                      {e.detail ? <span class="hint"> {eventDetail(t, lang, e.detail)}</span> : null}
                    </li>
                  ))}
                </ol>
                <h2>{t.deliveries}</h2>
                <DataTable columns={[t.recipient, t.status, t.attempts, t.lastError, t.receipt, '']}>
                  {outbound.deliveries.map((d) => (
                    <tr>
                      <td>{city(d.recipient, lang)}</td>
                      <td class={deliveryClass(d.status)}>{deliveryWord(t, d.status)}</td>
                      <td class="num">{d.attempts}</td>
                      <DeliveryOutcomeCells t={t} lang={lang} delivery={d} />
                      <td>
                        {d.status === 'dead' && canRequeue ? (
                          <RequeueButton t={t} session={session} kind="partner" id={d.deliveryId} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </DataTable>
                {outboundFiles === undefined ? null : (
                  <OutboundFiles t={t} lang={lang} id={id} files={outboundFiles} mayDownload={mayDownload} />
                )}
              </>
            ) : null}
            {inbound.map((v) => (
              <>
                <h2>
                  {t.inbound}: {city(v.iss, lang)}
                </h2>
                <ol class="timeline" aria-label={t.timeline}>
                  <li class="delivered">
                    <time datetime={iso(v.receivedAt)}>{when(v.receivedAt, lang)}</time>{' '}
                    <strong>{eventWord(t, 'received')}</strong>{' '}
                    <span class="hint">
                      {t.receipt}: sha256:{v.sha256.slice(0, 16)}…
                    </span>
                  </li>
                </ol>
                <h3>{t.localDeliveries}</h3>
                <DataTable columns={[t.localSystem, t.status, t.attempts, t.lastError, '']} scroll={false}>
                  {v.localDeliveries.map((d) => (
                    <tr>
                      <td>
                        {d.localSystem} ({d.mode === 'push' ? t.modePush : t.modePull})
                      </td>
                      <td class={deliveryClass(d.status)}>{deliveryWord(t, d.status)}</td>
                      <td class="num">{d.attempts}</td>
                      <td>{d.lastError ?? ''}</td>
                      <td>
                        {d.status === 'dead' && canRequeue ? (
                          <RequeueButton t={t} session={session} kind="local" id={d.id} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </DataTable>
                <InboundFiles
                  t={t}
                  lang={lang}
                  id={id}
                  sender={v.iss}
                  files={v.files}
                  session={session}
                  mayDownload={mayDownload}
                  mayRequeue={canRequeue}
                />
                <h3>{t.receipt}</h3>
                <pre>{v.receiptToken}</pre>
              </>
            ))}
            <h2>{t.bodies}</h2>
            {canonical === undefined ? (
              <p>{t.purged}</p>
            ) : (
              <div class="side">
                <section aria-label={t.canonicalBody}>
                  <h3>
                    {t.canonicalBody} · {first.contract}
                  </h3>
                  <pre>{JSON.stringify(canonical, null, 2)}</pre>
                </section>
                {[...dialects].map((d) => (
                  <section aria-label={`${t.dialectBody} ${d}`}>
                    <h3>
                      {t.dialectBody} · {d}
                    </h3>
                    <pre>
                      {JSON.stringify(
                        dialectBody(
                          exchange.contracts,
                          first.contract,
                          d,
                          first.type as MessageType,
                          canonical,
                        ) ?? null,
                        null,
                        2,
                      )}
                    </pre>
                  </section>
                ))}
              </div>
            )}
            <h2>{t.evidence}</h2>
            <p>
              <a
                class="button"
                href={`/console/messages/${encodeURIComponent(id)}/evidence`}
                download={`evidence-${id}.json`}
              >
                {t.downloadEvidence}
              </a>
            </p>
            <p>{t.evidenceHint}</p>
            {configFile === undefined ? (
              <p id="evidence-cli">{t.evidenceNoCli}</p>
            ) : (
              <>
                <p>{t.evidenceCommand}</p>
                <pre id="evidence-cli">{evidenceCommand(configFile, id)}</pre>
              </>
            )}
          </>
        ),
      });
    }),
  );

  return app;
}
