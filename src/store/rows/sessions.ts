import type { ConsoleSessionRecord } from '../port.js';

/** The columns of a console session, as `ConsoleSessionRow`. */
export const CONSOLE_SESSION_COLUMNS = 'id_hash, credential, role, csrf, started_at, ends_at, expires_at';

export interface ConsoleSessionRow {
  id_hash: string;
  credential: string;
  role: ConsoleSessionRecord['role'];
  csrf: string;
  started_at: number;
  ends_at: number;
  expires_at: number;
}

export function consoleSession(row: ConsoleSessionRow): ConsoleSessionRecord {
  return {
    idHash: row.id_hash,
    credential: row.credential,
    role: row.role,
    csrf: row.csrf,
    startedAt: Number(row.started_at),
    endsAt: Number(row.ends_at),
    expiresAt: Number(row.expires_at),
  };
}
