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
 * Registers the gauges computed at scrape time: open and overdue tracks of cooperation threads by
 * workflow state (from the store) and
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
    // Per track and state: a thread's counterparts each have their own (闭环 per recipient).
    const open = await sources.store.listThreads({ status: 'open' });
    metrics.overdueThreads.reset();
    metrics.openTracks.reset();
    const overdue = new Map<string, { partner: string; domain: string; direction: string; n: number }>();
    const states = new Map<string, { domain: string; workflow: string; state: string; n: number }>();
    for (const t of open) {
      for (const track of t.tracks) {
        if (track.closedAt !== undefined) continue;
        const expired = track.expiresAt !== undefined && now > track.expiresAt;
        const state = expired ? (track.expiresTo ?? track.state) : track.state;
        const sk = `${t.domain}\u0000${t.workflow ?? t.type}\u0000${state}`;
        const s = states.get(sk) ?? { domain: t.domain, workflow: t.workflow ?? t.type, state, n: 0 };
        s.n++;
        states.set(sk, s);
        if (expired || track.dueAt === undefined || track.dueAt >= now) continue;
        const key = `${track.partner}\u0000${t.domain}\u0000${t.direction}`;
        const c = overdue.get(key) ?? {
          partner: track.partner,
          domain: t.domain,
          direction: t.direction,
          n: 0,
        };
        c.n++;
        overdue.set(key, c);
      }
    }
    for (const c of overdue.values())
      metrics.overdueThreads.set({ partner: c.partner, domain: c.domain, direction: c.direction }, c.n);
    for (const s of states.values())
      metrics.openTracks.set({ domain: s.domain, workflow: s.workflow, state: s.state }, s.n);
  });
}
