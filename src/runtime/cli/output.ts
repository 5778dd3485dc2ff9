import { renderItems, YrdxError } from '../../errors/errors.js';
import { bilingual, language, textIn } from './text.js';

export { language } from './text.js';

export const TEXT = bilingual({
  zh: {
    usageHint: '（运行 "yrdx help" 查看用法）',
    commandHint: '（运行 "yrdx {command} --help" 查看用法）',
    more: '  …… 另有 {count} 处',
  },
  en: {
    usageHint: '(run "yrdx help" for usage)',
    commandHint: '(run "yrdx {command} --help" for usage)',
    more: '  … {count} more',
  },
});

/** Thrown for a wrong command line; exits with status 2 after printing the usage hint. */
export class UsageError extends Error {
  /** The command whose usage the hint points to (set by the CLI when it knows). */
  command: string | undefined;
}

/**
 * An error with lines that help after it: the valid names and the closest one, e.g. for an unknown
 * domain or dialect. Printed as the error followed by the hints (with --json, a `hints` member).
 */
export class HintedError extends Error {
  constructor(
    readonly error: unknown,
    readonly hints: readonly string[],
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  readonly stdin: () => Promise<string>;
}

/** Prints an error as `code: reason` (plus one line per fault), or as problem JSON with --json. */
export function reportError(io: Io, error: unknown, json: boolean): number {
  const lang = language(io.env);
  const hints = error instanceof HintedError ? error.hints : [];
  const inner = error instanceof HintedError ? error.error : error;
  if (inner instanceof UsageError) {
    const hint =
      inner.command === undefined
        ? textIn(lang, TEXT, 'usageHint')
        : textIn(lang, TEXT, 'commandHint', { command: inner.command });
    io.err(`yrdx: ${inner.message}\n${hints.map((h) => `${h}\n`).join('')}${hint}\n`);
    return 2;
  }
  if (inner instanceof YrdxError) {
    const omitted = inner.errorsOmitted > 0 ? { errorsOmitted: inner.errorsOmitted } : {};
    if (json) {
      io.err(
        `${JSON.stringify({ code: inner.code, detail: inner.detail(lang), errors: renderItems(inner.errors, lang), ...omitted, ...(hints.length > 0 ? { hints } : {}) })}\n`,
      );
    } else {
      io.err(`${inner.code}: ${inner.detail(lang)}\n`);
      for (const item of inner.errors) io.err(`  ${item.file ?? ''}#${item.pointer}: ${item.detail[lang]}\n`);
      if (inner.errorsOmitted > 0) io.err(`${textIn(lang, TEXT, 'more', { count: inner.errorsOmitted })}\n`);
      for (const h of hints) io.err(`${h}\n`);
    }
    return 1;
  }
  io.err(`yrdx: ${inner instanceof Error ? inner.message : String(inner)}\n`);
  for (const h of hints) io.err(`${h}\n`);
  return 1;
}
