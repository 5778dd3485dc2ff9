import { buildApp } from '../../app.js';
import { type AuditSink, storeAuditSink } from '../../audit/sink.js';
import type { LogFn } from '../../http/env.js';
import { inScope } from '../../vocabulary/messages.js';
import type { NodeState } from './boot.js';
import type { RunningExchange } from './exchange.js';
import { systemResolve } from './http-client.js';
import { nodeRemoteAddress } from './remote-address.js';
import { rotateNodeKeys } from './rotate-keys.js';

/**
 * The HTTP application of a booted node with its exchange: the one wiring `npm start`, the demo
 * federation and the in-process test nodes share. It announces the accepted contracts of the
 * domains the node is configured for, records admin actions in the store's audit log (unless
 * another sink is passed) and serves the admin API when credentials are configured.
 */
export function nodeApp(
  state: NodeState,
  exchange: RunningExchange,
  log?: LogFn,
  options: { readonly audit?: AuditSink; readonly now?: () => number } = {},
) {
  const now = options.now ?? exchange.deps.now;
  return buildApp({
    config: state.config,
    keyring: () => state.keyring,
    partners: state.partners,
    contracts: () => state.contracts.accepted().filter((c) => inScope(state.config.domains, c.domain)),
    now,
    ...(log === undefined ? {} : { log }),
    exchange: exchange.deps,
    audit: options.audit ?? storeAuditSink(exchange.deps.store),
    admin: {
      contracts: state.lifecycle,
      state: state.adminState,
      runtimePartners: state.runtimePartners,
      rotateKeys: (force) => rotateNodeKeys(state, now(), force),
      circuitOpen: (partner, at) => exchange.circuits.isOpen(partner, at),
      resolveHost: systemResolve,
      remoteAddress: nodeRemoteAddress(state.config.trustProxy),
      configFile: state.configFile,
    },
  });
}
