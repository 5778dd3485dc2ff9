import type { NodeKeyring } from '../keys/keyring.js';
import type { ThreadStore } from '../store/port.js';
import { keyExpiries } from '../trust/expiry.js';
import type { PartnerRegistry } from '../trust/partner-registry.js';
import type { Metrics } from './yrdx.js';

export interface StateSources {
  readonly store?: ThreadStore;
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly now: () => number;
}

/**
 * Registers the gauges computed at scrape time: overdue cooperation threads (from the store) and
 * key expiry (from the keyring and the partners' pins). Each scrape replaces the previous values,
 * so a thread that was closed or a key that was unpinned disappears.
 */
export function collectNodeState(metrics: Metrics, sources: StateSources): void {
  metrics.registry.onCollect(async () => {
    const now = sources.now();
    metrics.keyExpiry.reset();
    metrics.keyExpiring.reset();
    for (const k of keyExpiries(sources.keyring(), sources.partners, now)) {
      metrics.keyExpiry.set(
        { owner: k.owner, kid: k.kid, state: k.state },
        k.expiresAt - Math.floor(now / 1000),
      );
      if (k.inUse) metrics.keyExpiring.set({ owner: k.owner, kid: k.kid }, k.expiring ? 1 : 0);
    }
    if (sources.store === undefined) return;
    const overdue = await sources.store.listThreads({ status: 'open', overdueAt: now });
    metrics.overdueThreads.reset();
    const counts = new Map<string, { partner: string; domain: string; direction: string; n: number }>();
    for (const t of overdue) {
      const key = `${t.partner}\u0000${t.domain}\u0000${t.direction}`;
      const c = counts.get(key) ?? { partner: t.partner, domain: t.domain, direction: t.direction, n: 0 };
      c.n++;
      counts.set(key, c);
    }
    for (const c of counts.values())
      metrics.overdueThreads.set({ partner: c.partner, domain: c.domain, direction: c.direction }, c.n);
  });
}
