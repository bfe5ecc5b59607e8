import { existsSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.ts';
import { MIGRATIONS, type Migration, migrate, SchemaTooNewError } from '../../src/store/migrations.ts';
import { tempDatabase } from './helpers.ts';

const TABLES = [
  'alert_links',
  'bot_identity',
  'external_refs',
  'followups',
  'heartbeats',
  'inbox',
  'inbox_bodies',
  'incident_checks',
  'incident_steps',
  'incidents',
  'jobs',
  'postmortems',
  'processed_requests',
  'timeline',
  'timers',
  'writer_lock',
];

function tables(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all()
    .map(String);
}

describe('openDatabase', () => {
  it('creates the parent directory and the schema, in WAL mode with foreign keys on', () => {
    const tmp = tempDatabase();
    const db = openDatabase(tmp.path);
    try {
      expect(existsSync(tmp.path)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(tables(db)).toEqual(TABLES);
    } finally {
      db.close();
    }
  });

  it('applies nothing twice across close and reopen', () => {
    const tmp = tempDatabase();
    const first = openDatabase(tmp.path);
    first.prepare("INSERT INTO processed_requests (key, at) VALUES ('kept', 'x')").run();
    first.close();

    const second = openDatabase(tmp.path);
    try {
      expect(second.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(migrate(second)).toEqual([]);
      expect(second.prepare('SELECT key FROM processed_requests').pluck().all()).toEqual(['kept']);
    } finally {
      second.close();
    }
  });

  it('accepts :memory:', () => {
    const db = openDatabase(':memory:');
    expect(tables(db)).toEqual(TABLES);
    db.close();
  });

  it('refuses a database newer than the code, naming both versions and what to do', () => {
    const tmp = tempDatabase();
    openDatabase(tmp.path).close();
    const raw = new Database(tmp.path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();

    expect(() => openDatabase(tmp.path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(tmp.path)).toThrow(
      `has schema version ${MIGRATIONS.length + 1}, but this incident-bot only knows up to ${MIGRATIONS.length}`,
    );
  });
});

describe('migrate', () => {
  const extra: Migration[] = [
    { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
    { version: 2, name: 'b', sql: 'CREATE TABLE b (x INTEGER)' },
  ];

  it('applies only the migrations newer than user_version, in order', () => {
    const db = new Database(':memory:');
    expect(migrate(db, extra.slice(0, 1))).toEqual([1]);
    expect(migrate(db, extra)).toEqual([2]);
    expect(migrate(db, extra)).toEqual([]);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  });

  it('rolls a failing migration back entirely, version included', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      ...extra,
      { version: 3, name: 'broken', sql: 'CREATE TABLE c (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/Migration 3 \(broken\) failed and was rolled back.*version 2/);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(tables(db)).toEqual(['a', 'b']);
    db.close();
  });

  it('rejects gaps in the numbering', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'skips one', sql: '' }])).toThrow(
      'Migration "skips one" has version 2 but is at position 1',
    );
    db.close();
  });
});

describe('openDatabase on a bad path', () => {
  it('names the path and DATABASE_PATH when the file is not a database', () => {
    const tmp = tempDatabase();
    openDatabase(tmp.path).close();
    writeFileSync(
      tmp.path,
      'this is not sqlite, just some text that is long enough to have a header'.repeat(10),
    );
    rmSync(`${tmp.path}-wal`, { force: true });
    rmSync(`${tmp.path}-shm`, { force: true });
    expect(() => openDatabase(tmp.path)).toThrow(
      `Cannot open the database at ${tmp.path}: file is not a database`,
    );
  });
});
