import type { LocalSystemConfig } from '../../config/types.js';
import type { AppEnv } from '../../http/env.js';

/** How a request's API key was judged: the local system it names, or the refusal to raise. */
export type LocalAuth = { readonly system: LocalSystemConfig } | { readonly refused: unknown };

/** Per-request state of the exchange's routes: on the local systems' routes, who is calling. */
export interface ExchangeEnv {
  Variables: AppEnv['Variables'] & {
    localAuth?: LocalAuth;
  };
}
