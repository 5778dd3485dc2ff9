import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Pair } from './pair.js';

/**
 * Copies the rows of `table` that match `where` (the template message's) once for each `n.i` from
 * `from` to `to`, with SQL alone; `overrides` gives the columns that differ per copy, as SQL over
 * `n.i` and the template row `t`. Other columns are copied as they are; an AUTOINCREMENT `seq` gets
 * new values.
 */
function cloneRows(
  db: Database.Database,
  table: string,
  where: string,
  template: string,
  overrides: Readonly<Record<string, string>>,
  from: number,
  to: number,
): void {
  const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter(
    (c) => c !== 'seq',
  );
  const select = columns.map((c) => overrides[c] ?? `t.${c}`).join(', ');
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i < @to)
     INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${select} FROM n, (SELECT * FROM ${table} WHERE ${where}) t`,
  ).run({ from, to, template });
}

/**
 * Stores `count` more delivered messages in both (stopped) nodes, as if they had been exchanged
 * before: in Huzhou's outbox (message, delivered delivery with its receipt, history) and in Suzhou's
 * inbox (message with receipt, delivered push), each a copy of the last real message with its own id.
 * Direct SQL in the schema of src/store/sqlite/migrations.ts, checked by its foreign keys.
 */
export function fillStores(pair: Pair, count: number, progress: (text: string) => void): void {
  const chunk = 10_000;
  const id = `printf('00BENCH%019d', n.i)`;
  const age = `(${count + 1} - n.i) * 10`;
  const open = (path: string) => {
    const db = new Database(path);
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    return db;
  };
  const outbox = open(pair.huzhou.dbPath);
  const inbox = open(pair.suzhou.dbPath);
  try {
    const template = outbox
      .prepare(
        `SELECT m.message_id FROM outbound_messages m JOIN deliveries d ON d.message_id = m.message_id
         WHERE d.status = 'delivered' ORDER BY m.created_at DESC LIMIT 1`,
      )
      .pluck()
      .get() as string | undefined;
    if (template === undefined) throw new Error('bench: no delivered message in Huzhou’s store to copy');
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      const copy = (db: Database.Database, table: string, where: string, overrides: Record<string, string>) =>
        cloneRows(db, table, where, template, overrides, from, to);
      const older = (column: string) => ({ [column]: `t.${column} - ${age}` });
      outbox.transaction(() => {
        copy(outbox, 'outbound_messages', 'message_id = @template', {
          message_id: id,
          thread: id,
          ...older('created_at'),
        });
        copy(outbox, 'deliveries', 'message_id = @template', {
          delivery_id: `printf('bench-%d', n.i)`,
          message_id: id,
          ...older('updated_at'),
        });
        copy(outbox, 'history_events', 'message_id = @template', { message_id: id, ...older('at') });
      })();
      inbox.transaction(() => {
        copy(inbox, 'inbound_messages', 'jti = @template', { jti: id, thread: id, ...older('received_at') });
        copy(inbox, 'local_deliveries', 'jti = @template', {
          local_delivery_id: `printf('bench-%d', n.i)`,
          jti: id,
          ...older('created_at'),
          ...older('updated_at'),
        });
      })();
      progress(`storing ${to.toLocaleString('en')}/${count.toLocaleString('en')} messages`);
    }
  } finally {
    outbox.close();
    inbox.close();
  }
}

export const megabytes = (path: string) =>
  (
    ['', '-wal'].reduce((s, ext) => s + (existsSync(path + ext) ? statSync(path + ext).size : 0), 0) /
    2 ** 20
  ).toFixed(0);
