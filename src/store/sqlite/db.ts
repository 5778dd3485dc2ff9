import type Database from 'better-sqlite3';

/** The handle of the embedded SQLite database (better-sqlite3). */
export type Db = Database.Database;
