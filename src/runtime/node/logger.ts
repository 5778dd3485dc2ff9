import { type DestinationStream, type Logger, pino } from 'pino';
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

/** The JSON-lines logger of the Node runtime; tests pass their own destination. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'yrdx' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export function logFn(logger: Logger): LogFn {
  return (level, msg, fields) => logger[level](fields ?? {}, msg);
}
