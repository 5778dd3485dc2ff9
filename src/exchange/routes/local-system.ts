import type { Context, MiddlewareHandler } from 'hono';
import type { LocalSystemConfig } from '../../config/types.js';
import { clientIdentityOf, requireClientCertificate } from '../client-certificate.js';
import type { ExchangeDeps } from '../deps.js';
import { withRestartHint } from '../local/restart-hint.js';
import type { ExchangeEnv, LocalAuth } from './env.js';
import { authenticateLocal } from './local-auth.js';

/**
 * In front of the local systems' routes: judges the request's API key once, for the rate limit
 * that follows (whose budget to spend) and for the route. A refusal is kept, not thrown: the route
 * raises it with `localSystem(c)`, so a path no route serves stays 404 and a refused submission is
 * counted and logged like any other refusal.
 */
export function localSystemAuth(
  deps: Pick<ExchangeDeps, 'config' | 'sha256' | 'acceptedAfterRestart' | 'peerAddress'>,
): MiddlewareHandler<ExchangeEnv> {
  const clientIdentity = clientIdentityOf(deps);
  return async function localSystemAuth(c, next) {
    const auth: LocalAuth = await authenticateLocal(
      c.req.header('authorization'),
      deps.config.localSystems,
      deps.sha256,
    ).then(
      // A system with `tlsClient` pins must also come with one of those certificates (docs/tlcp.md).
      async (system) => {
        requireClientCertificate(system.id, system.tlsClient, await clientIdentity(c));
        return { system };
      },
      async (refused: unknown) => ({
        refused: await withRestartHint(
          refused,
          c.req.header('authorization'),
          deps.acceptedAfterRestart,
          deps.sha256,
        ),
      }),
    );
    c.set('localAuth', auth);
    await next();
  };
}

/**
 * The local system the request authenticated as; else its refusal (`auth_required`, `auth_invalid`,
 * `client_certificate_refused`).
 */
export function localSystem(c: Context<ExchangeEnv>): LocalSystemConfig {
  const auth = c.get('localAuth');
  if (auth === undefined) throw new Error('localSystemAuth is not in front of this route');
  if ('refused' in auth) throw auth.refused;
  return auth.system;
}
