import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { rotateNodeKeys } from '../../admin/services/key-rotation.js';
import { boundedFetch } from '../../egress/bounded-fetch.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import { thumbprint } from '../../keys/jwk.js';
import type { Partner } from '../../trust/partner-registry.js';
import { ActionButton, CodeCell, DataTable, KeyEnd, Notice, PostForm, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { formJson } from '../form-json.js';
import type { ConsoleLang, Dictionary } from '../i18n/index.js';
import { iso, ProblemBox } from '../layout.js';
import { action, type Form, field, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';

const DAY = 86_400_000;
/** Partner keys whose registration ends this soon are highlighted (the node alerts as early). */
export const PARTNER_KEY_WARNING_MS = 60 * DAY;

/** A pinned partner key that stops verifying within `PARTNER_KEY_WARNING_MS` of `now`. */
export interface ExpiringKey {
  readonly partner: string;
  readonly kid: string;
  readonly thumbprint: string;
  readonly notAfter: number;
}

/** The partners' pinned keys that end within 60 days (or have ended), soonest first. */
export function expiringPartnerKeys(partners: readonly Partner[], now: number): ExpiringKey[] {
  const out: ExpiringKey[] = [];
  for (const p of partners) {
    for (const k of p.keys.values()) {
      if (k.notAfter !== undefined && k.notAfter * 1000 - now < PARTNER_KEY_WARNING_MS) {
        out.push({ partner: p.id, kid: k.kid, thumbprint: k.thumbprint, notAfter: k.notAfter * 1000 });
      }
    }
  }
  return out.sort((a, b) => a.notAfter - b.notAfter);
}

/** The table of partner keys near their end, for this page and the overview. */
export function ExpiringKeys(props: { t: Dictionary; keys: readonly ExpiringKey[] }) {
  const { t } = props;
  if (props.keys.length === 0) return <p>{t.noPartnerKeysExpiring}</p>;
  return (
    <DataTable columns={[t.partner, t.kid, t.thumbprint, t.validUntil]}>
      {props.keys.map((k) => (
        <tr>
          <td>{k.partner}</td>
          <CodeCell>{k.kid}</CodeCell>
          <CodeCell>{k.thumbprint}</CodeCell>
          <td class="warn">{iso(k.notAfter)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

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
              <DataTable columns={[t.partnerId, t.name, t.status, t.baseUrl, t.partnerKeys, '']}>
                {partners.map((p) => (
                  <tr id={`partner-${p.id}`}>
                    <td>{p.id}</td>
                    <td>{p.name}</td>
                    <td class={p.status === 'active' ? 'ok' : 'bad'}>
                      {p.status === 'active' ? t.statusActive : t.statusSuspended}
                    </td>
                    <CodeCell>{p.baseUrl}</CodeCell>
                    <td>
                      <ul class="plain">
                        {[...p.keys.values()].map((k) => {
                          const end = k.notAfter === undefined ? undefined : k.notAfter * 1000;
                          return (
                            <li class={soon(end) ? 'warn' : ''}>
                              <code title={k.kid}>{k.thumbprint}</code> ·{' '}
                              <KeyEnd t={t} end={end === undefined ? undefined : iso(end)} soon={soon(end)} />
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
              <ExpiringKeys t={t} keys={expiringPartnerKeys(partners, now)} />
            </Section>
            <Section id="h-keys" title={t.keys}>
              <DataTable
                columns={[
                  t.kid,
                  t.state,
                  t.thumbprint,
                  t.createdAt,
                  t.maySignFrom,
                  t.activatedAt,
                  t.retiredAt,
                  t.notAfter,
                ]}
              >
                {keys.map((k) => {
                  const end = k.notAfter === undefined ? undefined : Date.parse(k.notAfter);
                  const warn = end !== undefined && end - now < 30 * DAY;
                  return (
                    <tr>
                      <CodeCell>{k.kid}</CodeCell>
                      <td>{k.state}</td>
                      <CodeCell>{k.thumbprint}</CodeCell>
                      <td>{k.createdAt}</td>
                      <td>{k.state === 'next' ? iso(Date.parse(k.createdAt) + minAge * 1000) : ''}</td>
                      <td>{k.activatedAt ?? ''}</td>
                      <td>
                        {k.retiredAt ?? ''}
                        {k.publishedUntil === undefined
                          ? ''
                          : ` (${t.publishedUntil} ${iso(k.publishedUntil * 1000)})`}
                      </td>
                      <td class={warn ? 'warn' : ''}>
                        <KeyEnd t={t} end={k.notAfter} soon={warn} />
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
              <p class="hint">
                {t.overlap} {minAge} {t.overlapSeconds}
              </p>
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
                  </dl>
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

/** Largest published document read from a partner. */
const MAX_PUBLISHED_BYTES = 64 * 1024;
const PUBLISHED_TIMEOUT_MS = 5000;

/** A partner's node document and published keys, each key compared with the keys pinned here. */
export interface Published {
  readonly id: string;
  readonly name: string;
  readonly domains: readonly string[];
  readonly contracts: readonly string[];
  readonly keys: readonly { kid: string; alg: string; thumbprint?: string; pinned: boolean }[];
}

async function fetchJson(fetcher: typeof fetch, url: string): Promise<Record<string, unknown>> {
  const response = await fetcher(url, {
    signal: AbortSignal.timeout(PUBLISHED_TIMEOUT_MS),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  const tooLarge = `${url}: larger than ${MAX_PUBLISHED_BYTES} bytes`;
  if (Number(response.headers.get('content-length') ?? 0) > MAX_PUBLISHED_BYTES) throw new Error(tooLarge);
  const text = await response.text();
  if (new TextEncoder().encode(text).length > MAX_PUBLISHED_BYTES) throw new Error(tooLarge);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${url}: not a JSON object`);
  return body as Record<string, unknown>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];

/**
 * Fetches `{baseUrl}/.well-known/yrdx-node` and `{baseUrl}/.well-known/jwks.json` of a partner and
 * marks each published key pinned when its RFC 7638 thumbprint is one of the partner's pinned keys.
 */
export async function fetchPublished(fetcher: typeof fetch, partner: Partner): Promise<Published> {
  const base = partner.baseUrl.replace(/\/+$/, '');
  const [node, jwks] = await Promise.all([
    fetchJson(fetcher, `${base}/.well-known/yrdx-node`),
    fetchJson(fetcher, `${base}/.well-known/jwks.json`),
  ]);
  if (!Array.isArray(jwks.keys)) throw new Error(`${base}/.well-known/jwks.json: not a JWKS`);
  const pinned = new Set([...partner.keys.values()].map((k) => k.thumbprint));
  const keys = [];
  for (const jwk of jwks.keys as unknown[]) {
    if (typeof jwk !== 'object' || jwk === null) continue;
    const key = jwk as Record<string, unknown>;
    let print: string | undefined;
    try {
      print = await thumbprint(key);
    } catch {
      print = undefined;
    }
    keys.push({
      kid: typeof key.kid === 'string' ? key.kid : '',
      alg: typeof key.alg === 'string' ? key.alg : '',
      ...(print === undefined ? {} : { thumbprint: print }),
      pinned: print !== undefined && pinned.has(print),
    });
  }
  return {
    id: typeof node.id === 'string' ? node.id : '',
    name: typeof node.name === 'string' ? node.name : '',
    domains: strings(node.domains),
    contracts: strings(node.contracts),
    keys,
  };
}

const list = (value: string | undefined) => (value ?? '').split(/[\s,，]+/).filter((x) => x !== '');

/**
 * The admin API's request body for a partner from the add form: the JWKS text is parsed here, every
 * other rule is `validatePartnerConfig`'s.
 */
export function partnerBody(form: Form): Record<string, unknown> {
  const text = field(form, 'jwks');
  let jwks: unknown;
  if (text !== undefined) {
    jwks = formJson(text, '/keys/jwks', 'expected a JWKS JSON document');
  }
  return {
    id: field(form, 'id') ?? '',
    name: field(form, 'name') ?? '',
    baseUrl: field(form, 'baseUrl') ?? '',
    keys: jwks === undefined ? {} : { jwks },
    subscribes: list(field(form, 'subscribes')),
    maySend: { domains: list(field(form, 'maySendDomains')), types: list(field(form, 'maySendTypes')) },
  };
}

function AddPartnerForm(props: {
  t: Dictionary;
  lang: ConsoleLang;
  session: ConsoleSession;
  draft: { form: Form; error: YrdxError } | undefined;
}) {
  const { t, draft } = props;
  const value = (name: string) => {
    const v = draft?.form[name];
    return typeof v === 'string' ? v : '';
  };
  const input = (name: string, label: string, placeholder?: string) => (
    <label for={`p-${name}`}>
      {label}
      <input id={`p-${name}`} name={name} value={value(name)} placeholder={placeholder} />
    </label>
  );
  return (
    <>
      <p class="hint">{t.addPartnerHint}</p>
      {draft ? (
        <ProblemBox
          t={t}
          detail={draft.error.detail(props.lang === 'en' ? 'en' : 'zh')}
          code={draft.error.code}
          errors={draft.error.errors}
        />
      ) : null}
      <PostForm session={props.session} action="/console/partners" class="grid">
        {input('id', t.partnerId, '310000')}
        {input('name', t.name)}
        {input('baseUrl', t.baseUrl, 'https://')}
        {input('subscribes', t.subscribesDomains, 'food-safety')}
        {input('maySendDomains', t.maySendDomains, 'food-safety')}
        {input('maySendTypes', t.maySendTypes, 'assistance-request')}
        <label for="p-jwks">
          {t.jwks}
          <textarea id="p-jwks" name="jwks">
            {value('jwks')}
          </textarea>
        </label>
        <div>
          <button type="submit">{t.add}</button>
        </div>
      </PostForm>
    </>
  );
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

function OutcomeBox(props: { t: Dictionary; lang: ConsoleLang; outcome: Outcome | undefined }) {
  const { outcome } = props;
  if (outcome === undefined) return null;
  if ('ok' in outcome) {
    return <Notice>{outcome.ok}</Notice>;
  }
  return (
    <ProblemBox
      t={props.t}
      detail={outcome.error.detail(props.lang === 'en' ? 'en' : 'zh')}
      code={outcome.error.code}
    />
  );
}
