import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

/** Opens (creating if needed) the database at `path`, tunes it, and brings its schema up to date. */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // WAL lets Slack handlers read while the scheduler writes; NORMAL sync is durable across
    // process crashes in WAL mode and only risks the last commits on power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // 4 MB of page cache a connection instead of better-sqlite3's 16 MB: the hot reads are indexed and
    // LIMITed, a miss is a read from the OS page cache, and with two connections this is 24 MB of RSS.
    db.pragma('cache_size = -4000');
    db.pragma('foreign_keys = ON');
    // A second process (the CLI, a second replica starting) holding the write lock briefly should
    // delay us, not fail us.
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new Error(
      `Cannot open the database at ${path}: ${error instanceof Error ? error.message : String(error)}. ` +
        'Check DATABASE_PATH: its directory must be writable and the file, if it exists, an SQLite database.',
      { cause: error },
    );
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
