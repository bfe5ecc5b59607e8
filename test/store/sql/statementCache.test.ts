import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { cachingStatements } from '../../../src/store/sql/statementCache.ts';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function counted() {
  const db = new Database(':memory:');
  opened.push(db);
  db.exec('create table t (id integer primary key, v text)');
  const prepared: string[] = [];
  const database = {
    close: () => db.close(),
    prepare: (sql: string) => {
      prepared.push(sql);
      return db.prepare(sql);
    },
  };
  return { db, prepared, database };
}

it('prepares each statement text once and reuses it, with fresh parameters each time', () => {
  const { prepared, database } = counted();
  const cached = cachingStatements(database, 4);
  const insert = 'insert into t (v) values (?)';
  expect(cached.prepare(insert).run(['a']).changes).toBe(1);
  expect(cached.prepare(insert).run(['b']).changes).toBe(1);
  const select = 'select v from t where id = ?';
  expect(cached.prepare(select).all([1])).toEqual([{ v: 'a' }]);
  expect(cached.prepare(select).all([2])).toEqual([{ v: 'b' }]);
  expect(cached.prepare(select)).toBe(cached.prepare(select));
  expect(prepared).toEqual([insert, select]);
});

it('keeps at most `size` texts, dropping the least recently used', () => {
  const { prepared, database } = counted();
  const cached = cachingStatements(database, 2);
  const q = (n: number) => `select ${n} as n`;
  cached.prepare(q(1));
  cached.prepare(q(2));
  cached.prepare(q(1)); // 1 is now the most recent: 2 goes when 3 arrives
  cached.prepare(q(3));
  cached.prepare(q(1));
  expect(prepared).toEqual([q(1), q(2), q(3)]);
  cached.prepare(q(2));
  expect(prepared).toEqual([q(1), q(2), q(3), q(2)]);
});

it('a cached statement sees a column added after it was prepared, and close closes the database', () => {
  const { db, database } = counted();
  const cached = cachingStatements(database);
  cached.prepare('insert into t (v) values (?)').run(['x']);
  expect(cached.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'x' }]);
  db.exec("alter table t add column w text default 'y'");
  expect(cached.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'x', w: 'y' }]);
  cached.close();
  expect(db.open).toBe(false);
});
