import type { Context, MiddlewareHandler } from 'hono';
import type { AuditSink } from '../audit/sink.js';
import type { AdminConfig } from '../config/types.js';
import type { Sha256 } from '../envelope/digest.js';
import { isYrdxError, YrdxError } from '../errors/errors.js';
import { problemResponse } from '../http/problem.js';
import { TokenBuckets } from '../http/rate-limit.js';
import { authenticateAdmin } from './credentials.js';
import type { AdminEnv } from './env.js';
import { mayDo, type Permission } from './roles.js';

/**
 * The gate of the admin API, in front of every admin route: authenticates the credential, applies
 * the rate limit (per credential, or per remote address when none is valid), and hands the action
 * to the audit sink afterwards — allowed or refused, whatever the reason. The app's sink records a
 * principal's actions one entry each and only counts and summarises refusals without a valid
 * credential (src/audit/refusals.ts), so anonymous traffic cannot grow the chain.
 */
export function adminGate(options: {
  readonly admin: AdminConfig;
  readonly now: () => number;
  readonly audit?: AuditSink;
  readonly sha256?: Sha256;
  readonly remoteAddress?: (c: Context<AdminEnv>) => string | undefined;
}): MiddlewareHandler<AdminEnv> {
  const buckets = new TokenBuckets(options.admin.rateLimit.perMinute, options.admin.rateLimit.burst);
  return async function adminGateway(c, next) {
    const now = options.now();
    let refusal: Response | undefined;
    let error: unknown;
    try {
      let credentialError: unknown;
      const credential = await authenticateAdmin(
        c.req.header('authorization'),
        options.admin.credentials,
        now,
        options.sha256,
      ).catch((e: unknown) => {
        credentialError = e;
        return undefined;
      });
      const key =
        credential === undefined
          ? `remote:${options.remoteAddress?.(c) ?? 'unknown'}`
          : `credential:${credential.id}`;
      if (credential !== undefined) c.set('admin', credential);
      const waitMs = buckets.take(key, now);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        c.header('retry-after', String(seconds));
        throw new YrdxError('rate_limited', { params: { seconds } });
      }
      if (credential === undefined) throw credentialError;
      await next();
      error = c.error;
    } catch (e) {
      error = e;
      refusal = problemResponse(c, e);
    }
    const status = refusal?.status ?? c.res.status;
    const credential = c.get('admin');
    const code = isYrdxError(error) ? error.code : status >= 400 ? 'error' : undefined;
    const detail = status < 400 ? c.get('auditDetail') : code;
    await options.audit?.recordAdmin(
      {
        actor: credential?.id ?? 'anonymous',
        ...(credential === undefined ? {} : { role: credential.role }),
        action: `${c.req.method} ${c.req.path}`,
        outcome: status < 400 ? 'allowed' : 'refused',
        status,
        ...(detail === undefined ? {} : { detail }),
      },
      now,
    );
    if (refusal !== undefined) return refusal;
  };
}

/** Lets the request through only when the caller's role grants `permission`. */
export function allow(permission: Permission): MiddlewareHandler<AdminEnv> {
  return async function requirePermission(c, next) {
    const credential = c.get('admin');
    if (credential === undefined || !mayDo(credential.role, permission)) {
      throw new YrdxError('admin_forbidden', {
        params: { role: credential?.role ?? 'anonymous', action: `${c.req.method} ${c.req.path}` },
      });
    }
    await next();
  };
}

/** Notes what an allowed action did, for the audit log. */
export function noteAudit(c: Context<AdminEnv>, detail: string): void {
  c.set('auditDetail', detail);
}
