import { Hono } from 'hono';
import { KINDS_HEADING, kindLabel } from '../../audit/kinds.js';
import { CHAIN_FAULT_ZH, type LogVerdict, verifyStoredLog } from '../../audit/verify-log.js';
import { sha256Hex } from '../../envelope/digest.js';
import { PostForm } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { action, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';

/**
 * The audit page (every role): verifies the whole hash-chained audit log in the node's store, page
 * by page, exactly as `yrdx audit verify` does, and shows the entries checked and the head hash, or
 * the first broken entry and why.
 */
export function auditRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const exchange = ctx.deps.exchange;

  const auditPage = (c: Parameters<typeof render>[0], session: ConsoleSession, verdict?: LogVerdict) => {
    const t = c.get('t');
    const lang = c.get('lang');
    return render(c, {
      title: t.audit,
      section: 'audit',
      here: '/console/audit',
      body: (
        <>
          {exchange === undefined ? (
            <p>{t.noStore}</p>
          ) : (
            <PostForm session={session} action="/console/audit/verify">
              <p class="hint">{t.verifyHint}</p>
              <button type="submit">{t.verifyChain}</button>
            </PostForm>
          )}
          {verdict === undefined ? null : verdict.ok ? (
            <section aria-labelledby="h-verdict" class="notice" role="status">
              <h2 id="h-verdict" class="ok">
                {t.chainIntact}
              </h2>
              <dl>
                <dt>{t.entriesChecked}</dt>
                <dd id="audit-entries">{verdict.entries}</dd>
                <dt>{t.headHash}</dt>
                <dd>
                  <code>{verdict.head.hash}</code>
                </dd>
              </dl>
              <h3>{KINDS_HEADING[lang === 'en' ? 'en' : 'zh']}</h3>
              <dl id="audit-kinds">
                {verdict.kinds.map(({ kind, count }) => (
                  <>
                    <dt>
                      {kindLabel(kind, lang === 'en' ? 'en' : 'zh')} <code>{kind}</code>
                    </dt>
                    <dd>{count}</dd>
                  </>
                ))}
              </dl>
            </section>
          ) : (
            <section aria-labelledby="h-verdict" class="problem" role="alert">
              <h2 id="h-verdict" class="bad">
                {t.chainBroken}
              </h2>
              <dl>
                <dt>{t.entriesChecked}</dt>
                <dd id="audit-entries">{verdict.checked}</dd>
                <dt>{t.firstBroken}</dt>
                <dd>
                  {verdict.broken.seq} <code>{verdict.broken.fault}</code>
                </dd>
                <dt>{t.reason}</dt>
                <dd>{lang === 'en' ? verdict.broken.reason : CHAIN_FAULT_ZH[verdict.broken.fault]}</dd>
              </dl>
            </section>
          )}
        </>
      ),
    });
  };

  app.get(
    '/audit',
    page(ctx, 'messages:read', (c, session) => auditPage(c, session)),
  );

  app.post(
    '/audit/verify',
    action(ctx, 'messages:read', async (c, session, _form, note) => {
      if (exchange === undefined) return auditPage(c, session);
      const verdict = await verifyStoredLog(exchange.store, exchange.sha256 ?? sha256Hex);
      note(
        verdict.ok
          ? `audit log valid: ${verdict.entries} entries, head ${verdict.head.hash}`
          : `audit log broken at entry ${verdict.broken.seq}: ${verdict.broken.reason}`,
      );
      return auditPage(c, session, verdict);
    }),
  );

  return app;
}
