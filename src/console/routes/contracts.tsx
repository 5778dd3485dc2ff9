import { Hono } from 'hono';
import { mayDo } from '../../admin/roles.js';
import { uploadFiles } from '../../admin/services/contract-upload.js';
import { CANONICAL, translate } from '../../contracts/translate.js';
import { isYrdxError, renderItems, YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import { decodeUtf8Strict } from '../../text/safe-text.js';
import type { Language } from '../../vocabulary/language.js';
import { isMessageType } from '../../vocabulary/messages.js';
import { ActionButton, DataTable, Notice, PostForm, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { formJson } from '../form-json.js';
import type { Dictionary } from '../i18n/index.js';
import { ProblemBox } from '../layout.js';
import { action, type Form, field, page, type Refusal, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';

type Report = { ok: string } | { error: unknown };

/** The refusal a page reports: its error (a problem of the catalogue), at `status` when given. */
function refusalOf(
  outcome: { error: unknown } | object | undefined,
  status?: 400 | 409 | 422,
): Refusal | undefined {
  if (outcome === undefined || !('error' in outcome)) return undefined;
  const problem = isYrdxError(outcome.error) ? outcome.error : new YrdxError('internal_error');
  return status === undefined ? { problem } : { problem, status };
}

/** Contract versions, upload with its validation and compatibility report, activation, and the playground. */
export function contractRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const lifecycle = ctx.deps.admin?.contracts;
  const need = () => {
    if (lifecycle === undefined)
      throw new YrdxError('admin_unsupported', { params: { reason: 'no contract lifecycle on this node' } });
    return lifecycle;
  };

  const contractsPage = (
    c: Parameters<typeof render>[0],
    session: ConsoleSession,
    report?: Report,
    staged?: { domain: string; version: string },
    status?: 409 | 422 | 400,
  ) => {
    const t = c.get('t');
    const items = lifecycle?.list() ?? [];
    return render(
      c,
      {
        title: t.contracts,
        section: 'contracts',
        here: '/console/contracts',
        body: (
          <>
            {report ? (
              <Section id="h-report" title={t.report}>
                {'ok' in report ? (
                  <Notice>{report.ok}</Notice>
                ) : (
                  <Problem t={t} error={report.error} lang={c.get('lang')} />
                )}
                {staged && mayDo(session.role, 'contracts:write') ? (
                  <LifecycleButton t={t} session={session} {...staged} change="activate" />
                ) : null}
              </Section>
            ) : null}
            <h2>{t.versions}</h2>
            <DataTable
              columns={[
                t.domain,
                t.version,
                t.title,
                t.status,
                t.messageTypes,
                t.dialects,
                t.translation,
                '',
              ]}
            >
              {items.map((v) => (
                <tr>
                  <td>{v.domain}</td>
                  <td>{v.version}</td>
                  <td>{v.title}</td>
                  <td>{v.status}</td>
                  <td>{v.messageTypes.join(', ')}</td>
                  <td>{v.dialects.join(', ')}</td>
                  <td>
                    {v.translation === 'built'
                      ? t.translationBuilt
                      : v.translation === 'mixed'
                        ? t.translationMixed
                        : t.translationEngine}
                  </td>
                  <td>
                    {mayDo(session.role, 'contracts:write') ? (
                      <LifecycleButton
                        t={t}
                        session={session}
                        domain={v.domain}
                        version={v.version}
                        change={v.status === 'active' ? 'deprecate' : 'activate'}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
            {mayDo(session.role, 'contracts:write') ? (
              <Section id="h-upload" title={t.upload}>
                <p class="hint">{t.uploadHint}</p>
                <PostForm
                  session={session}
                  action="/console/contracts"
                  class="stack"
                  enctype="multipart/form-data"
                >
                  <label for="bundle">
                    {t.bundleText}
                    <textarea id="bundle" name="bundle" rows={12} spellcheck={false}></textarea>
                  </label>
                  <label for="bundle-file">
                    {t.bundleFile}
                    <input id="bundle-file" name="file" type="file" accept="application/json,.json" />
                  </label>
                  <div>
                    <button type="submit">{t.upload}</button>
                  </div>
                </PostForm>
              </Section>
            ) : null}
          </>
        ),
      },
      refusalOf(report, status),
    );
  };

  app.get(
    '/contracts',
    page(ctx, 'ops:read', async (c, session) => contractsPage(c, session)),
  );

  app.post(
    '/contracts',
    action(
      ctx,
      'contracts:write',
      async (c, session, form, note) => {
        const t = c.get('t');
        try {
          const text = await bundleText(form);
          const body = formJson(text);
          if (typeof body !== 'object' || body === null || Array.isArray(body))
            throw new YrdxError('request_invalid', {
              params: { count: 1 },
              errors: [{ pointer: '', detail: requestFault('jsonObject') }],
            });
          const info = await need().upload(uploadFiles(body as Record<string, unknown>));
          note(`uploaded ${info.domain}@${info.version} (staged)`);
          return contractsPage(c, session, { ok: `${info.domain}@${info.version}: ${t.uploadOk}` }, info);
        } catch (error) {
          if (!isYrdxError(error)) throw error;
          note(error.code);
          return contractsPage(
            c,
            session,
            { error },
            undefined,
            error.status === 409 ? 409 : error.status === 422 ? 422 : 400,
          );
        }
      },
      // A contract bundle (JSON, or a file of it): the admin API's 8 MiB upload and the form around it.
      { maxBytes: 8 * 1024 * 1024 + 64 * 1024 },
    ),
  );

  // Activating and deprecating go through the admin API's lifecycle, which refuses a version in
  // the wrong state (409) with the reason shown on the page.
  for (const change of ['activate', 'deprecate'] as const) {
    app.post(
      `/contracts/:domain/:version/${change}`,
      action(ctx, 'contracts:write', async (c, session, _form, note) => {
        const t = c.get('t');
        try {
          const info = await need()[change](c.req.param('domain') ?? '', c.req.param('version') ?? '');
          note(`${change}d ${info.domain}@${info.version}`);
          const done = change === 'activate' ? t.activated : t.deprecated;
          return contractsPage(c, session, { ok: `${done}${info.domain}@${info.version}` });
        } catch (error) {
          if (!isYrdxError(error)) throw error;
          note(error.code);
          return contractsPage(c, session, { error }, undefined, 409);
        }
      }),
    );
  }

  const playground = (
    c: Parameters<typeof render>[0],
    session: ConsoleSession,
    form: Form = {},
    outcome?: { result: unknown } | { error: unknown },
  ) => {
    const t = c.get('t');
    const items = lifecycle?.list() ?? [];
    const dialects = [...new Set(items.flatMap((v) => v.dialects))].sort();
    const types = [...new Set(items.flatMap((v) => v.messageTypes))].sort();
    const chosen = (name: string) => field(form, name);
    const ends = [CANONICAL, ...dialects];
    return render(
      c,
      {
        title: t.playground,
        section: 'playground',
        here: '/console/playground',
        body: (
          <>
            <PostForm session={session} action="/console/playground" class="stack">
              <div class="grid">
                <label for="pg-contract">
                  {t.contract}
                  <select id="pg-contract" name="contract">
                    {items.map((v) => {
                      const id = `${v.domain}@${v.version}`;
                      return (
                        <option value={id} selected={chosen('contract') === id}>
                          {id} ({v.status})
                        </option>
                      );
                    })}
                  </select>
                </label>
                <label for="pg-from">
                  {t.fromDialect}
                  <select id="pg-from" name="from">
                    {ends.map((d) => (
                      <option value={d} selected={chosen('from') === d}>
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
                  <select id="pg-type" name="type">
                    <option value="">{t.noType}</option>
                    {types.map((ty) => (
                      <option value={ty} selected={chosen('type') === ty}>
                        {ty}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <label for="pg-document">
                {t.document}
                <textarea id="pg-document" name="document" rows={14} spellcheck={false}>
                  {typeof form.document === 'string' ? form.document : ''}
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
                  <Problem t={t} error={outcome.error} lang={c.get('lang')} />
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
    page(ctx, 'ops:read', async (c, session) => playground(c, session)),
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
          if (type !== undefined && !isMessageType(type))
            throw new YrdxError('request_invalid', {
              params: { count: 1 },
              errors: [{ pointer: '/type', detail: requestFault('messageType') }],
            });
          const document = formJson(field(form, 'document') ?? '');
          const result = translate(contract, from, to, type, document);
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

async function bundleText(form: Form): Promise<string> {
  const file = form.file;
  if (typeof file === 'object' && file.size > 0) {
    const text = decodeUtf8Strict(new Uint8Array(await file.arrayBuffer()));
    if (text === undefined) throw new YrdxError('text_invalid', { params: { at: 'form field file' } });
    return text;
  }
  return typeof form.bundle === 'string' ? form.bundle : '';
}

function Problem(props: { t: Dictionary; error: unknown; lang: Language }) {
  const e = props.error as YrdxError;
  return (
    <ProblemBox
      t={props.t}
      detail={e.detail(props.lang)}
      code={e.code}
      errors={renderItems(e.errors, props.lang)}
    />
  );
}

function LifecycleButton(props: {
  t: Dictionary;
  session: ConsoleSession;
  domain: string;
  version: string;
  change: 'activate' | 'deprecate';
}) {
  const label = props.t[props.change];
  return (
    <ActionButton
      session={props.session}
      action={`/console/contracts/${props.domain}/${props.version}/${props.change}`}
      label={label}
      ariaLabel={`${label} ${props.domain}@${props.version}`}
      secondary
    />
  );
}
