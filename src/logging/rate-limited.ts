import type { LogFn } from '../http/env.js';

/** A string field of a rate-limited line is cut to this many characters. */
export const MAX_LOGGED_FIELD = 200;

/**
 * A log function that writes at most `perMinute` lines per fixed minute of the clock and drops the
 * rest, for lines that outside traffic causes (anonymous refusals): an attacker can then neither
 * flood the log nor make one line large. The first line of a later minute is preceded by one
 * `log lines suppressed` line with the number dropped, so nothing disappears unnoticed. String
 * fields are cut to `MAX_LOGGED_FIELD` characters.
 */
export function rateLimitedLog(
  log: LogFn | undefined,
  options: { readonly perMinute: number; readonly now: () => number },
): LogFn {
  let minute = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  return function limitedLog(level, msg, fields) {
    if (log === undefined) return;
    const now = Math.floor(options.now() / 60_000);
    if (now !== minute) {
      if (suppressed > 0)
        log('warn', 'log lines suppressed', { suppressed, since: new Date(minute * 60_000).toISOString() });
      minute = now;
      written = 0;
      suppressed = 0;
    }
    if (written >= options.perMinute) {
      suppressed++;
      return;
    }
    written++;
    log(level, msg, fields === undefined ? undefined : cutFields(fields));
  };
}

function cutFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] =
      typeof value === 'string' && value.length > MAX_LOGGED_FIELD
        ? `${value.slice(0, MAX_LOGGED_FIELD - 1)}…`
        : value;
  }
  return out;
}
