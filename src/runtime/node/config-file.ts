import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configFault } from '../../config/fault-text.js';
import type { NodeConfig } from '../../config/types.js';
import { validateNodeConfig } from '../../config/validate.js';
import { YrdxError } from '../../errors/errors.js';
import { nodeSha256 } from './sha256.js';

/** What a configuration file was when it was loaded: its digest, and its size and time for a cheap first look. */
export interface ConfigStamp {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Reads and validates a node configuration file. Relative paths inside it (data directory, partner
 * JWKS files) are relative to the file itself, so a config folder can be moved as a whole.
 */
export function loadConfigFile(path: string): NodeConfig {
  return loadStampedConfigFile(path).config;
}

/** `loadConfigFile`, with the stamp of the very bytes it read (to tell later whether the file changed). */
export function loadStampedConfigFile(path: string): { config: NodeConfig; stamp: ConfigStamp } {
  const file = resolve(path);
  let text: string;
  let stamp: ConfigStamp;
  try {
    const before = statSync(file);
    text = readFileSync(file, 'utf8');
    stamp = { file, sha256: nodeSha256(text), size: before.size, mtimeMs: before.mtimeMs };
  } catch (cause) {
    throw new YrdxError('config_invalid', {
      params: { count: 1, file },
      errors: [{ file, pointer: '', detail: configFault('unreadable') }],
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new YrdxError('config_invalid', {
      params: { count: 1, file },
      errors: [{ file, pointer: '', detail: configFault('notJson', { message: (cause as Error).message }) }],
      cause,
    });
  }
  const base = dirname(file);
  return { config: validateNodeConfig(value, { file, resolvePath: (p) => resolve(base, p) }), stamp };
}
