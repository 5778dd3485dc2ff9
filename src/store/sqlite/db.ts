import type Database from 'better-sqlite3';

export type Db = Database.Database;

export { fromJson, optional, toJson } from '../rows.js';
