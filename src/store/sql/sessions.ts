import { CONSOLE_SESSION_COLUMNS } from '../rows/sessions.js';

// Console sessions (see SessionStore), the same in SQLite, D1 and
// PostgreSQL: written once with `@name` parameters (the SQLite store binds them as they are, D1
// and PostgreSQL through ./bind.ts).

export const SWEEP_CONSOLE_SESSIONS = 'DELETE FROM console_sessions WHERE expires_at <= @now';
export const INSERT_CONSOLE_SESSION = `INSERT INTO console_sessions
  (id_hash, credential, role, csrf, started_at, ends_at, expires_at)
  VALUES (@idHash, @credential, @role, @csrf, @startedAt, @endsAt, @expiresAt)`;
// The renewal is a CASE: SQLite's two-argument MIN is PostgreSQL's LEAST.
export const TOUCH_CONSOLE_SESSION = `UPDATE console_sessions
  SET expires_at = CASE WHEN ends_at < @renewTo THEN ends_at ELSE @renewTo END
  WHERE id_hash = @idHash AND expires_at > @now AND ends_at > @now
  RETURNING ${CONSOLE_SESSION_COLUMNS}`;
export const END_CONSOLE_SESSION = 'DELETE FROM console_sessions WHERE id_hash = @idHash';
