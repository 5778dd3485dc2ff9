import type { AppEnv } from '../http/env.js';
import type { Language } from '../vocabulary/language.js';
import type { Dictionary } from './i18n/index.js';
import type { ConsoleSession } from './session.js';

/** Per-request state of the console: the language, its strings and who is signed in. */
export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & {
    lang: Language;
    /** This node's id, shown in the header. */
    node: string;
    t: Dictionary;
    session?: ConsoleSession;
  };
}
