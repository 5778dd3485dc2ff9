import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';
import { openDatabase } from '../../src/store/sqlite/store.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('yrdx-group-');

describe('group commit of the SQLite store', () => {
  const opened: { close(): unknown }[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  /** A fresh file with one table, and a group whose flush the test triggers itself. */
  const setup = (file: string) => {
    const db = openDatabase(join(dir, file));
    opened.push(db);
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
    let flush: (() => void) | undefined;
    const group = new GroupCommit(db, (f) => {
      flush = f;
    });
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const unit = (k: string, v = 'x') => db.transaction(() => insert.run(k, v).changes);
    const rows = () => db.prepare('SELECT k FROM t ORDER BY k').pluck().all();
    return { db, group, unit, rows, flush: () => flush?.() };
  };

  it('runs the units of one turn in one transaction, in order, and settles none before the commit', async () => {
    const { db, group, unit, rows, flush } = setup('together.db');
    const seen: boolean[] = [];
    let settled = 0;
    const a = group.run(unit('a'), false).then(() => settled++);
    const b = group
      .run(() => {
        seen.push(db.inTransaction);
        return unit('b')();
      }, false)
      .then(() => settled++);
    expect(rows()).toEqual([]); // nothing runs before the flush
    flush();
    await Promise.all([a, b]);
    expect(seen).toEqual([true]);
    expect(settled).toBe(2);
    expect(rows()).toEqual(['a', 'b']);
  });

  it('rolls back a failing unit alone: its caller gets the error, the others commit', async () => {
    const { group, unit, rows, flush } = setup('isolated.db');
    await (async () => {
      const first = group.run(unit('a'), false);
      const failing = group.run(
        () =>
          unit('b')() +
          // the same key again: a constraint error inside the unit, after it has written a row
          unit('a')(),
        false,
      );
      const last = group.run(unit('c'), false);
      flush();
      await expect(first).resolves.toBe(1);
      await expect(failing).rejects.toThrow(/UNIQUE/);
      await expect(last).resolves.toBe(1);
    })();
    expect(rows()).toEqual(['a', 'c']);
  });

  it('commits a group with a durable unit with synchronous FULL, then returns to NORMAL', async () => {
    const { db, group, unit, flush } = setup('durable.db');
    const levels: number[] = [];
    const probe = () => levels.push(db.pragma('synchronous', { simple: true }) as number);
    const p1 = group.run(() => {
      probe();
      return unit('a')();
    }, false);
    const p2 = group.run(unit('b'), true);
    flush();
    await Promise.all([p1, p2]);
    expect(levels).toEqual([2]); // FULL while the group ran
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const p3 = group.run(() => {
      probe();
      return unit('c')();
    }, false);
    flush();
    await p3;
    expect(levels).toEqual([2, 1]); // a group of progress records only: NORMAL
  });

  it('fails every unit of the group when SQLite abandons the transaction, and keeps nothing', async () => {
    const { db, group, unit, rows, flush } = setup('abandoned.db');
    const first = group.run(unit('a'), false);
    // A unit that ends the transaction under the group (as SQLite does on a full disk or I/O error).
    const breaking = group.run(() => {
      db.exec('ROLLBACK');
      throw new Error('disk I/O error');
    }, false);
    const last = group.run(unit('c'), false);
    flush();
    await expect(first).rejects.toThrow('disk I/O error');
    await expect(breaking).rejects.toThrow('disk I/O error');
    await expect(last).rejects.toThrow('disk I/O error');
    expect(rows()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The group works again afterwards.
    const again = group.run(unit('d'), true);
    flush();
    await expect(again).resolves.toBe(1);
    expect(rows()).toEqual(['d']);
  });

  it('flushes by itself on the next turn of the event loop', async () => {
    const db = openDatabase(join(dir, 'turn.db'));
    opened.push(db);
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
    const all = await Promise.all(
      ['a', 'b', 'c'].map((k) =>
        group.run(
          db.transaction(() => insert.run(k).changes),
          true,
        ),
      ),
    );
    expect(all).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
  });
});
