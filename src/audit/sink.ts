import type { AuditStore } from '../store/port.js';

import type { AdminRole } from '../vocabulary/roles.js';

/**
 * One administrative action, allowed or refused, as the audit log records it. Messages and receipts
 * in and out are recorded by the exchange itself; this is what the admin API hands to the log.
 */
export interface AdminAuditEvent {
  /** The credential's id (never the secret), or `anonymous` when none was presented. */
  readonly actor: string;
  /** The role the credential holds; absent when the caller was not authenticated. */
  readonly role?: AdminRole;
  /** Method and route, e.g. `POST /admin/v1/partners/320500/suspend`. */
  readonly action: string;
  readonly outcome: 'allowed' | 'refused';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** What was changed or why it was refused (no secrets, no payloads). */
  readonly detail?: string;
}

/** Where admin actions are recorded: the node's hash-chained audit log. */
export interface AuditSink {
  recordAdmin(event: AdminAuditEvent, now: number): Promise<void>;
}

/** The audit sink over the store's hash-chained log: each admin action is one `admin` entry. */
export function storeAuditSink(store: AuditStore): AuditSink {
  return {
    async recordAdmin(event, now) {
      await store.appendAudit(
        {
          kind: 'admin',
          actor: event.actor,
          ...(event.role === undefined ? {} : { role: event.role }),
          action: event.action,
          outcome: event.outcome,
          status: event.status,
          ...(event.detail === undefined ? {} : { detail: event.detail }),
        },
        now,
      );
    },
  };
}
