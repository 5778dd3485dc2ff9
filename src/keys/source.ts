import { YrdxError } from '../errors/errors.js';
import type { LocalText } from '../errors/text.js';
import { type KeyringDocument, parseKeyringDocument } from './keyring.js';
import { keyReason } from './text.js';

/**
 * Where a node's private keys live: a file in the data directory, an environment variable, or a
 * Workers secret. Read-only sources cannot rotate; their keyring is rotated where it is managed.
 */
export interface KeySource {
  /** Safe to show: names the file or variable, never its content. */
  readonly description: LocalText;
  load(): Promise<KeyringDocument | undefined>;
  save?(doc: KeyringDocument): Promise<void>;
}

/**
 * Keys held as text by the platform: an environment variable on Node, a secret binding on Workers.
 * Read-only; the text is a keyring document or one private JWK.
 */
export function textKeySource(
  description: LocalText,
  text: string | undefined,
  now: () => number,
): KeySource {
  return {
    description,
    async load() {
      if (text === undefined || text.trim() === '') {
        throw new YrdxError('keys_unavailable', {
          params: { reason: keyReason('notSet', { what: description }) },
        });
      }
      return parseKeyringDocument(text, now());
    },
  };
}
