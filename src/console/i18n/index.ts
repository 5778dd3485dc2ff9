import { en } from './en.js';
import { type Dictionary, zhCN } from './zh-CN.js';

export type { Dictionary };
export type ConsoleLang = 'zh-CN' | 'en';

/** 简体中文 unless English is asked for. */
export function dictionary(lang: ConsoleLang): Dictionary {
  return lang === 'en' ? en : zhCN;
}

export function consoleLang(value: string | undefined): ConsoleLang | undefined {
  return value === 'en' || value === 'zh-CN' ? value : undefined;
}
