import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { YrdxError } from '../../errors/errors.js';

/** The exclusive hold of one node process on its data directory (SQLite store). */
export interface DataDirLock {
  readonly dir: string;
  /** Lets the directory go (the operating system also does when the process ends, however it ends). */
  release(): void;
}

/** The lock itself: a small SQLite file held in an open EXCLUSIVE transaction. */
export const LOCK_FILE = 'yrdx.lock';
/** Who holds it, for the refusal of another process: PID, host and start time. */
export const HOLDER_FILE = 'yrdx.lock.json';

/**
 * Takes the data directory for this process, or refuses with `data_dir_locked` naming the directory
 * and the holder. Two nodes on one SQLite file would each run their own workers over it and answer
 * for the same messages; the CLI (`messages status`, `audit verify`…) keeps working beside a
 * running node because the lock is on a file of its own, not on the store.
 *
 * The lock is an operating-system lock (SQLite's POSIX advisory lock on `yrdx.lock`, through an
 * EXCLUSIVE transaction that stays open): it cannot go stale, because the system drops it when the
 * process ends, even by SIGKILL. `yrdx.lock.json` only tells who holds it.
 */
export function lockDataDir(dir: string, now: () => number = Date.now): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (cause) {
    db.close();
    if ((cause as { code?: string }).code !== 'SQLITE_BUSY') throw cause;
    throw new YrdxError('data_dir_locked', { params: { dir, holder: describeHolder(dir) }, cause });
  }
  const holder = join(dir, HOLDER_FILE);
  const self = { pid: process.pid, host: hostname(), since: new Date(now()).toISOString() };
  writeFileSync(holder, `${JSON.stringify(self)}\n`, { mode: 0o644 });
  let held = true;
  return {
    dir,
    release() {
      if (!held) return;
      held = false;
      try {
        const written = JSON.parse(readFileSync(holder, 'utf8')) as { pid?: unknown };
        if (written.pid === process.pid) rmSync(holder, { force: true });
      } catch {
        // already gone, or not ours to remove
      }
      db.close();
    },
  };
}

function describeHolder(dir: string): string {
  try {
    const h = JSON.parse(readFileSync(join(dir, HOLDER_FILE), 'utf8')) as Record<string, unknown>;
    if (typeof h.pid === 'number')
      return `PID ${h.pid}${typeof h.host === 'string' ? ` @ ${h.host}` : ''}${typeof h.since === 'string' ? `, ${h.since}` : ''}`;
  } catch {
    // the holder has not written it yet
  }
  return 'PID ?';
}
