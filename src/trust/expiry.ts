import type { NodeKeyring } from '../keys/keyring.js';
import type { PartnerRegistry } from './partner-registry.js';

/** Keys that are still in use are reported this long before they expire. */
export const KEY_EXPIRY_WARNING_SECONDS = 60 * 24 * 60 * 60;

export interface KeyExpiry {
  /** `self` for this node's keys, else the partner's node id. */
  readonly owner: string;
  readonly kid: string;
  /** This node's key state (`active`, `next`, `retired`), or `pinned` for a partner key. */
  readonly state: string;
  /** Unix seconds. */
  readonly expiresAt: number;
  /** Whether the key still matters when it expires: this node's active or next key, or a pinned key of an active partner. */
  readonly inUse: boolean;
  /** In use and expiring within the warning period (or already expired). */
  readonly expiring: boolean;
}

/**
 * Every key with a known end: this node's active and next keys with a `notAfter` (the end of their
 * planned lifetime: rotate before then, and give partners the new next key's thumbprint), this
 * node's retired keys (published until every message they signed has expired; their end is
 * planned, never an alarm) and partner keys pinned with `notAfter`, after which their signatures
 * no longer verify here — a partner must rotate, and its new key be pinned, before then.
 */
export function keyExpiries(keyring: NodeKeyring, partners: PartnerRegistry, nowMs: number): KeyExpiry[] {
  const now = Math.floor(nowMs / 1000);
  const out: KeyExpiry[] = [];
  const add = (owner: string, kid: string, state: string, expiresAt: number, inUse: boolean) =>
    out.push({
      owner,
      kid,
      state,
      expiresAt,
      inUse,
      expiring: inUse && expiresAt - now <= KEY_EXPIRY_WARNING_SECONDS,
    });
  for (const key of keyring.keys) {
    if (key.state === 'retired') {
      if (key.publishedUntil !== undefined) add('self', key.kid, key.state, key.publishedUntil, false);
    } else if (key.notAfter !== undefined) {
      add('self', key.kid, key.state, Math.floor(Date.parse(key.notAfter) / 1000), true);
    }
  }
  for (const partner of partners.list()) {
    for (const key of partner.keys.values()) {
      if (key.notAfter !== undefined)
        add(partner.id, key.kid, 'pinned', key.notAfter, partner.status === 'active');
    }
  }
  return out;
}
