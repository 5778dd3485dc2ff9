import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KeySourceConfig } from '../../config/types.js';
import { YrdxError } from '../../errors/errors.js';
import { type KeyringDocument, parseKeyringDocument } from '../../keys/keyring.js';
import { type KeySource, textKeySource } from '../../keys/source.js';
import { keyReason } from '../../keys/text.js';

/** Writes a file atomically (temp file, fsync, rename) with the given mode. */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Keys in a JSON file readable by the gateway's user only (mode 0600). */
export function fileKeySource(path: string, now: () => number): KeySource {
  return {
    description: keyReason('sourceFile', { path }),
    async load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new YrdxError('keys_unavailable', {
          params: { reason: keyReason('cannotRead', { path }) },
          cause,
        });
      }
      return parseKeyringDocument(text, now());
    },
    async save(doc: KeyringDocument) {
      writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, 0o600);
    },
  };
}

/** The key source a configuration names, on Node. */
export function nodeKeySource(
  keys: KeySourceConfig,
  dataDir: string,
  env: NodeJS.ProcessEnv,
  now: () => number,
): KeySource {
  switch (keys.source) {
    case 'file':
      return fileKeySource(resolve(dataDir, keys.path), now);
    case 'env':
      return textKeySource(keyReason('sourceEnv', { variable: keys.variable }), env[keys.variable], now);
    case 'secret':
      throw new YrdxError('keys_unavailable', {
        params: { reason: keyReason('secretOnWorkers') },
      });
  }
}
