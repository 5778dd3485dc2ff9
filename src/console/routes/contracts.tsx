import { Hono } from 'hono';
import { adminReason } from '../../admin/reason-text.js';
import { mayDo } from '../../admin/roles.js';
import type { ContractLifecycle } from '../../admin/services/contract-lifecycle.js';
import { uploadFiles } from '../../admin/services/contract-upload.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import { requestFault } from '../../errors/request-text.js';
import { decodeUtf8Strict } from '../../text/safe-text.js';
import type { Language } from '../../vocabulary/language.js';
import { ActionButton, DataTable, Notice, PostForm, Section } from '../components.js';
import type { ConsoleContext } from '../context.js';
import { Problem, refusalOf } from '../contract-problem.js';
import type { ConsoleEnv } from '../env.js';
import { formJson } from '../form-json.js';
import type { Dictionary } from '../i18n/index.js';
import { contractStatusWord } from '../present.js';
import { action, type Form, page, render } from '../respond.js';
import type { ConsoleSession } from '../session.js';
import { playgroundRoutes } from './playground.js';

type Report = { ok: string } | { error: unknown };

/** Contract versions, upload with its validation and compatibility report, activation, and the playground. */
export function contractRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const lifecycle = ctx.deps.admin?.contracts;
  const need = () => {
    if (lifecycle === undefined)
      throw new YrdxError('admin_unsupported', { params: { reason: adminReason('noLifecycle') } });
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
                  <td class="nowrap">{v.domain}</td>
                  <td class="nowrap">{v.version}</td>
                  <td>{v.title}</td>
                  <td class="nowrap">{contractStatusWord(t, v.status)}</td>
                  <td>{v.messageTypes.join(', ')}</td>
                  <td>{v.dialects.join(', ')}</td>
                  <td class="nowrap">
                    {v.translation === 'built'
                      ? t.translationBuilt
                      : v.translation === 'mixed'
                        ? t.translationMixed
                        : t.translationEngine}
                  </td>
                  <td>
                    {mayDo(session.role, 'contracts:write') ? (
                      <LifecycleCell
                        t={t}
                        lang={c.get('lang')}
                        session={session}
                        lifecycle={lifecycle}
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

  app.route('/', playgroundRoutes(ctx));

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

/**
 * A version's lifecycle button, shown only where the lifecycle would do it: where it would refuse
 * (the domain's only active version cannot be deprecated), its reason instead, from the same rule.
 */
function LifecycleCell(props: {
  t: Dictionary;
  lang: Language;
  session: ConsoleSession;
  lifecycle: ContractLifecycle | undefined;
  domain: string;
  version: string;
  change: 'activate' | 'deprecate';
}) {
  const refused = props.lifecycle?.refusal(props.change, props.domain, props.version);
  if (props.lifecycle === undefined) return null;
  if (refused !== undefined)
    return (
      <span class="hint" data-refused={refused.code} title={refused.detail(props.lang)}>
        {refused.code === 'contract_last_active' ? props.t.lastActiveVersion : refused.detail(props.lang)}
      </span>
    );
  return <LifecycleButton {...props} />;
}
