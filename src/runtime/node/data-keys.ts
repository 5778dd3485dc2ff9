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
  let fresh: DataKeyring | undefined;
  return {
    keys: () => fresh ?? keyring().dataKeys,
    async refresh() {
      const doc = await keySource.load();
      if (doc !== undefined) fresh = DataKeyring.from(doc) ?? fresh;
    },
  };
}

/**
 * The data keys of the node a command reads the store of, straight from its key source: nothing is
 * generated or written (the node makes its data key when it starts). Without a key source or a data
 * key, values sealed in the store are `data_key_unknown`.
 */
export async function keySourceAtRest(
  config: NodeConfig,
  env: NodeJS.ProcessEnv,
  now: () => number,
): Promise<AtRestOption> {
  const source = nodeKeySource(config.keys, config.dataDir, env, now);
  let keys: DataKeyring | undefined;
  const refresh = async () => {
    const doc = await source.load();
    keys = doc === undefined ? undefined : DataKeyring.from(doc);
  };
  await refresh();
  return { keys: () => keys, refresh };
}
