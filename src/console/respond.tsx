import type { Context, Handler } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { mayDo, type Permission } from '../admin/roles.js';
import { isYrdxError, YrdxError } from '../errors/errors.js';
import { type Form, readForm } from '../http/form-body.js';
import { problemResponse } from '../http/problem.js';
import type { ConsoleContext } from './context.js';
import type { ConsoleEnv } from './env.js';
import { Layout, type Section } from './layout.js';
import { sameOrigin, sameSecret } from './security.js';
import type { ConsoleSession } from './session.js';

type C = Context<ConsoleEnv>;

/** A page of the console. */
export interface PageSpec {
  title: string;
  section: Section;
  here: string;
  body: Child;
}

/** What a page refuses, with its stable code: the page shows it, other clients get it as problem+json. */
export interface Refusal {
  readonly problem: YrdxError;
  /** The page's status; the problem's own by default. */
  readonly status?: ContentfulStatusCode;
}

/**
 * Whether the client reads pages: browsers ask for `text/html` on every navigation and form post.
 * Any other client (a script, curl, a scanner) gets refusals as RFC 9457 problem+json, like the
 * admin API, so that every refusal of the node carries a stable code a machine can read.
 */
function wantsPage(c: C): boolean {
  return (c.req.header('accept') ?? '').toLowerCase().includes('text/html');
}

/**
 * Renders a full page of the console: 200, or with a refusal its status — and then, for clients
 * that read no pages, the refusal as problem+json instead.
 */
export async function render(c: C, page: PageSpec, refusal?: Refusal): Promise<Response> {
  if (refusal !== undefined && !wantsPage(c)) return problemResponse(c as never, refusal.problem);
  const html = await (
    <Layout
      t={c.get('t')}
      lang={c.get('lang')}
      title={page.title}
      section={page.section}
      here={page.here}
      session={c.get('session')}
      node={c.get('node')}
    >
      {page.body}
    </Layout>
  );
  return c.html(
    `<!doctype html>${String(html)}`,
    refusal === undefined ? 200 : (refusal.status ?? (refusal.problem.status as ContentfulStatusCode)),
  );
}

/** A GET page for signed-in users whose role grants `permission`. */
export function page(
  _ctx: ConsoleContext,
  permission: Permission,
  handler: (c: C, session: ConsoleSession) => Promise<Response>,
): Handler<ConsoleEnv> {
  return async function consolePage(c) {
    const session = c.get('session');
    if (session === undefined) return c.redirect('/console/sign-in', 303);
    if (!mayDo(session.role, permission)) return forbidden(c, c.get('t').forbidden, refusedRole(c, session));
    return handler(c, session);
  };
}

export type { Form };

/** The most a console form may send, unless its action says otherwise: its fields are short. */
export const CONSOLE_FORM_BYTES = 64 * 1024;

/**
 * A POST action: the session, its form (read within `maxBytes` by the one body reader), its origin
 * and anti-forgery token, then the role are checked, the action runs, and its outcome — allowed or
 * refused — is recorded in the audit log like an admin API request (the credential id and role,
 * never the token).
 */
export function action(
  ctx: ConsoleContext,
  permission: Permission,
  handler: (c: C, session: ConsoleSession, form: Form, note: (detail: string) => void) => Promise<Response>,
  options: { readonly maxBytes?: number } = {},
): Handler<ConsoleEnv> {
  const maxBytes = options.maxBytes ?? CONSOLE_FORM_BYTES;
  return async function consoleAction(c) {
    const session = c.get('session');
    const record = (status: number, detail?: string) =>
      ctx.deps.audit?.recordAdmin(
        {
          actor: session?.credential ?? 'anonymous',
          ...(session === undefined ? {} : { role: session.role }),
          action: `POST ${c.req.path}`,
          outcome: status < 400 ? 'allowed' : 'refused',
          status,
          ...(detail === undefined ? {} : { detail }),
        },
        ctx.now(),
      );
    if (session === undefined) {
      await record(401, 'admin_auth_required');
      return c.redirect('/console/sign-in', 303);
    }
    let form: Form;
    try {
      form = await readForm(c.req.raw, maxBytes);
    } catch (error) {
      // Too large, aborted, malformed or holding text no store keeps: refused as problem+json.
      if (isYrdxError(error)) await record(error.status, error.code);
      throw error;
    }
    const token = form._csrf;
    if (!sameOrigin(c) || typeof token !== 'string' || !sameSecret(token, session.csrf)) {
      await record(403, 'csrf_refused');
      return forbidden(c, c.get('t').csrfRefused, new YrdxError('csrf_refused'));
    }
    if (!mayDo(session.role, permission)) {
      await record(403, 'admin_forbidden');
      return forbidden(c, c.get('t').forbidden, refusedRole(c, session));
    }
    let detail: string | undefined;
    const response = await handler(c, session, form, (d) => {
      detail = d;
    });
    await record(response.status, detail);
    return response;
  };
}

const refusedRole = (c: C, session: ConsoleSession) =>
  new YrdxError('admin_forbidden', {
    params: { role: session.role, action: `${c.req.method} ${c.req.path}` },
  });

function forbidden(c: C, text: string, problem: YrdxError): Promise<Response> {
  const t = c.get('t');
  return render(
    c,
    {
      title: t.forbiddenTitle,
      section: 'overview',
      here: '/console/overview',
      body: (
        <p class="problem" role="alert">
          {text}
        </p>
      ),
    },
    { problem },
  );
}

/** A text field of a form, trimmed; undefined when absent or empty. */
export function field(form: Form, name: string): string | undefined {
  const value = form[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
