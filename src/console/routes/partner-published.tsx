import { Hono } from 'hono';
import { boundedFetch } from '../../egress/bounded-fetch.js';
import { YrdxError } from '../../errors/errors.js';
import { CodeCell, DataTable, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { profileWord } from '../present.js';
import { fetchPublished, type Published } from '../published.js';
import { page, render } from '../respond.js';

/**
 * A partner that publishes gm while not declared gm here (its non-SM2 signatures would still be
 * accepted), or declared gm here while it publishes another profile (its messages would be refused).
 */
function mismatch(published: string | undefined, declared: 'gm' | 'international' | undefined): boolean {
  if (published === undefined) return false;
  return (published === 'gm') !== (declared === 'gm');
}

/**
 * What a partner publishes (its node document and keys), fetched now and compared with the keys
 * pinned here.
 */
export function publishedRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { deps } = ctx;

  app.get(
    '/partners/:id/published',
    page(ctx, 'ops:read', async (c) => {
      const t = c.get('t');
      const id = c.req.param('id') ?? '';
      const partner = deps.partners.get(id);
      const here = `/console/partners/${encodeURIComponent(id)}/published`;
      if (partner === undefined) {
        return render(
          c,
          { title: `${t.publishedOf}${id}`, section: 'partners', here, body: <p>{t.none}</p> },
          { problem: new YrdxError('partner_not_found', { params: { partner: id.slice(0, 40) } }) },
        );
      }
      // The exchange's bounded client; a node without an exchange bounds the runtime's fetch.
      const fetcher = deps.exchange?.fetch ?? boundedFetch(fetch);
      let shown: Published | string;
      try {
        shown = await fetchPublished(fetcher, partner);
      } catch (error) {
        shown = error instanceof Error ? error.message : String(error);
      }
      return render(c, {
        title: `${t.publishedOf}${partner.id}`,
        section: 'partners',
        here,
        body: (
          <>
            <p class="hint">{t.publishedHint}</p>
            {typeof shown === 'string' ? (
              <p class="bad" role="alert">
                {t.fetchFailed}
                {shown}
              </p>
            ) : (
              <>
                <Section id="h-node-document" title={t.nodeDocument}>
                  <dl>
                    <dt>{t.partnerId}</dt>
                    <dd id="published-id">{shown.id}</dd>
                    <dt>{t.name}</dt>
                    <dd>{shown.name}</dd>
                    <dt>{t.domains}</dt>
                    <dd>{shown.domains.join(', ') || t.none}</dd>
                    <dt>{t.contracts}</dt>
                    <dd>{shown.contracts.join(', ') || t.none}</dd>
                    <dt>{t.publishedProfile}</dt>
                    <dd id="published-profile">{shown.cryptoProfile ?? t.none}</dd>
                    <dt>{t.acceptedAlgorithms}</dt>
                    <dd>{shown.algorithms.join(', ') || t.none}</dd>
                    <dt>{t.declaredProfile}</dt>
                    <dd id="declared-profile">{profileWord(t, partner.cryptoProfile)}</dd>
                  </dl>
                  {mismatch(shown.cryptoProfile, partner.cryptoProfile) ? (
                    <p class="warn" role="alert" id="profile-mismatch">
                      {t.profileMismatch}
                    </p>
                  ) : null}
                </Section>
                <Section id="h-published-keys" title={t.publishedKeys}>
                  <DataTable columns={[t.kid, t.alg, t.thumbprint, t.pinning]}>
                    {shown.keys.map((k) => (
                      <tr>
                        <CodeCell>{k.kid}</CodeCell>
                        <td>{k.alg}</td>
                        <CodeCell>{k.thumbprint ?? '–'}</CodeCell>
                        <td class={k.pinned ? 'ok' : 'warn'}>{k.pinned ? t.pinned : t.notPinned}</td>
                      </tr>
                    ))}
                  </DataTable>
                </Section>
              </>
            )}
            <p>
              <a href="/console/partners">{t.backToPartners}</a>
            </p>
          </>
        ),
      });
    }),
  );

  return app;
}
