import { Hono } from 'hono';
import { adminReason } from '../../admin/reason-text.js';
import type { Contract } from '../../contracts/contract.js';
import { CANONICAL, translate } from '../../contracts/translate.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import { listOf } from '../../errors/text.js';
import type { Language } from '../../vocabulary/language.js';
import type { MessageType } from '../../vocabulary/messages.js';
import { Notice, PostForm, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import { Problem, refusalOf } from '../contract-problem.js';
import type { ConsoleEnv } from '../env.js';
import { formJson } from '../form-json.js';
import type { Dictionary } from '../i18n/index.js';
import { contractStatusWord } from '../present.js';
import { action, type Form, field, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';

type C = Parameters<typeof render>[0];

/** One example body of a contract version: a dialect's document of one message type. */
interface Example {
  readonly dialect: string;
  readonly type: MessageType;
  readonly body: unknown;
}

/** The examples a contract bundle carries (dialects/<dialect>/examples/<type>.json), by dialect then type. */
function examplesOf(contract: Contract): Example[] {
  const out: Example[] = [];
  for (const [dialect, d] of [...contract.dialects].sort(([a], [b]) => a.localeCompare(b))) {
    for (const type of contract.messageTypes) {
      if (Object.hasOwn(d.examples, type)) out.push({ dialect, type, body: d.examples[type] });
    }
  }
  return out;
}

/** A message type with the contract's title for it, in the page's language. */
function typeLabel(contract: Contract, type: MessageType, lang: Language): string {
  const title = contract.typeTitles.get(type);
  if (title === undefined) return type;
  return lang === 'en' ? `${title.en} (${type})` : `${title['zh-CN']}（${type}）`;
}

/**
 * The translation playground: a dry run of one contract version's translation between its dialects
 * and the canonical model. The version is chosen first, so the page offers only its dialects and the
 * message types it declares, and any example its bundle carries can be loaded into the form.
 */
export function playgroundRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const lifecycle = ctx.deps.admin?.contracts;
  const need = () => {
    if (lifecycle === undefined)
      throw new YrdxError('admin_unsupported', { params: { reason: adminReason('noLifecycle') } });
    return lifecycle;
  };

  /** The version asked for, else the first active one, else the first. */
  const chosenId = (asked: string | undefined): string | undefined => {
    const items = lifecycle?.list() ?? [];
    const ids = items.map((v) => `${v.domain}@${v.version}`);
    if (asked !== undefined && ids.includes(asked)) return asked;
    const active = items.find((v) => v.status === 'active');
    return active === undefined ? ids[0] : `${active.domain}@${active.version}`;
  };
  const contractOf = (id: string | undefined): Contract | undefined => {
    const [domain = '', version = ''] = (id ?? '').split('@');
    return lifecycle?.find(domain, version);
  };

  const playground = (
    c: C,
    session: ConsoleSession,
    form: Form,
    outcome?: { result: unknown } | { error: unknown },
    loaded?: Example,
  ) => {
    const t = c.get('t');
    const lang = c.get('lang');
    const items = lifecycle?.list() ?? [];
    const id = chosenId(field(form, 'contract'));
    const contract = contractOf(id);
    const examples = contract === undefined ? [] : examplesOf(contract);
    const ends = [CANONICAL, ...(contract === undefined ? [] : [...contract.dialects.keys()].sort())];
    const chosen = (name: string) => field(form, name);
    const from = loaded?.dialect ?? chosen('from');
    const type = loaded?.type ?? chosen('type');
    const document =
      loaded === undefined
        ? typeof form.document === 'string'
          ? form.document
          : ''
        : JSON.stringify(loaded.body, null, 2);
    const here = `/console/playground${id === undefined ? '' : `?contract=${encodeURIComponent(id)}`}`;
    return render(
      c,
      {
        title: t.playground,
        section: 'playground',
        here,
        body: (
          <>
            <form method="get" action="/console/playground" class="grid">
              <label for="pg-contract">
                {t.contract}
                <select id="pg-contract" name="contract">
                  {items.map((v) => {
                    const vid = `${v.domain}@${v.version}`;
                    return (
                      <option value={vid} selected={vid === id}>
                        {vid} ({contractStatusWord(t, v.status)})
                      </option>
                    );
                  })}
                </select>
              </label>
              <div>
                <button type="submit" class="secondary">
                  {t.chooseContract}
                </button>
              </div>
            </form>
            {contract === undefined ? null : (
              <ExampleForm
                t={t}
                lang={lang}
                contract={contract}
                examples={examples}
                shown={{ dialect: from, type }}
              />
            )}
            {loaded === undefined ? null : (
              <Notice>
                {t.exampleLoaded}
                {loaded.dialect} · {typeLabel(contract!, loaded.type, lang)}
              </Notice>
            )}
            <PostForm session={session} action="/console/playground" class="stack">
              <input type="hidden" name="contract" value={id ?? ''} />
              <div class="grid">
                <label for="pg-from">
                  {t.fromDialect}
                  <select id="pg-from" name="from">
                    {ends.map((d) => (
                      <option value={d} selected={from === d}>
                        {d === CANONICAL ? t.canonical : d}
                      </option>
                    ))}
                  </select>
                </label>
                <label for="pg-to">
                  {t.toDialect}
                  <select id="pg-to" name="to">
                    {ends.map((d) => (
                      <option value={d} selected={(chosen('to') ?? CANONICAL) === d}>
                        {d === CANONICAL ? t.canonical : d}
                      </option>
                    ))}
                  </select>
                </label>
                <label for="pg-type">
                  {t.type}
                  <select id="pg-type" name="type" aria-describedby="pg-type-hint">
                    <option value="">{t.noType}</option>
                    {(contract?.messageTypes ?? []).map((ty) => (
                      <option value={ty} selected={type === ty}>
                        {typeLabel(contract!, ty, lang)}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <p class="hint" id="pg-type-hint">
                {t.typesOfContract}
              </p>
              <label for="pg-document">
                {t.document}
                <textarea id="pg-document" name="document" rows={14} spellcheck={false}>
                  {document}
                </textarea>
              </label>
              <div>
                <button type="submit">{t.translate}</button>
              </div>
            </PostForm>
            {outcome ? (
              <Section id="h-result" title={t.result}>
                {'result' in outcome ? (
                  <pre>{JSON.stringify(outcome.result, null, 2)}</pre>
                ) : (
                  <Problem t={t} error={outcome.error} lang={lang} />
                )}
              </Section>
            ) : null}
          </>
        ),
      },
      refusalOf(outcome, 422),
    );
  };

  app.get(
    '/playground',
    page(ctx, 'ops:read', async (c, session) => {
      const form: Form = {};
      const asked = c.req.query('contract');
      if (asked !== undefined) form.contract = asked;
      const contract = contractOf(chosenId(asked));
      // `example=<dialect>/<type>`: that example of the chosen version, when its bundle has it.
      const [dialect, type] = (c.req.query('example') ?? '').split('/');
      const loaded =
        contract === undefined
          ? undefined
          : examplesOf(contract).find((e) => e.dialect === dialect && e.type === type);
      return playground(c, session, form, undefined, loaded);
    }),
  );

  app.post(
    '/playground',
    action(
      ctx,
      'ops:read',
      async (c, session, form, note) => {
        const [domain, version] = (field(form, 'contract') ?? '').split('@');
        const from = field(form, 'from') ?? CANONICAL;
        const to = field(form, 'to') ?? CANONICAL;
        const type = field(form, 'type');
        try {
          const contract = need().find(domain ?? '', version ?? '');
          if (contract === undefined)
            throw new YrdxError('contract_not_found', { params: { contract: `${domain}@${version}` } });
          if (type !== undefined && !(contract.messageTypes as readonly string[]).includes(type))
            throw new YrdxError('request_invalid', {
              params: { count: 1 },
              errors: [
                {
                  pointer: '/type',
                  detail: requestFault('contractType', { types: listOf(contract.messageTypes) }),
                },
              ],
            });
          const document = formJson(field(form, 'document') ?? '');
          const result = translate(contract, from, to, type as MessageType | undefined, document);
          note(`dry-run translation with ${contract.id}: ${from} → ${to}`);
          return playground(c, session, form, { result });
        } catch (error) {
          if (!isYrdxError(error)) throw error;
          note(error.code);
          return playground(c, session, form, { error });
        }
      },
      // A document may be as large as a message may be.
      { maxBytes: ctx.deps.config.envelope.maxTokenBytes + 64 * 1024 },
    ),
  );

  return app;
}

/** Loads one of the chosen version's examples into the form (a GET: the page itself runs no script). */
function ExampleForm(props: {
  t: Dictionary;
  lang: Language;
  contract: Contract;
  examples: readonly Example[];
  /** The example loaded, or the dialect and type the form holds. */
  shown: { readonly dialect?: string | undefined; readonly type?: string | undefined };
}) {
  const { t, contract } = props;
  if (props.examples.length === 0) return <p class="hint">{t.noExamples}</p>;
  return (
    <>
      <form method="get" action="/console/playground" class="grid">
        <input type="hidden" name="contract" value={contract.id} />
        <label for="pg-example">
          {t.example}
          <select id="pg-example" name="example" aria-describedby="pg-example-hint">
            {props.examples.map((e) => {
              const value = `${e.dialect}/${e.type}`;
              const selected = props.shown?.dialect === e.dialect && props.shown.type === e.type;
              return (
                <option value={value} selected={selected}>
                  {e.dialect} · {typeLabel(contract, e.type, props.lang)}
                </option>
              );
            })}
          </select>
        </label>
        <div>
          <button type="submit" class="secondary">
            {t.loadExample}
          </button>
        </div>
      </form>
      <p class="hint" id="pg-example-hint">
        {t.exampleHint}
      </p>
    </>
  );
}
