import { Hono } from 'hono';
import { YrdxError } from '../../errors/errors.js';
import { Notice } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ProblemBox } from '../layout.js';
import { action, render } from '../respond.js';

/** The requeue of a dead delivery, to a partner or to a local system. */
export function deadLetterRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

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
