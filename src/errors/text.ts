import type { Language } from '../vocabulary/language.js';

/**
 * A text a person reads, in each language yrdx speaks. Every fault detail and every prose parameter
 * of a problem is one of these, so that a Chinese message never carries an English fragment.
 */
export interface LocalText {
  readonly zh: string;
  readonly en: string;
}

/** A parameter of a text: data (an id, a number, a path) is the same in every language; prose is a LocalText. */
export type TextParam = string | number | LocalText;
export type TextParams = Readonly<Record<string, TextParam>>;

/**
 * A table of texts with the same keys in each language, filled with `{name}` placeholders; the shape
 * every module that writes texts for people exports (`export const …_TEXT = { zh: {…}, en: {…} }`).
 */
export interface TextTable<K extends string = string> {
  readonly zh: Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

export function isLocalText(value: unknown): value is LocalText {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LocalText).zh === 'string' &&
    typeof (value as LocalText).en === 'string'
  );
}

/** A parameter as written in `lang`. */
export function inLanguage(value: TextParam, lang: Language): string {
  return typeof value === 'object' ? value[lang] : String(value);
}

/** Fills `{name}` placeholders of `template` with `params` in `lang`; an unknown name stays as written. */
export function fill(template: string, params: TextParams, lang: Language): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : inLanguage(value, lang);
  });
}

/** The text `key` of `table` in both languages, its placeholders filled from `params`. */
export function textOf<K extends string>(table: TextTable<K>, key: K, params: TextParams = {}): LocalText {
  return { zh: fill(table.zh[key], params, 'zh'), en: fill(table.en[key], params, 'en') };
}

/** Several texts joined into one, with each language's list separator. */
export function joinTexts(texts: readonly LocalText[]): LocalText {
  return { zh: texts.map((t) => t.zh).join('；'), en: texts.map((t) => t.en).join('; ') };
}

/** Names joined as a list in each language (`a、b` / `a, b`); `none` when there are none. */
export function listOf(names: readonly string[]): LocalText {
  return names.length === 0 ? { zh: '无', en: 'none' } : { zh: names.join('、'), en: names.join(', ') };
}
