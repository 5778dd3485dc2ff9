import type { PartnerConfig } from '../../config/types.js';
import { checkEgressUrl, type EgressPolicy, type ResolveHost } from '../../egress/policy.js';

/**
 * Checks the URLs of a partner registered or changed at run time (admin API, console) against the
 * address policy before anything is stored or fetched: its `baseUrl` (deliveries, published
 * documents) and its `jwksUrl`. Refused with `outbound_address_refused`, naming the host as typed.
 */
export async function checkPartnerUrls(
  config: PartnerConfig,
  policy: EgressPolicy,
  resolve: ResolveHost | undefined,
): Promise<void> {
  const options = resolve === undefined ? {} : { resolve };
  await checkEgressUrl(config.baseUrl, policy, { ...options, pointer: '/baseUrl' });
  if (config.keys.jwksUrl !== undefined)
    await checkEgressUrl(config.keys.jwksUrl, policy, { ...options, pointer: '/keys/jwksUrl' });
}
