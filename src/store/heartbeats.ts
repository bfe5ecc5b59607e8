import type Database from 'better-sqlite3';
import type { Clock } from './rows.ts';

/** The scheduler's tick records itself under this name. */
export const SCHEDULER_HEARTBEAT = 'scheduler';

/**
 * When a periodic loop last ran, kept in SQLite so another process (`npx incident-bot doctor`) can tell
 * a bot whose scheduler has stopped from one that is alive.
 */
export class HeartbeatRepository {
  readonly #now: Clock;
  readonly #beat: Database.Statement;
  readonly #get: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#beat = db.prepare(
      `INSERT INTO heartbeats (name, at) VALUES (@name, @at)
       ON CONFLICT (name) DO UPDATE SET at = excluded.at`,
    );
    this.#get = db.prepare('SELECT at FROM heartbeats WHERE name = ?');
  }

  beat(name: string, at: Date = this.#now()): void {
    this.#beat.run({ name, at: at.toISOString() });
  }

  /** When `name` last beat, or null if it never did. */
  last(name: string): Date | null {
    const row = this.#get.get(name) as { at: string } | undefined;
    return row ? new Date(row.at) : null;
  }
}
