import type { NodeConfig } from '../../config/types.js';
import { DataKeyring } from '../../keys/data-keys.js';
import type { NodeKeyring } from '../../keys/keyring.js';
import type { KeySource } from '../../keys/source.js';
import { nodeKeySource } from './key-sources.js';
import type { AtRestOption } from './store.js';

/**
 * The data keys of a node's store: those of its keyring, or, once a stored value named a key the
 * keyring does not have (`yrdx data-key rotate` run beside the node), those its key source holds
 * now — from then on new values are sealed under that source's active key.
 */
export function nodeAtRest(keySource: KeySource, keyring: () => NodeKeyring): AtRestOption {
  // Read again for the keyring in use; a keyring loaded later (SIGHUP, a key rotation) wins.
  let fresh: { readonly keys: DataKeyring | undefined; readonly over: NodeKeyring } | undefined;
  return {
    keys: () => {
      const current = keyring();
      return fresh !== undefined && fresh.over === current ? fresh.keys : current.dataKeys;
    },
    async refresh() {
      const over = keyring();
      const doc = await keySource.load();
      const keys = doc === undefined ? undefined : DataKeyring.from(doc);
      if (keys !== undefined) fresh = { keys, over };
    },
  };
}

/**
 * The data keys of the node a command reads the store of, straight from its key source: nothing is
 * generated or written (the node makes its data key when it starts). A command that only reads
 * (`lenient`) still runs when the key source cannot be read — the audit log needs no data key — and
 * meets the key source's problem only when it reads an encrypted value. Without a data key, values
 * sealed in the store are `data_key_unknown`.
 */
export async function keySourceAtRest(
  config: NodeConfig,
  env: NodeJS.ProcessEnv,
  now: () => number,
  options: { readonly lenient?: boolean } = {},
): Promise<AtRestOption> {
  let keys: DataKeyring | undefined;
  const refresh = async () => {
    const doc = await nodeKeySource(config.keys, config.dataDir, env, now).load();
    keys = doc === undefined ? undefined : DataKeyring.from(doc);
  };
  await refresh().catch((error: unknown) => {
    if (!options.lenient) throw error;
  });
  return { keys: () => keys, refresh };
}
