import type { AdminCredentialConfig } from '../config/types.js';
import type { AppEnv } from '../http/env.js';

/** Per-request state of the admin API: who is calling, and what the audit log should say. */
export interface AdminEnv {
  Variables: AppEnv['Variables'] & {
    admin?: AdminCredentialConfig;
    /** What an allowed action changed, for the audit log (no secrets, no payloads). */
    auditDetail?: string;
  };
}
