import { PG_MIGRATIONS } from './pgMigrations.ts';

export interface PostgresHealth {
  reachable: boolean;
  /** Schema version applied (0: the bot never started on this database). */
  version: number;
  latest: number;
  /** A read-only standby: the replicas would fail every write. */
  standby: boolean;
  /** When the loop `heartbeat` names last beat, on whichever replica. */
  heartbeat: Date | null;
  error: string | null;
}

/**
 * Looks at the PostgreSQL database without migrating or writing, for `doctor`: whether it answers within
 * `timeoutMs`, takes writes (not a standby), its schema against the code's, and the scheduler's last tick.
 */
export async function inspectPostgres(
  url: string,
  heartbeat: string,
  timeoutMs = 5_000,
): Promise<PostgresHealth> {
  const latest = PG_MIGRATIONS.length;
  // Loaded only here: doctor is part of the bot (/incident doctor), which on SQLite never needs pg.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A server that drops the connection after connect is reported by the failing query, not as a crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const standby =
      (await client.query<{ s: boolean }>('SELECT pg_is_in_recovery() AS s')).rows[0]?.s ?? false;
    const tables = await client.query<{ m: string | null; h: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS m, to_regclass('heartbeats')::text AS h",
    );
    const { m, h } = tables.rows[0] ?? { m: null, h: null };
    const version = m
      ? ((
          await client.query<{ v: number }>(
            'SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations',
          )
        ).rows[0]?.v ?? 0)
      : 0;
    const beat = h
      ? (await client.query<{ at: string }>('SELECT at FROM heartbeats WHERE name = $1', [heartbeat])).rows[0]
          ?.at
      : undefined;
    return {
      reachable: true,
      version,
      latest,
      standby,
      heartbeat: beat ? new Date(beat) : null,
      error: null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reachable: false, version: 0, latest, standby: false, heartbeat: null, error: message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
