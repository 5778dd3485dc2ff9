import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { authenticateAdmin } from '../../admin/credentials.js';
import { isYrdxError, YrdxError } from '../../errors/errors.js';
import { readForm } from '../../http/form-body.js';
import type { AdminRole } from '../../vocabulary/roles.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import { ProblemBox } from '../layout.js';
import { action, render } from '../respond.js';
import { isHttps, sameOrigin } from '../security.js';

export const SESSION_COOKIE = 'yrdx_console';
/** A sign-in form holds one token of a few dozen characters (and perhaps the anti-forgery field). */
const SIGN_IN_BYTES = 4096;

/** Sign-in with an admin credential token, checked exactly as the admin API checks it; sign-out. */
export function authRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  app.get('/', (c) => c.redirect(c.get('session') ? '/console/overview' : '/console/sign-in', 303));

  app.get('/sign-in', (c) => {
    if (c.get('session')) return c.redirect('/console/overview', 303);
    return signInPage(c);
  });

  app.post('/sign-in', async (c) => {
    const now = ctx.now();
    const t = c.get('t');
    const record = (
      outcome: 'allowed' | 'refused',
      status: number,
      actor: string,
      detail: string,
      role?: AdminRole,
    ) =>
      ctx.deps.audit?.recordAdmin(
        {
          actor,
          ...(role === undefined ? {} : { role }),
          action: 'POST /console/sign-in',
          outcome,
          status,
          detail,
        },
        now,
      );
    if (!sameOrigin(c)) {
      await record('refused', 403, 'anonymous', 'csrf_refused');
      return signInPage(c, { detail: t.csrfRefused, problem: new YrdxError('csrf_refused'), status: 403 });
    }
    const remote = ctx.deps.admin?.remoteAddress?.(c as never) ?? 'unknown';
    const waitMs = ctx.signInBuckets.take(`console-sign-in:${remote}`, now);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      c.header('retry-after', String(seconds));
      await record('refused', 429, 'anonymous', 'rate_limited');
      const problem = new YrdxError('rate_limited', { params: { seconds } });
      return signInPage(c, { detail: t.signInFailed, problem, status: 429 });
    }
    const form = await readForm(c.req.raw, SIGN_IN_BYTES);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    try {
      const credential = await authenticateAdmin(
        `Bearer ${token}`,
        ctx.admin.credentials,
        now,
        ctx.deps.exchange?.sha256,
      );
      const session = await ctx.sessions.start(credential.id, credential.role, now);
      setCookie(c, SESSION_COOKIE, session.id, {
        path: '/console',
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c, ctx.deps.config.trustProxy),
      });
      await record('allowed', 303, credential.id, 'signed in to the console', credential.role);
      return c.redirect('/console/overview', 303);
    } catch (error) {
      const problem = isYrdxError(error) ? error : new YrdxError('admin_auth_invalid');
      await record('refused', 401, 'anonymous', problem.code);
      const detail = problem.detail(c.get('lang'));
      return signInPage(c, { detail, problem, status: 400 });
    }
  });

  app.post(
    '/sign-out',
    action(ctx, 'messages:read', async (c, session, _form, note) => {
      await ctx.sessions.end(session.id);
      deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: isHttps(c, ctx.deps.config.trustProxy) });
      note('signed out of the console');
      return c.redirect('/console/sign-in', 303);
    }),
  );

  return app;
}

function signInPage(
  c: Parameters<typeof render>[0],
  refusal?: { detail: string; problem: YrdxError; status: 400 | 403 | 429 },
) {
  const t = c.get('t');
  return render(
    c,
    {
      title: t.signIn,
      section: 'sign-in',
      here: '/console/sign-in',
      body: (
        <>
          {refusal ? <ProblemBox t={t} detail={refusal.detail} code={refusal.problem.code} /> : null}
          <form class="stack" method="post" action="/console/sign-in">
            <label for="token">
              {t.token}
              <input
                id="token"
                name="token"
                type="password"
                autocomplete="off"
                required
                aria-describedby="token-hint"
              />
            </label>
            <p id="token-hint" class="hint">
              {t.tokenHint}
            </p>
            <div>
              <button type="submit">{t.signIn}</button>
            </div>
          </form>
        </>
      ),
    },
    refusal,
  );
}
