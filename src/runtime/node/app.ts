import { buildApp } from '../../app.js';
import type { LogFn } from '../../app-env.js';
import { storeAuditSink } from '../../audit/sink.js';
import type { NodeState } from './boot.js';
import type { RunningExchange } from './exchange.js';

/**
 * The HTTP application of a booted node with its exchange: the one wiring `npm start`, the demo
 * federation and the in-process test nodes share. It announces the accepted contracts of the
 * domains the node is configured for, and records admin actions in the store's audit log.
 */
export function nodeApp(state: NodeState, exchange: RunningExchange, log?: LogFn) {
  return buildApp({
    config: state.config,
    keyring: () => state.keyring,
    partners: state.partners,
    contracts: () =>
      state.contracts
        .accepted()
        .filter((c) => (state.config.domains as readonly string[]).includes(c.domain)),
    ...(log === undefined ? {} : { log }),
    exchange: exchange.deps,
    audit: storeAuditSink(exchange.deps.store),
  });
}
