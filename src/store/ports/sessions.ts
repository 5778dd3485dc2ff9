import type { AdminRole } from '../../vocabulary/roles.js';

/** Console sessions, shared by every instance of the node. */
export interface SessionStore {
  /**
   * Stores a console session (every instance of the node sees it), after removing sessions that
   * expired by `now`.
   */
  startConsoleSession(session: ConsoleSessionRecord, now: number): Promise<void>;
  /**
   * The session whose id has this hash, if it has not expired by `now`; its expiry moves to
   * `renewTo`, but never past its `endsAt`.
   */
  touchConsoleSession(
    idHash: string,
    now: number,
    renewTo: number,
  ): Promise<ConsoleSessionRecord | undefined>;
  /** Ends a session (sign-out, or its credential expired or was removed). */
  endConsoleSession(idHash: string): Promise<void>;
}

/**
 * A signed-in console user as stored. The cookie's random id is kept only as its SHA-256, so that a
 * reader of the database cannot take over a session; the credential's token is never kept.
 */
export interface ConsoleSessionRecord {
  readonly idHash: string;
  readonly credential: string;
  readonly role: AdminRole;
  /** The anti-forgery token every form of the session carries. */
  readonly csrf: string;
  readonly startedAt: number;
  /** Unix ms after which the session ends however active it is. */
  readonly endsAt: number;
  /** Unix ms after which the session ends unless a request renews it. */
  readonly expiresAt: number;
}
