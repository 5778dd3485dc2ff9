import type { Partner } from '../trust/partner-registry.js';
import type { Language } from '../vocabulary/language.js';
import { CodeCell, DataTable } from './components.js';
import type { Dictionary } from './i18n/index.js';
import { city, clock, zoned } from './present.js';

const DAY = 86_400_000;
/** Partner keys whose registration ends this soon are highlighted (the node alerts as early). */
export const PARTNER_KEY_WARNING_MS = 60 * DAY;

/** A pinned partner key that stops verifying within `PARTNER_KEY_WARNING_MS` of `now`. */
export interface ExpiringKey {
  readonly partner: string;
  readonly kid: string;
  readonly thumbprint: string;
  readonly notAfter: number;
}

/** The partners' pinned keys that end within 60 days (or have ended), soonest first. */
export function expiringPartnerKeys(partners: readonly Partner[], now: number): ExpiringKey[] {
  const out: ExpiringKey[] = [];
  for (const p of partners) {
    for (const k of p.keys.values()) {
      if (k.notAfter !== undefined && k.notAfter * 1000 - now < PARTNER_KEY_WARNING_MS) {
        out.push({ partner: p.id, kid: k.kid, thumbprint: k.thumbprint, notAfter: k.notAfter * 1000 });
      }
    }
  }
  return out.sort((a, b) => a.notAfter - b.notAfter);
}

/** The table of partner keys near their end, for this page and the overview. */
export function ExpiringKeys(props: { t: Dictionary; lang: Language; keys: readonly ExpiringKey[] }) {
  const { t, lang } = props;
  if (props.keys.length === 0) return <p>{t.noPartnerKeysExpiring}</p>;
  return (
    <DataTable columns={[t.partner, t.kid, t.thumbprint, zoned(t.validUntil, lang)]}>
      {props.keys.map((k) => (
        <tr>
          <td>{city(k.partner, lang)}</td>
          <CodeCell>{k.kid}</CodeCell>
          <CodeCell>{k.thumbprint}</CodeCell>
          <td class="warn">{clock(k.notAfter)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
