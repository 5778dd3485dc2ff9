/** The languages yrdx speaks: 简体中文 (the default) and English. */
export type Language = 'zh' | 'en';

/** Each language's BCP 47 tag, as written in `lang`, `Content-Language`, the console's `?lang=` and cookie. */
export const LANGUAGE_TAGS = { zh: 'zh-CN', en: 'en' } as const satisfies Record<Language, string>;

/** The language a tag ("zh-CN" or "en") names, or undefined for any other text. */
export function languageOfTag(tag: string | undefined): Language | undefined {
  if (tag === LANGUAGE_TAGS.en) return 'en';
  if (tag === LANGUAGE_TAGS.zh) return 'zh';
  return undefined;
}
