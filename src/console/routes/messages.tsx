import { Hono } from 'hono';
import type { MessageQuery } from '../../store/port.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import type { Dictionary } from '../i18n/index.js';
import { MessageTable } from '../message-table.js';
import { page, render } from '../respond.js';
import { caseFileRoutes } from './case-files.js';
import { deadLetterRoutes } from './dead-letters.js';
import { evidenceRoutes } from './evidence.js';
import { messageDetailRoutes } from './message-detail.js';

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
            <MessageTable t={t} lang={c.get('lang')} items={items} />
          </>
        ),
      });
    }),
  );

  app.route('/', messageDetailRoutes(ctx));
  app.route('/', evidenceRoutes(ctx));
  app.route('/', deadLetterRoutes(ctx));
  app.route('/', caseFileRoutes(ctx));

  return app;
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
