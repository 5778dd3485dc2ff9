import type { Context, MiddlewareHandler } from 'hono';
import { parseIpv6 } from '../../egress/ip.js';
import { YrdxError } from '../../errors/errors.js';
import type { AppEnv } from '../../http/env.js';
import { TokenBuckets } from '../../http/rate-limit.js';
import type { ExchangeDeps } from '../deps.js';
import type { ExchangeEnv } from './env.js';

/** The exchange's rate limiters, and its dependencies with the partner limit the inbound path applies. */
export interface ExchangeRateLimits {
  /** `POST /v1/inbox`: the caller's address, before anything is read. */
  readonly inbox: MiddlewareHandler<AppEnv>;
  /**
   * The local systems' routes: per local system once its API key checks, else per address. After
   * `localSystemAuth`, which judges the key.
   */
  readonly localSystems: MiddlewareHandler<ExchangeEnv>;
  /** `deps` with `admitPartner`, which the inbound path calls once a message's signature verifies. */
  readonly deps: ExchangeDeps;
}

/**
 * The exchange's rate limits, one per threat level (`rateLimits` in the configuration; the admin
 * API has its own). Partners: per address before verification, and per partner (its verified `iss`)
 * after, so that forgeries in a partner's name cannot spend its budget. Local systems: per local
 * system, and per address for requests without a valid API key. Over a limit: 429 `rate_limited`
 * with `Retry-After`, which the delivery worker of a partner honours.
 */
export function exchangeRateLimits(deps: ExchangeDeps): ExchangeRateLimits {
  const limits = deps.config.rateLimits;
  const bucketsOf = (l: { perMinute: number; burst: number }) => new TokenBuckets(l.perMinute, l.burst);
  const inboxAddresses = bucketsOf(limits.partnerAddress);
  const partners = bucketsOf(limits.partner);
  const systems = bucketsOf(limits.localSystem);
  const anonymous = bucketsOf(limits.anonymous);
  const address = (c: Context<AppEnv>) => addressKey(deps.remoteAddress?.(c));
  const admit = (limit: LimitName, buckets: TokenBuckets, key: string, c?: Context<AppEnv>) => {
    const waitMs = buckets.take(key, deps.now());
    if (waitMs === 0) return;
    deps.metrics?.rateLimited.inc({ limit });
    const seconds = Math.ceil(waitMs / 1000);
    c?.header('retry-after', String(seconds));
    throw new YrdxError('rate_limited', { params: { seconds } });
  };

  return {
    inbox: async function inboxRateLimit(c, next) {
      admit('partner_address', inboxAddresses, address(c), c);
      await next();
      retryAfter(c);
    },
    localSystems: async function localSystemRateLimit(c, next) {
      const auth = c.get('localAuth');
      const system = auth !== undefined && 'system' in auth ? auth.system : undefined;
      // Without a valid key the route refuses the request; the address's budget bounds how often.
      if (system === undefined) admit('anonymous', anonymous, address(c), c);
      else admit('local_system', systems, system.id, c);
      await next();
      retryAfter(c);
    },
    deps: { ...deps, admitPartner: (partner) => admit('partner', partners, partner) },
  };
}

/** The `limit` label of `yrdx_rate_limited_total`: which budget ran out. */
type LimitName = 'partner_address' | 'partner' | 'local_system' | 'anonymous';

/**
 * The bucket key of a caller's address: an IPv6 address by its /64 (one subscriber's network,
 * whose 2⁶⁴ addresses would otherwise each get a bucket), anything else as it is.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const groups = parseIpv6(address);
  if (groups === undefined || (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff))
    return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** Adds `Retry-After` to a `rate_limited` refusal of the route (the partner limit is applied there). */
function retryAfter(c: Context<AppEnv>): void {
  const error = c.error;
  if (c.res.status !== 429 || !(error instanceof YrdxError) || error.code !== 'rate_limited') return;
  if (!c.res.headers.has('retry-after')) c.header('retry-after', String(error.params.seconds ?? 1));
}
