import type Database from 'better-sqlite3';
import { z } from 'zod';
import { type Clock, parseOptionalRow } from './rows.ts';

export const WriterSchema = z.object({
  owner: z.string(),
  pid: z.number().int(),
  host: z.string(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
});
export type Writer = z.infer<typeof WriterSchema>;

export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

export interface WriterIdentity {
  /** Unique per running bot instance (a restart in the same process is a new owner). */
  owner: string;
  pid: number;
  host: string;
}

export interface WriterLockOptions {
  /** A holder whose heartbeat is older than this is gone (another host, or a frozen process). */
  staleMs: number;
  /** Whether a process of this host is alive; a dead holder's lock is taken over at once. */
  isAlive: (pid: number) => boolean;
}

/**
 * One writer per SQLite file: two bots on one file (a rolling deploy on a shared volume) would each
 * process the same page and open two incidents. The lock is a row, so it lives where the data lives.
 */
export class WriterLock {
  readonly #db: Database.Database;
  readonly #now: Clock;
  readonly #me: WriterIdentity;
  readonly #options: WriterLockOptions;

  constructor(db: Database.Database, now: Clock, me: WriterIdentity, options: WriterLockOptions) {
    this.#db = db;
    this.#now = now;
    this.#me = me;
    this.#options = options;
  }

  current(): Writer | null {
    return parseOptionalRow(
      WriterSchema,
      this.#db.prepare('SELECT owner, pid, host, started_at, heartbeat_at FROM writer_lock').get(),
    );
  }

  /** Takes the lock, or throws DatabaseInUseError naming the live holder. Returns the holder it replaced. */
  acquire(): Writer | null {
    return this.#db
      .transaction(() => {
        const holder = this.current();
        if (holder && holder.owner !== this.#me.owner && this.#live(holder)) {
          const seen = Math.round((this.#now().getTime() - Date.parse(holder.heartbeatAt)) / 1000);
          throw new DatabaseInUseError(
            `The database ${this.#db.name} is in use by incident-bot pid ${holder.pid} on host ${holder.host} ` +
              `(started ${holder.startedAt}, last heartbeat ${seen} s ago). Only one bot process may write to ` +
              'it: stop that process first (a rolling deploy must stop the old bot before starting the new ' +
              'one), or set DATABASE_PATH to another file. If that process is gone for good, its lock lapses ' +
              `${Math.round(this.#options.staleMs / 1000)} s after its last heartbeat.`,
          );
        }
        const now = this.#now().toISOString();
        this.#db
          .prepare(
            `INSERT INTO writer_lock (id, owner, pid, host, started_at, heartbeat_at)
             VALUES (1, @owner, @pid, @host, @now, @now)
             ON CONFLICT (id) DO UPDATE SET owner = @owner, pid = @pid, host = @host, started_at = @now,
               heartbeat_at = @now`,
          )
          .run({ ...this.#me, now });
        return holder && holder.owner !== this.#me.owner ? holder : null;
      })
      .immediate();
  }

  /** Renews the lock; false if another process took it over (this one then must stop writing). */
  heartbeat(): boolean {
    const now = this.#now().toISOString();
    return (
      this.#db
        .prepare('UPDATE writer_lock SET heartbeat_at = ? WHERE id = 1 AND owner = ?')
        .run(now, this.#me.owner).changes === 1
    );
  }

  release(): void {
    if (this.#db.open) this.#db.prepare('DELETE FROM writer_lock WHERE owner = ?').run(this.#me.owner);
  }

  #live(holder: Writer): boolean {
    const age = this.#now().getTime() - Date.parse(holder.heartbeatAt);
    if (holder.host === this.#me.host && holder.pid !== this.#me.pid) {
      return this.#options.isAlive(holder.pid) && age < this.#options.staleMs;
    }
    return age < this.#options.staleMs;
  }
}

/** process.kill(pid, 0) checks existence without sending anything; EPERM means it exists (another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
