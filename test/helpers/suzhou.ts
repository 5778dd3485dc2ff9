import type { AdminConfig, NodeConfig } from '../../src/config/types.js';
import { validateNodeConfig } from '../../src/config/validate.js';
import { sha256Hex } from '../../src/envelope/digest.js';
import type { ExchangeDeps } from '../../src/exchange/deps.js';
import { createKeyring, NodeKeyring } from '../../src/keys/keyring.js';
import { loadNodeContracts } from '../../src/runtime/node/boot.js';
import type { Store } from '../../src/store/port.js';
import { PartnerRegistry } from '../../src/trust/partner-registry.js';
import { DOMAINS, MESSAGE_TYPES } from '../../src/vocabulary/messages.js';
import type { FakeClock, TestNode } from './nodes.js';

/**
 * Suzhou (320500) in-process, as the tests that drive one node through `app.request` build it: an
 * EdDSA keyring made now, and — when `huzhou` is given — one local system `sz-case` (js dialect,
 * pulling, bearer SUZHOU_API_KEY) and Huzhou as the one partner, both allowed to send `types`
 * (assistance requests unless told). Without `huzhou` the node has neither.
 */
export const SUZHOU_API_KEY = 'suzhou-case-system-key-0001';

export interface Suzhou {
  readonly config: NodeConfig;
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
}

export async function suzhouNode(options: {
  readonly clock: FakeClock;
  readonly huzhou?: TestNode;
  readonly types?: readonly string[];
  /** More configuration (rate limits, envelope limits …) beside id, name, keys and the above. */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly admin?: AdminConfig;
}): Promise<Suzhou> {
  const { huzhou, types = ['assistance-request'] } = options;
  const exchange = huzhou && {
    localSystems: [
      {
        id: 'sz-case',
        name: '苏州案件系统',
        dialect: 'js',
        apiKeys: [`sha256:${await sha256Hex(SUZHOU_API_KEY)}`],
        maySend: { domains: ['food-safety'], types },
        receives: { domains: [...DOMAINS], types: [...MESSAGE_TYPES] },
        delivery: { mode: 'pull' },
      },
    ],
    partners: [
      {
        id: '330500',
        name: '湖州市',
        baseUrl: 'http://127.0.0.1:9',
        keys: { jwks: { keys: [huzhou.publicJwk] } },
        maySend: { domains: ['food-safety'], types },
      },
    ],
  };
  const validated = validateNodeConfig(
    {
      id: '320500',
      name: '苏州市',
      province: 'js',
      publicUrl: 'http://127.0.0.1:9',
      keys: { source: 'file' },
      ...options.config,
      ...(exchange ?? { partners: [] }),
    },
    { file: 'test' },
  );
  const config = options.admin ? { ...validated, admin: options.admin } : validated;
  const keyring = await NodeKeyring.load(
    await createKeyring('320500', 'EdDSA', options.clock.now()),
    '320500',
    { retainRetiredSeconds: 3600 },
  );
  const partners = await PartnerRegistry.create(config.partners, {
    file: 'test',
    ownId: '320500',
    ownThumbprints: [],
  });
  return { config, keyring: () => keyring, partners };
}

/** The exchange of `node` over `store` (migrated here), with the contracts under contracts/. */
export async function suzhouExchange(node: Suzhou, store: Store, clock: FakeClock): Promise<ExchangeDeps> {
  await store.migrate();
  return {
    config: node.config,
    store,
    keyring: node.keyring,
    partners: node.partners,
    contracts: loadNodeContracts(node.config),
    now: clock.now,
    fetch: globalThis.fetch,
  };
}
