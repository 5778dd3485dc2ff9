import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AdminDeps } from '../admin/deps.js';
import { PartnerChanges } from '../admin/services/partner-changes.js';
import type { AdminConfig } from '../config/types.js';
import { TokenBuckets } from '../http/rate-limit.js';
import { LANGUAGE_TAGS, languageOfTag } from '../vocabulary/language.js';
import type { ConsoleContext } from './context.js';
import type { ConsoleEnv } from './env.js';
import { dictionary } from './i18n/index.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes, SESSION_COOKIE } from './routes/auth.js';
import { contractRoutes } from './routes/contracts.js';
import { localSystemRoutes } from './routes/local-systems.js';
import { messageRoutes } from './routes/messages.js';
import { overviewRoutes } from './routes/overview.js';
import { partnerRoutes } from './routes/partners.js';
import { threadRoutes } from './routes/threads.js';
import { consoleHeaders, isHttps } from './security.js';
import { memorySessions, storeSessions } from './session.js';
import { CONSOLE_CSS } from './style.js';

const LANG_COOKIE = 'yrdx_lang';

/**
 * The admin console (`/console`): server-rendered pages over the admin API's own logic and
 * credentials, 简体中文 by default, English with `?lang=en` (remembered in a cookie). Mounted only
 * when admin credentials are configured.
 */
export function consoleRoutes(
  deps: AdminDeps,
  admin: AdminConfig,
  partnerChanges: PartnerChanges = new PartnerChanges(deps),
): Hono<ConsoleEnv> {
  const now = deps.now ?? Date.now;
  const ctx: ConsoleContext = {
    deps,
    admin,
    // In the store when there is one: every instance of the node knows every session. The id is kept
    // as the profile's digest (SM3 under the national profile: no SHA-256 of a secret there).
    sessions: deps.exchange
      ? storeSessions(deps.exchange.store, deps.exchange.digest ?? deps.exchange.sha256)
      : memorySessions(),
    signInBuckets: new TokenBuckets(admin.rateLimit.perMinute, admin.rateLimit.burst),
    now,
    partnerChanges,
  };
  const app = new Hono<ConsoleEnv>();
  app.use(consoleHeaders());
  // Before the session middleware: the style sheet needs no session, and looking one up renews it
  // in the store (a write).
  app.get('/style.css', (c) => {
    c.header('content-type', 'text/css; charset=utf-8');
    c.header('cache-control', 'public, max-age=3600');
    return c.body(CONSOLE_CSS);
  });
  app.use(async function consoleRequest(c, next) {
    const asked = languageOfTag(c.req.query('lang'));
    if (asked !== undefined) {
      setCookie(c, LANG_COOKIE, LANGUAGE_TAGS[asked], {
        path: '/console',
        sameSite: 'Strict',
        secure: isHttps(c, deps.config.trustProxy),
        maxAge: 365 * 86_400,
      });
    }
    const lang = asked ?? languageOfTag(getCookie(c, LANG_COOKIE)) ?? 'zh';
    c.set('lang', lang);
    c.set('t', dictionary(lang));
    c.set('node', deps.config.id);
    const session = await ctx.sessions.find(getCookie(c, SESSION_COOKIE), now());
    // A credential that expired (notAfter) or was removed ends its sessions too.
    const credential = session && admin.credentials.find((x) => x.id === session.credential);
    if (
      session &&
      (credential === undefined || (credential.notAfter !== undefined && now() > credential.notAfter))
    ) {
      await ctx.sessions.end(session.id);
    } else if (session) {
      c.set('session', session);
    }
    await next();
  });
  app.route('/', authRoutes(ctx));
  app.route('/', overviewRoutes(ctx));
  app.route('/', threadRoutes(ctx));
  app.route('/', messageRoutes(ctx));
  app.route('/', localSystemRoutes(ctx));
  app.route('/', contractRoutes(ctx));
  app.route('/', partnerRoutes(ctx));
  app.route('/', auditRoutes(ctx));
  return app;
}
