import { renderItems, YrdxError } from '../../errors/errors.js';
import type { Language } from '../../vocabulary/language.js';

/** Thrown for a wrong command line; exits with status 2 after printing the usage hint. */
export class UsageError extends Error {}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  readonly stdin: () => Promise<string>;
}

export function language(env: NodeJS.ProcessEnv): Language {
  return (env.YRDX_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** Prints an error as `code: reason` (plus one line per fault), or as problem JSON with --json. */
export function reportError(io: Io, error: unknown, json: boolean): number {
  if (error instanceof UsageError) {
    io.err(`yrdx: ${error.message}\n(run "yrdx help" for usage)\n`);
    return 2;
  }
  if (error instanceof YrdxError) {
    const lang = language(io.env);
    const omitted = error.errorsOmitted > 0 ? { errorsOmitted: error.errorsOmitted } : {};
    if (json) {
      io.err(
        `${JSON.stringify({ code: error.code, detail: error.detail(lang), errors: renderItems(error.errors, lang), ...omitted })}\n`,
      );
    } else {
      io.err(`${error.code}: ${error.detail(lang)}\n`);
      for (const item of error.errors) io.err(`  ${item.file ?? ''}#${item.pointer}: ${item.detail[lang]}\n`);
      if (error.errorsOmitted > 0) io.err(`  … ${error.errorsOmitted} more\n`);
    }
    return 1;
  }
  io.err(`yrdx: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
