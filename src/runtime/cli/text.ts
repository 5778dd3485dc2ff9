import { fill, type TextParams } from '../../errors/text.js';
import type { Language } from '../../vocabulary/language.js';
import type { Io } from './output.js';

export { textOf } from '../../errors/text.js';

/**
 * The texts a module prints for people, both languages with the same keys, filled with `{name}`
 * placeholders. Every module under src/runtime/ that prints text exports one as `TEXT`; a test
 * (test/cli/language.test.ts) finds them all and checks that both languages have the same keys and
 * placeholders, that the Chinese holds no English prose and the English no Chinese.
 */
export type Texts<K extends string = string> = {
  readonly zh: Record<K, string>;
  readonly en: Record<K, string>;
};

/** A `TEXT` table whose English must have exactly the keys of its Chinese (checked by the compiler). */
export function bilingual<const Z extends Record<string, string>>(table: {
  zh: Z;
  en: { [K in keyof Z]: string };
}): { readonly zh: Z; readonly en: { readonly [K in keyof Z]: string } } {
  return table;
}

/** The CLI's language: English when `YRDX_LANG` starts with "en", else 简体中文. */
export function language(env: NodeJS.ProcessEnv): Language {
  return (env.YRDX_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** Data (ids, numbers, paths) or a text in both languages (`textOf`), put into `{name}` placeholders. */
export type Params = TextParams;

type KeyOf<T extends Texts> = keyof T['zh'] & string;

/** One text of a table in a language, filled. */
export function textIn<T extends Texts>(lang: Language, table: T, key: KeyOf<T>, params?: Params): string {
  // An unknown placeholder is left as it is, so a missing value shows.
  return fill((table[lang] as Record<string, string>)[key] ?? key, params ?? {}, lang);
}

/** One text of a table in the CLI's language (`YRDX_LANG`), filled. */
export function text<T extends Texts>(io: Pick<Io, 'env'>, table: T, key: KeyOf<T>, params?: Params): string {
  return textIn(language(io.env), table, key, params);
}

/** Prints one text of a table, in the CLI's language, as a line on standard output. */
export function say<T extends Texts>(io: Io, table: T, key: KeyOf<T>, params?: Params): void {
  io.out(`${text(io, table, key, params)}\n`);
}

/** A table's texts bound to the CLI's language: `const t = texts(io, TEXT); t('saved', { file })`. */
export function texts<T extends Texts>(io: Pick<Io, 'env'>, table: T) {
  const lang = language(io.env);
  return (key: KeyOf<T>, params?: Params): string => textIn(lang, table, key, params);
}

/** A list as a person reads it: `a、b、c` in Chinese, `a, b, c` in English. */
export function listIn(lang: Language, items: readonly string[]): string {
  return items.join(lang === 'en' ? ', ' : '、');
}
