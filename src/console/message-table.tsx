import type { MessageSummary } from '../store/port.js';
import type { Language } from '../vocabulary/language.js';
import { ActionButton, DataTable } from './components.js';
import type { Dictionary } from './i18n/index.js';
import { city, clock, zoned } from './present.js';
import type { ConsoleSession } from './session.js';

/** The button that requeues a dead delivery (message pages and the overview). */
export function RequeueButton(props: {
  t: Dictionary;
  session: ConsoleSession;
  kind: 'partner' | 'local';
  id: string;
  back?: string;
}) {
  return (
    <ActionButton
      session={props.session}
      action={`/console/dead-letters/${props.kind}/${encodeURIComponent(props.id)}/requeue`}
      label={props.t.requeue}
      secondary
    >
      {props.back ? <input type="hidden" name="back" value={props.back} /> : null}
    </ActionButton>
  );
}

/** Messages found, newest first, each linking to its page and its thread. */
export function MessageTable(props: { t: Dictionary; lang: Language; items: readonly MessageSummary[] }) {
  const { t, lang, items } = props;
  if (items.length === 0) return <p>{t.noResults}</p>;
  return (
    <DataTable
      columns={[
        zoned(t.time, lang),
        t.direction,
        t.messageId,
        t.partner,
        t.type,
        t.contract,
        t.caseNumber,
        t.thread,
      ]}
    >
      {items.map((m) => (
        <tr>
          <td>{clock(m.at)}</td>
          <td>{m.direction === 'outbound' ? t.outbound : t.inbound}</td>
          <td>
            <a href={`/console/messages/${encodeURIComponent(m.messageId)}`}>{m.messageId}</a>
          </td>
          <td>{m.partners.map((p) => city(p, lang)).join(', ')}</td>
          <td>{m.type}</td>
          <td>{m.contract}</td>
          <td>{m.caseNumber ?? ''}</td>
          <td>
            <a href={`/console/messages?thread=${encodeURIComponent(m.thread)}`}>{m.thread}</a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
