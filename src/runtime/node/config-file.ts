import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configFault } from '../../config/fault-text.js';
import type { NodeConfig } from '../../config/types.js';
import { validateNodeConfig } from '../../config/validate.js';
import { YrdxError } from '../../errors/errors.js';

/**
 * Reads and validates a node configuration file. Relative paths inside it (data directory, partner
 * JWKS files) are relative to the file itself, so a config folder can be moved as a whole.
 */
export function loadConfigFile(path: string): NodeConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
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
  return validateNodeConfig(value, { file, resolvePath: (p) => resolve(base, p) });
}
