import type { ContractStatus } from '../admin/state.js';
import type { KeyState } from '../keys/keyring.js';
import { BEIJING_ZONE, beijingClock, beijingTime } from '../text/beijing-time.js';
import type { Language } from '../vocabulary/language.js';
import { cityLabel } from '../vocabulary/regions.js';
import type { Dictionary } from './i18n/index.js';

/**
 * How the console writes times, places and states for people: Beijing time with its zone, a node
 * code with its city beside it, and every state word through the dictionary (never the code's own
 * English word in a Chinese page).
 */

/** A moment in Beijing time with the zone shown; empty when there is none. */
export const when = (at: number | string | undefined | null, lang: Language): string =>
  at === undefined || at === null ? '' : beijingTime(at, lang);

/** A moment in Beijing time without the zone: for a column whose heading names it (`zoned`). */
export const clock = (at: number | string | undefined | null): string =>
  at === undefined || at === null ? '' : beijingClock(at);

/** A column heading that names the zone once for its cells (`clock`). */
export const zoned = (label: string, lang: Language): string =>
  lang === 'en' ? `${label} (${BEIJING_ZONE.en})` : `${label}（${BEIJING_ZONE.zh}）`;

/** A node or partner: its code with the city's name beside it (`320500 苏州市`). */
export const city = (code: string, lang: Language): string => cityLabel(code, lang);

/** Words in parentheses, in the language's own parentheses. */
export const aside = (text: string, lang: Language): string => (lang === 'en' ? ` (${text})` : `（${text}）`);

export function keyStateWord(t: Dictionary, state: KeyState): string {
  return state === 'active' ? t.keyActive : state === 'next' ? t.keyNext : t.keyRetired;
}

export function contractStatusWord(t: Dictionary, status: ContractStatus): string {
  return status === 'active'
    ? t.contractActive
    : status === 'staged'
      ? t.contractStaged
      : t.contractDeprecated;
}

const DELIVERY: Readonly<Record<string, keyof Dictionary>> = {
  queued: 'deliveryQueued',
  sending: 'deliverySending',
  retry: 'deliveryRetry',
  delivered: 'deliveryDelivered',
  rejected: 'deliveryRejected',
  dead: 'deliveryDead',
  acked: 'deliveryAcked',
};

/** A delivery's status (to a partner or a local system); an unknown one as it is stored. */
export function deliveryWord(t: Dictionary, status: string): string {
  const key = DELIVERY[status];
  return key === undefined ? status : t[key];
}

const EVENT: Readonly<Record<string, keyof Dictionary>> = {
  submitted: 'eventSubmitted',
  sealed: 'eventSealed',
  sending: 'eventSending',
  retry: 'eventRetry',
  delivered: 'eventDelivered',
  'receipt-verified': 'eventReceiptVerified',
  rejected: 'eventRejected',
  dead: 'eventDead',
  requeued: 'eventRequeued',
  received: 'eventReceived',
};

/** An event of a message's history; an unknown one as it is stored. */
export function eventWord(t: Dictionary, event: string): string {
  const key = EVENT[event];
  return key === undefined ? event : t[key];
}

export const circuitWord = (t: Dictionary, circuit: string): string =>
  circuit === 'open' ? t.circuitOpen : t.circuitClosed;

/** A stored event detail in the page's language where its form is known (`attempt 2`); else as stored. */
export function eventDetail(t: Dictionary, lang: Language, detail: string): string {
  const attempt = /^attempt (\d+)$/.exec(detail);
  if (attempt !== null) return lang === 'en' ? detail : `第 ${attempt[1]} 次尝试`;
  if (detail === 'rejected in the partner’s signed receipt') return t.rejectedByReceipt;
  return detail;
}

/** A declared cryptography profile in words; undefined: not declared. */
export function profileWord(t: Dictionary, profile: 'gm' | 'international' | undefined): string {
  if (profile === undefined) return t.profileUndeclared;
  return profile === 'gm' ? t.profileGm : t.profileInternational;
}
