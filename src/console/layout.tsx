import type { Child } from 'hono/jsx';
import { mayDo } from '../admin/roles.js';
import { LANGUAGE_TAGS, type Language } from '../vocabulary/language.js';
import type { Dictionary } from './i18n/index.js';
import { aside } from './present.js';
import type { ConsoleSession } from './session.js';

export type Section =
  | 'overview'
  | 'messages'
  | 'threads'
  | 'partners'
  | 'contracts'
  | 'playground'
  | 'local-systems'
  | 'audit'
  | 'sign-in';

export interface PageProps {
  readonly t: Dictionary;
  readonly lang: Language;
  readonly title: string;
  readonly section: Section;
  /** The GET address of this page, where the language switch returns to. */
  readonly here: string;
  readonly session?: ConsoleSession | undefined;
  readonly node: string;
  readonly children?: Child;
}

/** Every console page: header with navigation and language switch, then the page's `main`. */
export function Layout(props: PageProps) {
  const { t, session } = props;
  const other = LANGUAGE_TAGS[props.lang === 'en' ? 'zh' : 'en'];
  const links: [Section, string][] = [
    ['overview', t.overview],
    ['messages', t.messages],
    ['threads', t.threads],
    ['local-systems', t.localSystems],
  ];
  if (session && mayDo(session.role, 'ops:read')) {
    links.push(['partners', t.partners], ['contracts', t.contracts], ['playground', t.playground]);
  }
  links.push(['audit', t.audit]);
  return (
    <html lang={LANGUAGE_TAGS[props.lang]}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t.product}`}</title>
        <link rel="stylesheet" href="/console/style.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header class="top">
          <span class="brand">
            {t.product} · {props.node}
          </span>
          {session ? (
            <nav aria-label={t.nav}>
              <ul>
                {links.map(([section, label]) => (
                  <li>
                    <a
                      href={`/console/${section}`}
                      aria-current={section === props.section ? 'page' : undefined}
                    >
                      {label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <a
            href={`${props.here}${props.here.includes('?') ? '&' : '?'}lang=${other}`}
            lang={other}
            title={t.switchLanguageHint}
          >
            {t.switchLanguage}
          </a>
          {session ? (
            <>
              <span class="who">
                {t.signedInAs}: {session.credential}
                {aside(roleWord(t, session.role), props.lang)}
              </span>
              <form class="inline" method="post" action="/console/sign-out">
                <Csrf session={session} />
                <button type="submit">{t.signOut}</button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

const roleWord = (t: Dictionary, role: ConsoleSession['role']): string =>
  role === 'admin' ? t.roleAdmin : role === 'operator' ? t.roleOperator : t.roleAuditor;

/** A hidden anti-forgery field for a form of this session. */
export function Csrf(props: { session: ConsoleSession }) {
  return <input type="hidden" name="_csrf" value={props.session.csrf} />;
}

/** A problem: its text and, when the input had several faults, one row per fault. */
export function ProblemBox(props: {
  t: Dictionary;
  detail: string;
  code?: string | undefined;
  errors?: readonly { file?: string; pointer: string; rule?: string; detail: string }[] | undefined;
}) {
  const { t } = props;
  return (
    <div class="problem" role="alert">
      <p>
        {props.detail} {props.code ? <code>{props.code}</code> : null}
      </p>
      {props.errors && props.errors.length > 0 ? (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.file}</th>
                <th scope="col">{t.pointer}</th>
                <th scope="col">{t.rule}</th>
                <th scope="col">{t.detail}</th>
              </tr>
            </thead>
            <tbody>
              {props.errors.map((e) => (
                <tr>
                  <td>{e.file ?? ''}</td>
                  <td>
                    <code>{e.pointer === '' ? '/' : e.pointer}</code>
                  </td>
                  <td>{e.rule ?? ''}</td>
                  <td>{e.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

export const iso = (ms: number | undefined): string =>
  ms === undefined ? '' : new Date(ms).toISOString().replace('.000Z', 'Z');
