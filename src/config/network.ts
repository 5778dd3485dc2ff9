import type { OutboundConfig, RateLimit, RateLimitsConfig } from './types.js';

/**
 * The exchange's rate limits unless the file says otherwise. Generous for a legitimate caller: the
 * exchange benchmark pushes a few hundred messages a second from one partner and one local system,
 * and the design target is 1,000 a second; 2,000 a second with a burst of 2,000 leaves room for both
 * while still bounding a flood. Requests without a valid API key get far less.
 */
export const DEFAULT_RATE_LIMITS: RateLimitsConfig = {
  partner: { perMinute: 120_000, burst: 2000 },
  partnerAddress: { perMinute: 120_000, burst: 2000 },
  localSystem: { perMinute: 120_000, burst: 2000 },
  anonymous: { perMinute: 600, burst: 100 },
};

type Raw = Record<string, unknown>;

/** `outbound`, `trustProxy` and `rateLimits` of a (schema-checked) configuration, with defaults. */
export function readNetworkSettings(raw: Raw): {
  outbound: OutboundConfig;
  trustProxy: boolean;
  rateLimits: RateLimitsConfig;
} {
  const outbound = (raw.outbound as Raw | undefined) ?? {};
  const limits = (raw.rateLimits as Raw | undefined) ?? {};
  const limit = (name: keyof RateLimitsConfig): RateLimit => ({
    ...DEFAULT_RATE_LIMITS[name],
    ...(limits[name] as Partial<RateLimit> | undefined),
  });
  return {
    outbound: { allowPrivateNetworks: outbound.allowPrivateNetworks === true },
    trustProxy: raw.trustProxy === true,
    rateLimits: {
      partner: limit('partner'),
      partnerAddress: limit('partnerAddress'),
      localSystem: limit('localSystem'),
      anonymous: limit('anonymous'),
    },
  };
}
