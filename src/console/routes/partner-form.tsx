import type { YrdxError } from '../../errors/errors.js';
import { renderItems } from '../../errors/errors.js';
import type { Language } from '../../vocabulary/language.js';
import { PostForm } from '../components.js';
import { formJson } from '../form-json.js';
import type { Dictionary } from '../i18n/index.js';
import { ProblemBox } from '../layout.js';
import { type Form, field } from '../respond.js';
import type { ConsoleSession } from '../session.js';

const list = (value: string | undefined) => (value ?? '').split(/[\s,，]+/).filter((x) => x !== '');

/**
 * The admin API's request body for a partner from the add form: the JWKS text is parsed here, every
 * other rule is `validatePartnerConfig`'s.
 */
export function partnerBody(form: Form): Record<string, unknown> {
  const text = field(form, 'jwks');
  let jwks: unknown;
  if (text !== undefined) {
    jwks = formJson(text, '/keys/jwks', 'expected a JWKS JSON document');
  }
  return {
    id: field(form, 'id') ?? '',
    name: field(form, 'name') ?? '',
    baseUrl: field(form, 'baseUrl') ?? '',
    keys: jwks === undefined ? {} : { jwks },
    subscribes: list(field(form, 'subscribes')),
    maySend: { domains: list(field(form, 'maySendDomains')), types: list(field(form, 'maySendTypes')) },
  };
}

/** The form that adds a partner, refilled with the draft a refusal sends back. */
export function AddPartnerForm(props: {
  t: Dictionary;
  lang: Language;
  session: ConsoleSession;
  draft: { form: Form; error: YrdxError } | undefined;
}) {
  const { t, draft } = props;
  const value = (name: string) => {
    const v = draft?.form[name];
    return typeof v === 'string' ? v : '';
  };
  const input = (name: string, label: string, placeholder?: string) => (
    <label for={`p-${name}`}>
      {label}
      <input id={`p-${name}`} name={name} value={value(name)} placeholder={placeholder} />
    </label>
  );
  return (
    <>
      <p class="hint">{t.addPartnerHint}</p>
      {draft ? (
        <ProblemBox
          t={t}
          detail={draft.error.detail(props.lang)}
          code={draft.error.code}
          errors={renderItems(draft.error.errors, props.lang)}
        />
      ) : null}
      <PostForm session={props.session} action="/console/partners" class="grid">
        {input('id', t.partnerId, '310000')}
        {input('name', t.name)}
        {input('baseUrl', t.baseUrl, 'https://')}
        {input('subscribes', t.subscribesDomains, 'food-safety')}
        {input('maySendDomains', t.maySendDomains, 'food-safety')}
        {input('maySendTypes', t.maySendTypes, 'assistance-request')}
        <label for="p-jwks">
          {t.jwks}
          <textarea id="p-jwks" name="jwks">
            {value('jwks')}
          </textarea>
        </label>
        <div>
          <button type="submit">{t.add}</button>
        </div>
      </PostForm>
    </>
  );
}
