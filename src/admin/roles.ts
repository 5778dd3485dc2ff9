import type { AdminRole } from '../vocabulary/roles.js';

/** What an admin endpoint needs. Each endpoint names exactly one. */
export type Permission =
  | 'messages:read'
  | 'files:download'
  | 'ops:read'
  | 'deliveries:requeue'
  | 'partners:suspend'
  | 'partners:write'
  | 'contracts:write'
  | 'keys:rotate';

/**
 * Roles and what they may do: `auditor` reads messages and threads and downloads their case files
 * (evidence) only; `operator` reads messages and the node's state (contracts, partners, health, keys,
 * dead letters), requeues deliveries and transfers and suspends partners, but does not download case
 * files (it runs the node, it does not read the cases); `admin` may do everything.
 */
export const ROLE_GRANTS: Readonly<Record<AdminRole, ReadonlySet<Permission>>> = {
  auditor: new Set(['messages:read', 'files:download']),
  operator: new Set(['messages:read', 'ops:read', 'deliveries:requeue', 'partners:suspend']),
  admin: new Set([
    'messages:read',
    'files:download',
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
