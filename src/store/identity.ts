import type Database from 'better-sqlite3';
import { type BotIdentity, BotIdentitySchema } from '../domain/records.ts';
import { type Clock, parseOptionalRow } from './rows.ts';

export { type BotIdentity, BotIdentitySchema } from '../domain/records.ts';

/** The bot's Slack identity as last confirmed by auth.test, so a restart during a Slack outage can start. */
export class IdentityRepository {
  readonly #db: Database.Database;
  readonly #now: Clock;

  constructor(db: Database.Database, now: Clock) {
    this.#db = db;
    this.#now = now;
  }

  get(): BotIdentity | null {
    return parseOptionalRow(
      BotIdentitySchema,
      this.#db.prepare('SELECT user_id, bot_id, checked_at FROM bot_identity WHERE id = 1').get(),
    );
  }

  remember(userId: string, botId: string): void {
    this.#db
      .prepare(
        `INSERT INTO bot_identity (id, user_id, bot_id, checked_at) VALUES (1, @userId, @botId, @now)
         ON CONFLICT (id) DO UPDATE SET user_id = @userId, bot_id = @botId, checked_at = @now`,
      )
      .run({ userId, botId, now: this.#now().toISOString() });
  }
}
