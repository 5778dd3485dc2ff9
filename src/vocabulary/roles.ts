/** Roles of the admin API and console: `admin` (everything), `operator` (requeue, suspend, read), `auditor` (read evidence only). */
export const ADMIN_ROLES = ['admin', 'operator', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
