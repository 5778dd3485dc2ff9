import { readFileSync, statSync } from 'node:fs';
import type { DigestAlgorithm } from '../../envelope/digest.js';
import { secretHashAlgorithm } from '../../envelope/secret-digest.js';
import type { LogFn } from '../../http/env.js';
import { type ConfigStamp, loadConfigFile } from './config-file.js';
import { nodeSha256 } from './sha256.js';

/** A configuration file larger than this is not read again for a hint (the node would refuse it anyway). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Whether the configuration file, changed on disk since the node loaded it (`stamp`), accepts an API
 * key, given its digest by algorithm (SM3 computed only when the file holds an SM3 hash): the node answers such a key `auth_key_not_loaded` (restart needed). The
 * file is looked at at most once per `intervalMs` whatever the number of refused keys (a stat), read
 * and validated only when its size or time moved, and its keys kept until it changes again. The
 * first time a changed file is seen, it is logged once.
 */
export function acceptedAfterRestart(
  stamp: ConfigStamp,
  options: { readonly now: () => number; readonly intervalMs?: number; readonly log?: LogFn },
): (apiKeyDigest: (alg: DigestAlgorithm) => Promise<string>) => Promise<boolean> {
  const intervalMs = options.intervalMs ?? 2000;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let seen = { size: stamp.size, mtimeMs: stamp.mtimeMs };
  let seenDigest = stamp.sha256;
  let accepted: ReadonlySet<string> = new Set();
  let algorithms: ReadonlySet<DigestAlgorithm> = new Set();
  const logged = new Set<string>();

  function look(): void {
    let now: { size: number; mtimeMs: number };
    try {
      const s = statSync(stamp.file);
      now = { size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return;
    }
    if (now.size === seen.size && now.mtimeMs === seen.mtimeMs) return;
    seen = now;
    if (now.size > MAX_CONFIG_BYTES) return;
    let digest: string;
    try {
      digest = nodeSha256(readFileSync(stamp.file, 'utf8'));
    } catch {
      return;
    }
    if (digest === seenDigest) return;
    seenDigest = digest;
    if (digest === stamp.sha256) {
      accepted = new Set();
      algorithms = new Set();
      return;
    }
    try {
      // The whole validation: a file the node would refuse at start accepts no key.
      const config = loadConfigFile(stamp.file);
      accepted = new Set(config.localSystems.flatMap((l) => l.apiKeyHashes));
    } catch {
      accepted = new Set();
    }
    algorithms = new Set([...accepted].map(secretHashAlgorithm));
    if (!logged.has(digest)) {
      logged.add(digest);
      options.log?.(
        'warn',
        'the configuration file changed since the node started; restart the node to use it',
        {
          config: stamp.file,
        },
      );
    }
  }

  return async (apiKeyDigest) => {
    const at = options.now();
    if (at - checkedAt >= intervalMs) {
      checkedAt = at;
      look();
    }
    const [held, asked] = [accepted, algorithms];
    for (const alg of asked) if (held.has(await apiKeyDigest(alg))) return true;
    return false;
  };
}
