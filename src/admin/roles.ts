import type { AdminRole } from '../vocabulary/roles.js';

/** What an admin endpoint needs. Each endpoint names exactly one. */
export type Permission =
  | 'messages:read'
  | 'ops:read'
  | 'deliveries:requeue'
  | 'partners:suspend'
  | 'partners:write'
  | 'contracts:write'
  | 'keys:rotate';

/**
 * Roles and what they may do: `auditor` reads messages and threads only; `operator` also reads the
 * node's state (contracts, partners, health, keys, dead letters), requeues and suspends partners;
 * `admin` may do everything.
 */
export const ROLE_GRANTS: Readonly<Record<AdminRole, ReadonlySet<Permission>>> = {
  auditor: new Set(['messages:read']),
  operator: new Set(['messages:read', 'ops:read', 'deliveries:requeue', 'partners:suspend']),
  admin: new Set([
    'messages:read',
    'ops:read',
    'deliveries:requeue',
    'partners:suspend',
    'partners:write',
    'contracts:write',
    'keys:rotate',
  ]),
};

export function mayDo(role: AdminRole, permission: Permission): boolean {
  return ROLE_GRANTS[role].has(permission);
}
