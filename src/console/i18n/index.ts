import type { Language } from '../../vocabulary/language.js';
import { en } from './en.js';
import { type Dictionary, zhCN } from './zh-CN.js';

export type { Dictionary };

/** 简体中文 unless English is asked for. */
export function dictionary(lang: Language): Dictionary {
  return lang === 'en' ? en : zhCN;
}
