import type { ThreadView } from '../store/port.js';

/** How quickly a partner's threads were answered: from opening to the reply that settled its track. */
export interface ResponseTimes {
  readonly partner: string;
  /** Closed threads with a known closing time. */
  readonly answered: number;
  /** Median time from opening to reply, in ms (the mean of the two middle values for an even count). */
  readonly medianMs: number;
  /** Longest time from opening to reply, in ms. */
  readonly longestMs: number;
}

/** Per partner (sorted by partner id), the closed threads answered and their median and longest times. */
export function responseTimes(threads: readonly ThreadView[]): ResponseTimes[] {
  const byPartner = new Map<string, number[]>();
  const add = (partner: string, ms: number) => {
    const list = byPartner.get(partner) ?? [];
    list.push(Math.max(0, ms));
    byPartner.set(partner, list);
  };
  for (const th of threads) {
    // Each counterpart's track from the request to its final state (a joint investigation's
    // participants each finish on their own); a thread recorded without tracks by its close.
    if (th.tracks.length > 0) {
      for (const track of th.tracks)
        if (track.closedAt !== undefined) add(track.partner, track.closedAt - th.openedAt);
    } else if (th.status === 'closed' && th.closedAt !== undefined)
      add(th.partner, th.closedAt - th.openedAt);
  }
  return [...byPartner]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partner, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      const medianMs = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      return { partner, answered: sorted.length, medianMs, longestMs: sorted[sorted.length - 1]! };
    });
}

/** A duration for people: `45 s`, `12 min`, `3.5 h`, `2.1 d`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}
