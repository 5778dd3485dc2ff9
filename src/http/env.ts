/** A log call that the runtime wires to its logger (pino on Node, JSON lines on Workers). */
export type LogFn = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** Per-request state shared by middleware and routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log?: LogFn;
  };
}
