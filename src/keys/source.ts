import type { KeyringDocument } from './keyring.js';

/**
 * Where a node's private keys live: a file in the data directory, an environment variable, or a
 * Workers secret. Read-only sources cannot rotate; their keyring is rotated where it is managed.
 */
export interface KeySource {
  /** Safe to show: names the file or variable, never its content. */
  readonly description: string;
  load(): Promise<KeyringDocument | undefined>;
  save?(doc: KeyringDocument): Promise<void>;
}
