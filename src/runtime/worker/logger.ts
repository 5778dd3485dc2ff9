import type { LogFn } from '../../http/env.js';
import { type RedactOptions, redactFields, redactMessage } from '../../logging/redact.js';

/** pino's numeric levels, so that lines from Node and Workers read the same. */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/**
 * The logger of the Workers runtime: one JSON object per `console.log` line (Workers Logs and
 * `wrangler tail` index them), with the fields of the Node runtime's pino lines — `level` (pino's
 * numbers), `time` (ms), `service`, the call's fields, `msg` — and the same redaction and bounds.
 */
export function workerLogger(
  options: RedactOptions & {
    readonly level?: string;
    readonly write?: (line: string) => void;
    readonly now?: () => number;
  } = {},
): LogFn {
  const threshold = LEVELS[(options.level ?? 'info') as keyof typeof LEVELS] ?? LEVELS.info;
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const redact: RedactOptions = options.payloads ? { payloads: true } : {};
  return (level, msg, fields) => {
    if (LEVELS[level] < threshold) return;
    const line = {
      level: LEVELS[level],
      time: now(),
      service: 'yrdx',
      ...redactFields(fields ?? {}, redact),
      msg: redactMessage(msg),
    };
    write(JSON.stringify(line));
  };
}
