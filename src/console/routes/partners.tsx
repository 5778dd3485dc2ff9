import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { rotateNodeKeys } from '../../admin/services/key-rotation.js';
import { profileAlgorithms } from '../../config/profile.js';
import type { NodeConfig } from '../../config/types.js';
import { isYrdxError, type YrdxError } from '../../errors/errors.js';
import type { Partner } from '../../trust/partner-registry.js';
import type { Language } from '../../vocabulary/language.js';
import { ActionButton, CodeCell, DataTable, KeyEnd, Notice, PostForm, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ExpiringKeys, expiringPartnerKeys, PARTNER_KEY_WARNING_MS } from '../expiring-keys.js';
import type { Dictionary } from '../i18n/index.js';
import { ProblemBox } from '../layout.js';
import { aside, city, clock, keyStateWord, profileWord, when, zoned } from '../present.js';
import { action, type Form, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';
import { AddPartnerForm, partnerBody } from './partner-form.js';
import { publishedRoutes } from './partner-published.js';

const DAY = 86_400_000;

type Outcome = { ok: string } | { error: YrdxError };

/**
 * Partners and keys: every partner with its status and pinned keys (suspend, resume), this node's
 * keys with their overlap, and key rotation — through the same code as the admin API's
 * `/partners/{id}/suspend`, `/partners/{id}/resume` and `/keys/rotate`.
 */
export function partnerRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { deps } = ctx;

  const partnersPage = (
    c: Parameters<typeof render>[0],
    session: ConsoleSession,
    outcome?: Outcome,
    status?: 404 | 409 | 422,
    draft?: { form: Form; error: YrdxError },
  ) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const now = ctx.now();
    const partners = deps.partners.list();
    const mySuspend = mayDo(session.role, 'partners:suspend');
    const myResume = mayDo(session.role, 'partners:write');
    const myRotate = mayDo(session.role, 'keys:rotate');
    const myAdd = mayDo(session.role, 'partners:write');
    const keys = deps.keyring().keys;
    const minAge = deps.config.rotation.minNextAgeSeconds;
    const soon = (notAfter: number | undefined) =>
      notAfter !== undefined && notAfter - now < PARTNER_KEY_WARNING_MS;
    // A refusal: the action's error, or the draft's (a partner that could not be added).
    const refused = outcome !== undefined && 'error' in outcome ? outcome.error : draft?.error;
    return render(
      c,
      {
        title: t.partners,
        section: 'partners',
        here: '/console/partners',
        body: (
          <>
            <OutcomeBox t={t} lang={lang} outcome={outcome} />
            <Section id="h-partners" title={t.partnerList}>
              <DataTable
                columns={[t.partnerId, t.name, t.status, t.baseUrl, t.cryptoProfile, t.partnerKeys, '']}
              >
                {partners.map((p) => (
                  <tr id={`partner-${p.id}`}>
                    <td>{city(p.id, lang)}</td>
                    <td>{p.name}</td>
                    <td class={p.status === 'active' ? 'ok' : 'bad'}>
                      {p.status === 'active' ? t.statusActive : t.statusSuspended}
                    </td>
                    <CodeCell>{p.baseUrl}</CodeCell>
                    <td class="profile">{profileWord(t, p.cryptoProfile)}</td>
                    <td>
                      <ul class="plain">
                        {[...p.keys.values()].map((k) => {
                          const end = k.notAfter === undefined ? undefined : k.notAfter * 1000;
                          return (
                            <li class={soon(end) ? 'warn' : ''}>
                              <code title={k.kid}>{k.thumbprint}</code> ·{' '}
                              <KeyEnd
                                t={t}
                                lang={lang}
                                end={end === undefined ? undefined : when(end, lang)}
                                soon={soon(end)}
                              />
                            </li>
                          );
                        })}
                      </ul>
                    </td>
                    <td>
                      <a
                        href={`/console/partners/${encodeURIComponent(p.id)}/published`}
                        aria-label={`${t.published}: ${p.id}`}
                      >
                        {t.published}
                      </a>{' '}
                      {p.status === 'active' && mySuspend ? (
                        <StatusButton session={session} partner={p.id} verb="suspend" label={t.suspend} />
                      ) : null}
                      {p.status === 'suspended' && myResume ? (
                        <StatusButton session={session} partner={p.id} verb="resume" label={t.resume} />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </DataTable>
            </Section>
            {myAdd ? (
              <Section id="h-add-partner" title={t.addPartner}>
                <AddPartnerForm t={t} lang={lang} session={session} draft={draft} />
              </Section>
            ) : null}
            <Section id="h-expiring" title={t.partnerKeysExpiring}>
              <ExpiringKeys t={t} lang={lang} keys={expiringPartnerKeys(partners, now)} />
            </Section>
            <Section id="h-keys" title={t.keys}>
              <DataTable
                columns={[
                  t.kid,
                  t.state,
                  t.thumbprint,
                  zoned(t.createdAt, lang),
                  zoned(t.maySignFrom, lang),
                  zoned(t.activatedAt, lang),
                  zoned(t.retiredAt, lang),
                  zoned(t.notAfter, lang),
                ]}
              >
                {keys.map((k) => {
                  const end = k.notAfter === undefined ? undefined : Date.parse(k.notAfter);
                  const warn = end !== undefined && end - now < 30 * DAY;
                  return (
                    <tr>
                      <CodeCell>{k.kid}</CodeCell>
                      <td>{keyStateWord(t, k.state)}</td>
                      <CodeCell>{k.thumbprint}</CodeCell>
                      <td>{clock(k.createdAt)}</td>
                      <td>{k.state === 'next' ? clock(Date.parse(k.createdAt) + minAge * 1000) : ''}</td>
                      <td>{clock(k.activatedAt)}</td>
                      <td>
                        {clock(k.retiredAt)}
                        {k.publishedUntil === undefined
                          ? ''
                          : aside(`${t.publishedUntil} ${clock(k.publishedUntil * 1000)}`, lang)}
                      </td>
                      <td class={warn ? 'warn' : ''}>
                        <KeyEnd
                          t={t}
                          lang={lang}
                          end={k.notAfter === undefined ? undefined : clock(k.notAfter)}
                          soon={warn}
                        />
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
              <p class="hint">
                {t.overlap} {minAge} {t.overlapSeconds}
              </p>
              <NodeProfile t={t} config={deps.config} signs={deps.keyring().signer.alg} />
              {myRotate ? (
                <PostForm session={session} action="/console/keys/rotate">
                  <p class="hint">{t.rotateHint}</p>
                  <button type="submit">{t.rotate}</button>
                </PostForm>
              ) : null}
            </Section>
          </>
        ),
      },
      refused === undefined ? undefined : { problem: refused, ...(status === undefined ? {} : { status }) },
    );
  };

  app.get(
    '/partners',
    page(ctx, 'ops:read', (c, session) => partnersPage(c, session)),
  );

  const setStatus = (status: Partner['status']) =>
    action(
      ctx,
      status === 'active' ? 'partners:write' : 'partners:suspend',
      async (c, session, _form, note) => {
        const t = c.get('t');
        try {
          const changed = await ctx.partnerChanges.setStatus(c.req.param('id') ?? '', status);
          note(changed.note);
          const done = status === 'active' ? t.resumedPartner : t.suspendedPartner;
          return partnersPage(c, session, { ok: `${done}${changed.partner.id}` });
        } catch (error) {
          if (!isYrdxError(error)) throw error;
          note(error.code);
          return partnersPage(c, session, { error }, 404);
        }
      },
    );
  app.post(
    '/partners',
    action(ctx, 'partners:write', async (c, session, form, note) => {
      const t = c.get('t');
      try {
        const { partner } = await ctx.partnerChanges.register(partnerBody(form), { create: true });
        note(`registered partner ${partner.id}`);
        return partnersPage(c, session, { ok: `${t.addedPartner}${partner.id}` });
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        note(error.code);
        return partnersPage(c, session, undefined, error.status === 409 ? 409 : 422, { form, error });
      }
    }),
  );
  app.route('/', publishedRoutes(ctx));

  app.post('/partners/:id/suspend', setStatus('suspended'));
  app.post('/partners/:id/resume', setStatus('active'));

  app.post(
    '/keys/rotate',
    action(ctx, 'keys:rotate', async (c, session, _form, note) => {
      const t = c.get('t');
      try {
        const { summary, note: done } = await rotateNodeKeys(deps, false);
        note(done);
        return partnersPage(c, session, { ok: `${t.rotated}${summary.activated}` });
      } catch (error) {
        if (!isYrdxError(error)) throw error;
        note(`${error.code}: ${error.detail('en')}`);
        return partnersPage(c, session, { error }, 409);
      }
    }),
  );

  return app;
}

function StatusButton(props: {
  session: ConsoleSession;
  partner: string;
  verb: 'suspend' | 'resume';
  label: string;
}) {
  return (
    <ActionButton
      session={props.session}
      action={`/console/partners/${encodeURIComponent(props.partner)}/${props.verb}`}
      label={props.label}
      secondary={props.verb === 'suspend'}
    />
  );
}

/** This node's profile: what it signs, digests and encrypts at rest with, and what it accepts. */
function NodeProfile(props: { t: Dictionary; config: NodeConfig; signs: string }) {
  const { t, config } = props;
  const kept = profileAlgorithms(config.cryptoProfile);
  return (
    <dl id="node-profile">
      <dt>{t.profileOfNode}</dt>
      <dd>
        {profileWord(t, config.cryptoProfile)}: {t.profileSigns} {props.signs} · {t.profileDigest}{' '}
        {kept.digest} · {t.profileAtRest} {kept.atRest}
      </dd>
      <dt>{t.acceptedAlgorithms}</dt>
      <dd>{config.envelope.algorithms.join(', ')}</dd>
    </dl>
  );
}

function OutcomeBox(props: { t: Dictionary; lang: Language; outcome: Outcome | undefined }) {
  const { outcome } = props;
  if (outcome === undefined) return null;
  if ('ok' in outcome) {
    return <Notice>{outcome.ok}</Notice>;
  }
  return <ProblemBox t={props.t} detail={outcome.error.detail(props.lang)} code={outcome.error.code} />;
}
