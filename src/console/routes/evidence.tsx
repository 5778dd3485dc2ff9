import { Hono } from 'hono';
import { assembleEvidence } from '../../audit/evidence-export.js';
import { sha256Hex } from '../../envelope/digest.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ProblemBox } from '../layout.js';
import { page, render } from '../respond.js';

/** The evidence bundle of one message, as `yrdx evidence export` writes it; every download is audited. */
export function evidenceRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

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
          digest: exchange.digest ?? exchange.sha256 ?? sha256Hex,
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
            body: <ProblemBox t={t} detail={error.detail(lang)} code={error.code} />,
          },
          { problem: error, status: 404 },
        );
      }
    }),
  );

  return app;
}

/** A message id as a file name: only characters that need no quoting in `Content-Disposition`. */
function fileSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
