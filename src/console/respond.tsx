import type { Context, Handler } from 'hono';
import type { Child } from 'hono/jsx';
import { mayDo, type Permission } from '../admin/roles.js';
import { isYrdxError } from '../errors.js';
import { type Form, readForm } from '../exchange/form-body.js';
import type { ConsoleContext } from './context.js';
import type { ConsoleEnv } from './env.js';
import { Layout, type Section } from './layout.js';
import { sameOrigin, sameSecret } from './security.js';
import type { ConsoleSession } from './session.js';

type C = Context<ConsoleEnv>;

/** Renders a full page of the console. */
export async function render(
  c: C,
  page: {
    title: string;
    section: Section;
    here: string;
    body: Child;
    status?: 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429;
  },
): Promise<Response> {
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
  return c.html(`<!doctype html>${String(html)}`, page.status ?? 200);
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
    if (!mayDo(session.role, permission)) return forbidden(c, c.get('t').forbidden);
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
      return forbidden(c, c.get('t').csrfRefused);
    }
    if (!mayDo(session.role, permission)) {
      await record(403, 'admin_forbidden');
      return forbidden(c, c.get('t').forbidden);
    }
    let detail: string | undefined;
    const response = await handler(c, session, form, (d) => {
      detail = d;
    });
    await record(response.status, detail);
    return response;
  };
}

function forbidden(c: C, text: string): Promise<Response> {
  const t = c.get('t');
  return render(c, {
    title: t.forbiddenTitle,
    section: 'overview',
    here: '/console/overview',
    body: (
      <p class="problem" role="alert">
        {text}
      </p>
    ),
    status: 403,
  });
}

/** A text field of a form, trimmed; undefined when absent or empty. */
export function field(form: Form, name: string): string | undefined {
  const value = form[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
