import { type Logger, pino } from 'pino';
import type { LogFn } from '../../app-env.js';

/** Members never written to a log, at any depth we log. */
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

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { service: 'yrdx' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export function logFn(logger: Logger): LogFn {
  return (level, msg, fields) => logger[level](fields ?? {}, msg);
}
