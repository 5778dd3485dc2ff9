import type { Child } from 'hono/jsx';
import type { Language } from '../vocabulary/language.js';
import type { Dictionary } from './i18n/index.js';
import { Csrf } from './layout.js';
import { aside } from './present.js';
import type { ConsoleSession } from './session.js';

/**
 * Pieces of markup shared by the console's pages. They render exactly what the pages wrote out by
 * hand before: the same elements, classes, ids and ARIA attributes.
 */

/** A section titled by its `h2`, which labels it for assistive technology. */
export function Section(props: { id: string; title: Child; wide?: boolean; children?: Child }) {
  return (
    <section aria-labelledby={props.id} class={props.wide ? 'wide' : undefined}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/**
 * A data table: one column header (`scope="col"`) per entry of `columns` (an empty string for a
 * column of buttons), then the rows given as children. Wrapped in a horizontally scrolling box
 * unless `scroll` is false.
 */
export function DataTable(props: {
  columns: readonly string[];
  scroll?: boolean;
  /** The table's id, for links and tests. */
  id?: string;
  children?: Child;
}) {
  const table = (
    <table id={props.id}>
      <thead>
        <tr>
          {props.columns.map((name) => (
            <th scope="col">{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
  return props.scroll === false ? table : <div class="scroll">{table}</div>;
}

/** A table cell holding an identifier (key id, thumbprint, address) set in code type. */
export function CodeCell(props: { children?: Child }) {
  return (
    <td>
      <code>{props.children}</code>
    </td>
  );
}

/** The end of a key's validity (or "never"), marked when it comes soon. */
export function KeyEnd(props: { t: Dictionary; lang: Language; end: string | undefined; soon: boolean }) {
  return (
    <>
      {props.end ?? props.t.never}
      {props.soon ? aside(props.t.expiresSoon, props.lang) : ''}
    </>
  );
}

/** The class of a delivery's status cell. */
export const deliveryClass = (status: string): string =>
  status === 'dead' ? 'bad' : status === 'delivered' ? 'ok' : '';

/** A confirmation that an action succeeded, announced politely. */
export function Notice(props: { children?: Child }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}

/** A POST form of this session, carrying its anti-forgery field first. */
export function PostForm(props: {
  session: ConsoleSession;
  action: string;
  class?: string;
  enctype?: 'multipart/form-data';
  children?: Child;
}) {
  return (
    <form class={props.class} method="post" action={props.action} enctype={props.enctype}>
      <Csrf session={props.session} />
      {props.children}
    </form>
  );
}

/** One button that POSTs to `action`, inline in a table row (suspend, resume, activate, requeue). */
export function ActionButton(props: {
  session: ConsoleSession;
  action: string;
  label: string;
  /** The button's accessible name when its visible label alone is ambiguous. */
  ariaLabel?: string;
  secondary?: boolean;
  /** Hidden fields sent along, after the anti-forgery field. */
  children?: Child;
}) {
  return (
    <PostForm session={props.session} action={props.action} class="inline">
      {props.children}
      <button type="submit" class={props.secondary ? 'secondary' : ''} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </PostForm>
  );
}
