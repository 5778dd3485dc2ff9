import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { downloadDetail, fileResponse, heldFile, requeueTransfer } from '../../admin/services/case-files.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import { Notice } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ProblemBox } from '../layout.js';
import { action, field, page, render } from '../respond.js';

/**
 * A message's case files: the download of one (admin and auditor: case files are evidence; each
 * download audited with the file, the message and the bytes asked for) and the requeue of a transfer
 * that died or refused a file (admin and operator; audited like every console action).
 */
export function caseFileRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

  app.get(
    '/messages/:id/attachments/:index',
    // Signed-in readers reach the handler, so that a refused role is audited as well.
    page(ctx, 'messages:read', async (c, session) => {
      const t = c.get('t');
      const id = c.req.param('id') ?? '';
      const here = `/console/messages/${encodeURIComponent(id)}`;
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
            here,
            body: (
              <p class="problem" role="alert">
                {t.csrfRefused}
              </p>
            ),
          },
          { problem: new YrdxError('csrf_refused') },
        );
      }
      if (!mayDo(session.role, 'files:download')) {
        await record(403, 'admin_forbidden');
        return render(
          c,
          {
            title: t.forbiddenTitle,
            section: 'messages',
            here,
            body: (
              <p class="problem" role="alert">
                {t.forbidden}
              </p>
            ),
          },
          {
            problem: new YrdxError('admin_forbidden', {
              params: { role: session.role, action: `GET ${c.req.path}` },
            }),
          },
        );
      }
      try {
        if (exchange === undefined)
          throw new YrdxError('message_not_found', { params: { id: id.slice(0, 40) } });
        const held = await heldFile(exchange.store, id, c.req.param('index') ?? '');
        const range = c.req.header('range');
        const response = await fileResponse(exchange, id, held.file, range);
        await record(response.status, downloadDetail(id, held, response.status, range));
        // The console's headers (its CSP, nosniff, no-store) are added on the way out.
        return response;
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        await record(error.status, error.code);
        return render(
          c,
          {
            title: t.caseFiles,
            section: 'messages',
            here,
            body: <ProblemBox t={t} detail={error.detail(c.get('lang'))} code={error.code} />,
          },
          { problem: error },
        );
      }
    }),
  );

  app.post(
    '/messages/:id/attachments/requeue',
    action(ctx, 'deliveries:requeue', async (c, _session, form, note) => {
      const t = c.get('t');
      const id = c.req.param('id') ?? '';
      const here = `/console/messages/${encodeURIComponent(id)}`;
      if (exchange === undefined) return c.notFound();
      try {
        const senders = await requeueTransfer(exchange, id, field(form, 'sender'));
        note(`requeued the file transfer of message ${id} from ${senders.join(', ')}`);
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        note(error.code);
        return render(
          c,
          {
            title: t.requeueTransfer,
            section: 'messages',
            here,
            body: <ProblemBox t={t} detail={error.detail(c.get('lang'))} code={error.code} />,
          },
          { problem: error },
        );
      }
      return render(c, {
        title: t.requeueTransfer,
        section: 'messages',
        here,
        body: (
          <Notice>
            {t.transferRequeued}
            <code>{id}</code> · <a href={here}>{t.message}</a>
          </Notice>
        ),
      });
    }),
  );

  return app;
}
