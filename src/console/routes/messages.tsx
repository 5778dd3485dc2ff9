import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { assembleEvidence } from '../../audit/evidence-export.js';
import { sha256Hex } from '../../envelope/digest.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import type { MessageQuery, MessageSummary } from '../../store/port.js';
import type { MessageType } from '../../vocabulary/messages.js';
import { dialectBody, sealedBody } from '../bodies.js';
import { ActionButton, DataTable, deliveryClass, Notice } from '../components.js';
import type { ConsoleContext } from '../context.js';
import { DeliveryOutcomeCells } from '../delivery-outcome.js';
import type { ConsoleEnv } from '../env.js';
import type { Dictionary } from '../i18n/index.js';
import { iso, ProblemBox } from '../layout.js';
import { action, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';

const FILTERS = ['id', 'partner', 'domain', 'type', 'thread', 'caseNumber'] as const;

/** Message search, one message's timeline and bodies, and the requeue of dead deliveries. */
export function messageRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

  app.get(
    '/messages',
    page(ctx, 'messages:read', async (c) => {
      const t = c.get('t');
      const q = c.req.query();
      const time = (v: string | undefined) => {
        if (v === undefined || v === '') return undefined;
        const ms = Date.parse(v.length === 16 ? `${v}:00` : v);
        return Number.isNaN(ms) ? undefined : ms;
      };
      const query: MessageQuery = {
        ...Object.fromEntries(FILTERS.filter((f) => q[f]).map((f) => [f, q[f]!.trim()])),
        ...(q.direction === 'outbound' || q.direction === 'inbound' ? { direction: q.direction } : {}),
        ...(time(q.from) === undefined ? {} : { from: time(q.from)! }),
        ...(time(q.to) === undefined ? {} : { to: time(q.to)! }),
        limit: 100,
      };
      const items = exchange ? await exchange.store.searchMessages(query) : [];
      const params = new URLSearchParams(q);
      params.delete('lang');
      const here = `/console/messages${params.size > 0 ? `?${params}` : ''}`;
      return render(c, {
        title: t.searchMessages,
        section: 'messages',
        here,
        body: (
          <>
            <form class="grid" method="get" action="/console/messages">
              {FILTERS.map((f) => (
                <label for={`f-${f}`}>
                  {label(t, f)}
                  <input id={`f-${f}`} name={f} value={q[f] ?? ''} />
                </label>
              ))}
              <label for="f-direction">
                {t.direction}
                <select id="f-direction" name="direction">
                  <option value="">{t.any}</option>
                  <option value="outbound" selected={q.direction === 'outbound'}>
                    {t.outbound}
                  </option>
                  <option value="inbound" selected={q.direction === 'inbound'}>
                    {t.inbound}
                  </option>
                </select>
              </label>
              <label for="f-from">
                {t.from}
                <input id="f-from" name="from" type="datetime-local" value={q.from ?? ''} />
              </label>
              <label for="f-to">
                {t.to}
                <input id="f-to" name="to" type="datetime-local" value={q.to ?? ''} />
              </label>
              <div>
                <button type="submit">{t.search}</button>
              </div>
            </form>
            <h2>{t.results}</h2>
            <MessageTable t={t} items={items} />
          </>
        ),
      });
    }),
  );

  app.get(
    '/messages/:id',
    page(ctx, 'messages:read', async (c, session) => {
      const t = c.get('t');
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
        if (view !== undefined) inbound.push(view);
      }
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
      return render(c, {
        title: `${t.message} ${id}`,
        section: 'messages',
        here,
        body: (
          <>
            <h2>{t.summary}</h2>
            <MessageTable t={t} items={found} />
            {outbound ? (
              <>
                <h2>{t.timeline}</h2>
                <ol class="timeline" aria-label={t.timeline}>
                  {outbound.events.map((e) => (
                    <li class={e.event}>
                      <time datetime={iso(e.at)}>{iso(e.at)}</time> <strong>{e.event}</strong>
                      {e.recipient ? ` → ${e.recipient}` : ''}
                      {e.detail ? <span class="hint"> {e.detail}</span> : null}
                    </li>
                  ))}
                </ol>
                <h2>{t.deliveries}</h2>
                <DataTable columns={[t.recipient, t.status, t.attempts, t.lastError, t.receipt, '']}>
                  {outbound.deliveries.map((d) => (
                    <tr>
                      <td>{d.recipient}</td>
                      <td class={deliveryClass(d.status)}>{d.status}</td>
                      <td class="num">{d.attempts}</td>
                      <DeliveryOutcomeCells t={t} delivery={d} />
                      <td>
                        {d.status === 'dead' && canRequeue ? (
                          <RequeueButton t={t} session={session} kind="partner" id={d.deliveryId} />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </DataTable>
              </>
            ) : null}
            {inbound.map((v) => (
              <>
                <h2>
                  {t.inbound}: {v.iss}
                </h2>
                <ol class="timeline" aria-label={t.timeline}>
                  <li class="delivered">
                    <time datetime={iso(v.receivedAt)}>{iso(v.receivedAt)}</time> <strong>received</strong>{' '}
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
                        {d.localSystem} ({d.mode})
                      </td>
                      <td class={deliveryClass(d.status)}>{d.status}</td>
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
            <pre>{`yrdx evidence export --config config/node.json --message ${id} --out ${id}.evidence.json`}</pre>
          </>
        ),
      });
    }),
  );

  app.get(
    '/messages/:id/evidence',
    page(ctx, 'messages:read', async (c, session) => {
      const t = c.get('t');
      const id = c.req.param('id') ?? '';
      const record = (status: number, detail: string) =>
        ctx.deps.audit?.recordAdmin(
          {
            actor: session.credential,
            role: session.role,
            action: `GET ${c.req.path}`,
            outcome: status < 400 ? 'allowed' : 'refused',
            status,
            detail,
          },
          ctx.now(),
        );
      // The session cookie is SameSite=Strict; a request another site starts is refused as well.
      if (c.req.header('sec-fetch-site') === 'cross-site') {
        await record(403, 'csrf_refused');
        return render(
          c,
          {
            title: t.forbiddenTitle,
            section: 'messages',
            here: `/console/messages/${encodeURIComponent(id)}`,
            body: (
              <p class="problem" role="alert">
                {t.csrfRefused}
              </p>
            ),
          },
          { problem: new YrdxError('csrf_refused') },
        );
      }
      const keyring = ctx.deps.keyring();
      try {
        if (exchange === undefined)
          throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
        const bundle = await assembleEvidence(id, {
          store: exchange.store,
          node: ctx.deps.config.id,
          keyOf: async (iss, kid) =>
            iss === ctx.deps.config.id
              ? keyring.verificationKey(kid)?.jwk
              : ctx.deps.partners.get(iss)?.keys.get(kid)?.jwk,
          sha256: exchange.sha256 ?? sha256Hex,
          now: ctx.now(),
        });
        await record(200, `exported the evidence of message ${id}`);
        c.header('content-type', 'application/json; charset=utf-8');
        c.header('content-disposition', `attachment; filename="evidence-${fileSafe(id)}.json"`);
        return c.body(bundle.text);
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        await record(404, error.code);
        const lang = c.get('lang');
        return render(
          c,
          {
            title: t.evidence,
            section: 'messages',
            here: `/console/messages/${encodeURIComponent(id)}`,
            body: <ProblemBox t={t} detail={error.detail(lang === 'en' ? 'en' : 'zh')} code={error.code} />,
          },
          { problem: error, status: 404 },
        );
      }
    }),
  );

  app.post(
    '/dead-letters/:kind/:id/requeue',
    action(ctx, 'deliveries:requeue', async (c, _session, form, note) => {
      const t = c.get('t');
      const kind = c.req.param('kind');
      const id = c.req.param('id') ?? '';
      if (exchange === undefined || (kind !== 'partner' && kind !== 'local')) return c.notFound();
      const now = exchange.now();
      const done =
        kind === 'partner'
          ? await exchange.store.requeueDelivery(id, now)
          : await exchange.store.requeueLocalPush(id, now);
      const back =
        typeof form.back === 'string' && form.back.startsWith('/console/') ? form.back : '/console/overview';
      if (!done) {
        return render(
          c,
          {
            title: t.requeue,
            section: 'overview',
            here: back,
            body: <ProblemBox t={t} detail={id} code="delivery_not_dead" />,
          },
          { problem: new YrdxError('delivery_not_dead', { params: { id: id.slice(0, 40) } }) },
        );
      }
      exchange.notify?.(kind === 'partner' ? 'delivery' : 'local-push');
      note(`requeued ${kind} delivery ${id}`);
      return render(c, {
        title: t.requeue,
        section: 'overview',
        here: back,
        body: (
          <Notice>
            {t.requeued}
            <code>{id}</code> · <a href={back}>{t.overview}</a>
          </Notice>
        ),
      });
    }),
  );

  return app;
}

/** A message id as a file name: only characters that need no quoting in `Content-Disposition`. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

function label(t: Dictionary, f: (typeof FILTERS)[number]): string {
  return {
    id: t.messageId,
    partner: t.partner,
    domain: t.domain,
    type: t.type,
    thread: t.thread,
    caseNumber: t.caseNumber,
  }[f];
}

export function RequeueButton(props: {
  t: Dictionary;
  session: ConsoleSession;
  kind: 'partner' | 'local';
  id: string;
  back?: string;
}) {
  return (
    <ActionButton
      session={props.session}
      action={`/console/dead-letters/${props.kind}/${encodeURIComponent(props.id)}/requeue`}
      label={props.t.requeue}
      secondary
    >
      {props.back ? <input type="hidden" name="back" value={props.back} /> : null}
    </ActionButton>
  );
}

export function MessageTable(props: { t: Dictionary; items: readonly MessageSummary[] }) {
  const { t, items } = props;
  if (items.length === 0) return <p>{t.noResults}</p>;
  return (
    <DataTable
      columns={[t.time, t.direction, t.messageId, t.partner, t.type, t.contract, t.caseNumber, t.thread]}
    >
      {items.map((m) => (
        <tr>
          <td>{iso(m.at)}</td>
          <td>{m.direction === 'outbound' ? t.outbound : t.inbound}</td>
          <td>
            <a href={`/console/messages/${encodeURIComponent(m.messageId)}`}>{m.messageId}</a>
          </td>
          <td>{m.partners.join(', ')}</td>
          <td>{m.type}</td>
          <td>{m.contract}</td>
          <td>{m.caseNumber ?? ''}</td>
          <td>
            <a href={`/console/messages?thread=${encodeURIComponent(m.thread)}`}>{m.thread}</a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
