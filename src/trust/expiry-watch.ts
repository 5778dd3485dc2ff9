import type { LogFn } from '../http/env.js';
import type { NodeKeyring } from '../keys/keyring.js';
import { KEY_EXPIRY_WARNING_SECONDS, keyExpiries } from './expiry.js';
import type { PartnerRegistry } from './partner-registry.js';

/**
 * Logs a warning for every key in use that expires within the warning period (60 days), and an
 * error for one already expired. Runs once now; the returned function runs the check again (a
 * runtime calls it daily).
 */
export function watchKeyExpiry(sources: {
  readonly keyring: () => NodeKeyring;
  readonly partners: PartnerRegistry;
  readonly now: () => number;
  readonly log: LogFn;
}): () => void {
  const check = () => {
    const now = sources.now();
    for (const key of keyExpiries(sources.keyring(), sources.partners, now)) {
      if (!key.expiring) continue;
      const seconds = key.expiresAt - Math.floor(now / 1000);
      sources.log(seconds <= 0 ? 'error' : 'warn', seconds <= 0 ? 'key expired' : 'key expires soon', {
        alert: 'key-expiry',
        owner: key.owner,
        kid: key.kid,
        expiresAt: new Date(key.expiresAt * 1000).toISOString(),
        daysLeft: Math.floor(seconds / 86_400),
        warningDays: KEY_EXPIRY_WARNING_SECONDS / 86_400,
      });
    }
  };
  check();
  return check;
}
