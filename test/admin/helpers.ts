import { readFileSync } from 'node:fs';
import type { AdminAuditEvent, AuditSink } from '../../src/audit/sink.js';
import type { AdminConfig } from '../../src/config/types.js';
import { sha256Hex } from '../../src/envelope/digest.js';

/** An audit sink that keeps admin events in memory, for assertions. */
export class MemoryAudit implements AuditSink {
  readonly events: AdminAuditEvent[] = [];
  async recordAdmin(event: AdminAuditEvent): Promise<void> {
    this.events.push(event);
  }
}

const token = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

/** Tokens for one credential per role, one expired admin credential, and the admin config that holds their hashes. */
export async function adminCredentials(
  now: number,
  rateLimit = { perMinute: 100_000, burst: 10_000 },
): Promise<{ tokens: Record<'admin' | 'operator' | 'auditor' | 'expired', string>; admin: AdminConfig }> {
  const tokens = { admin: token(), operator: token(), auditor: token(), expired: token() };
  const admin: AdminConfig = {
    credentials: [
      { id: 'ops-admin', role: 'admin', tokenHash: await sha256Hex(tokens.admin) },
      {
        id: 'duty-operator',
        role: 'operator',
        tokenHash: await sha256Hex(tokens.operator),
        notAfter: now + 86_400_000,
      },
      { id: 'inspector', role: 'auditor', tokenHash: await sha256Hex(tokens.auditor) },
      { id: 'former-admin', role: 'admin', tokenHash: await sha256Hex(tokens.expired), notAfter: now - 1000 },
    ],
    rateLimit,
  };
  return { tokens, admin };
}

export function example(domain: string, dialect: string, type: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(`contracts/${domain}/1.0.0/dialects/${dialect}/examples/${type}.json`, 'utf8'),
  ) as Record<string, unknown>;
}
