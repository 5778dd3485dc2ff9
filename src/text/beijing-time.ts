import type { Language } from '../vocabulary/language.js';

/** China Standard Time is UTC+8 all year (no daylight saving since 1991), so no time-zone database is needed. */
const OFFSET_MS = 8 * 3600 * 1000;

/** The zone as written after a time, in each language. */
export const BEIJING_ZONE = { zh: '北京时间', en: 'Beijing time, UTC+8' } as const satisfies Record<
  Language,
  string
>;

/**
 * A moment as Beijing wall-clock time, `2026-12-08 04:35:09`, without the zone (a table whose heading
 * names it); an invalid input gives the empty string. Accepts epoch milliseconds, an ISO string or a Date.
 */
export function beijingClock(at: number | string | Date): string {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) return '';
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A moment as Beijing time with the zone shown: `2026-12-08 04:35:09（北京时间）` / `2026-12-08 04:35:09 (Beijing time, UTC+8)`. */
export function beijingTime(at: number | string | Date, lang: Language = 'zh'): string {
  const clock = beijingClock(at);
  if (clock === '') return '';
  return lang === 'en' ? `${clock} (${BEIJING_ZONE.en})` : `${clock}（${BEIJING_ZONE.zh}）`;
}
