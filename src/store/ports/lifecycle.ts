/** Opening and closing a store, and what its adapter can do. */
export interface StoreLifecycle {
  readonly capabilities: StoreCapabilities;
  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreCapabilities {
  /** `interactive`: SQL transactions (SQLite, PostgreSQL); `batch`: atomic batches only (D1). */
  readonly transactions: 'interactive' | 'batch';
  /** Several processes may share the store (PostgreSQL). */
  readonly multiInstance: boolean;
}
