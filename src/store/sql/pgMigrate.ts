import type { Pool } from 'pg';
import { type Migration, SchemaTooNewError } from '../migrations.ts';
import { PG_MIGRATIONS } from './pgMigrations.ts';

/** Any fixed number: every replica of this bot takes the same advisory lock while it migrates. */
export const MIGRATION_LOCK = 7_216_016;

/**
 * Applies pending PostgreSQL migrations, each in its own transaction with its row in
 * schema_migrations. Replicas starting at once queue on one session advisory lock, so the second
 * finds the schema current and applies nothing. Returns the versions applied.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly Migration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ v: number }>(
        'SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations',
      );
      const current = rows[0]?.v ?? 0;
      if (current > migrations.length) {
        throw new SchemaTooNewError(
          `The PostgreSQL database has schema version ${current}, but this incident-bot only knows up to ` +
            `${migrations.length}: run a newer incident-bot on it, or point DATABASE_URL at another database`,
        );
      }
      const applied: number[] = [];
      for (const migration of migrations.filter((m) => m.version > current)) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
          applied.push(migration.version);
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `PostgreSQL migration ${migration.version} (${migration.name}) failed and was rolled back: ` +
              `${error instanceof Error ? error.message : String(error)}. Fix the cause (permissions: the ` +
              'DATABASE_URL user must be allowed to create tables; a hand-edited schema) and restart.',
            { cause: error },
          );
        }
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
