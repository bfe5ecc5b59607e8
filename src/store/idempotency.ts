import type Database from 'better-sqlite3';
import type { Clock } from './rows.ts';

/**
 * Remembers request keys (Slack retry ids, slash-command trigger ids) so a request Slack delivers
 * twice is acted on once.
 */
export class IdempotencyRepository {
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #prune: Database.Statement;
  readonly #seen: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#insert = db.prepare('INSERT OR IGNORE INTO processed_requests (key, at) VALUES (?, ?)');
    this.#prune = db.prepare('DELETE FROM processed_requests WHERE at < ?');
    this.#seen = db.prepare('SELECT 1 FROM processed_requests WHERE key = ?');
  }

  /** True the first time a key is seen, false on every later call, across restarts. */
  firstTime(key: string): boolean {
    return this.#insert.run(key, this.#now().toISOString()).changes === 1;
  }

  /** Whether a key was recorded, without recording it (act first, then record with firstTime). */
  seen(key: string): boolean {
    return this.#seen.get(key) !== undefined;
  }

  /** Forgets keys seen before `before`; Slack stops retrying after minutes, so a day is plenty to keep. */
  prune(before: Date): number {
    return this.#prune.run(before.toISOString()).changes;
  }
}
