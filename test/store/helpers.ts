import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../src/store/db.ts';
import { type AsyncStore, createStore as createSqlStore } from '../../src/store/sql/index.ts';

/** A clock tests move by hand. */
export function manualClock(start = '2026-11-22T10:00:00.000Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso: string) => {
      current = new Date(iso);
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * Call inside a test: a real SQLite file (migrated when opened) in a fresh temp dir, removed when the test
 * finishes, with every connection opened on it closed first. For tests of the file itself (migrations,
 * the writer lock); the store's own tests open it with `tempStore` or the contract tests' databases.
 */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-store-'));
  const path = join(dir, 'nested', 'incident-bot.db');
  const opened: Database.Database[] = [];
  onTestFinished(() => {
    for (const db of opened) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    path,
    open(): Database.Database {
      const db = openDatabase(path);
      opened.push(db);
      return db;
    },
  };
}

/** Call inside a test: the store the bot runs on (SQLite through Kysely) on a fresh temp file, closed and removed after. */
export async function tempStore(now?: () => Date): Promise<AsyncStore> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-store-'));
  const store = await createSqlStore({ databasePath: join(dir, 'incident-bot.db'), ...(now ? { now } : {}) });
  onTestFinished(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** Call inside a test: `tempStore` on a hand-moved clock, holding one P1 incident for the work under test. */
export async function storeWithIncident(start: string) {
  const clock = manualClock(start);
  const store = await tempStore(clock.now);
  const incident = await store.incidents.create({
    title: 'x',
    severity: 'P1',
    declaredBy: 'U1',
    source: 'slash',
  });
  return { clock, store, incident };
}
