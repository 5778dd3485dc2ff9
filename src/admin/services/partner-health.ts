import type { Partner } from '../../trust/partner-registry.js';
import type { AdminDeps } from '../deps.js';

const HOUR = 3_600_000;

/** Last success, error rate over the last hour, circuit state and queue depth of one partner. */
export async function partnerHealth(deps: AdminDeps, partner: Partner, now: number) {
  const activity = (await deps.exchange?.store.partnerActivity(now - HOUR))?.find(
    (a) => a.partner === partner.id,
  );
  const attempts = (activity?.delivered ?? 0) + (activity?.failed ?? 0);
  return {
    partner: partner.id,
    status: partner.status,
    lastSuccessAt:
      activity?.lastSuccessAt === undefined ? null : new Date(activity.lastSuccessAt).toISOString(),
    delivered: activity?.delivered ?? 0,
    failed: activity?.failed ?? 0,
    errorRate: attempts === 0 ? null : (activity?.failed ?? 0) / attempts,
    circuit: deps.admin?.circuitOpen?.(partner.id, now) ? 'open' : 'closed',
    queueDepth: activity?.queued ?? 0,
    deadLetters: activity?.dead ?? 0,
  };
}
