import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogFn } from '../../http/env.js';
import { type RedactOptions, redactFields, redactMessage } from '../../logging/redact.js';

/** Members never written to a log, at any depth we log (a second line of defence behind `redactFields`). */
export const REDACT_PATHS = [
  'privateJwk',
  '*.privateJwk',
  'd',
  '*.d',
  'key',
  '*.key',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
];

export interface LoggerOptions extends RedactOptions {
  /** Where lines go (default standard output); tests pass their own. */
  readonly destination?: DestinationStream;
}

/**
 * The JSON-lines logger of the Node runtime. Every line's fields and message are redacted (ID
 * numbers, phone numbers, tokens, credentials, private key members) and bounded (`LOG_LIMITS`), and
 * payloads are left out unless `payloads` is set (`LOG_PAYLOADS=1`).
 */
export function createLogger(level = 'info', destination?: DestinationStream | LoggerOptions): Logger {
  const opts: LoggerOptions =
    destination !== undefined && 'write' in destination ? { destination } : (destination ?? {});
  const redact: RedactOptions = opts.payloads ? { payloads: true } : {};
  const options = {
    level,
    base: { service: 'yrdx' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { log: (fields: Record<string, unknown>) => redactFields(fields, redact) },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactMessage(a) : a)),
        );
      },
    },
  };
  return opts.destination === undefined ? pino(options) : pino(options, opts.destination);
}

export function logFn(logger: Logger): LogFn {
  return (level, msg, fields) => logger[level](fields ?? {}, msg);
}
