import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statement texts kept prepared; an `in (?, ?, ...)` list of a new length is one more text. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew: under 50 responders clicking, preparing was about 7% of
 * the bot's CPU, spent between the acks. The queries are a few hundred fixed texts, so each is prepared
 * once and reused (least recently used dropped past `size`). Reuse is safe because better-sqlite3 runs
 * `all` and `run` to completion synchronously, and re-prepares a statement by itself after a schema change;
 * only `iterate` (Kysely's `stream()`, which the store does not use) could hold a statement open.
 */
export function cachingStatements(
  database: SqliteDatabase,
  size: number = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        // Re-inserted so that the Map's order is least recently used first.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}
