import type Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { StorePort } from '../../usecases/ports/store.ts';
import { openDatabase } from '../db.ts';
import type { Clock } from '../rows.ts';
import { SqlAlertLinks } from './alertLinks.ts';
import { SqlChecklist } from './checklist.ts';
import { atomic, type SqlContext, type SqlKind } from './dialect.ts';
import { SqlInbox } from './inbox.ts';
import { SqlIncidents } from './incidents.ts';
import { SqlJobs } from './jobs.ts';
import { migratePostgres } from './pgMigrate.ts';
import type { AsyncStore } from './port.ts';
import { SqlFollowups, SqlPostmortems } from './postmortems.ts';
import { SqlOpenBoard, SqlPeriodicTimers, SqlRunbookHistory } from './reads.ts';
import { SqlExternalRefs, SqlHeartbeats, SqlIdempotency, SqlIdentity } from './records.ts';
import type { Tables } from './schema.ts';
import { cachingStatements } from './statementCache.ts';
import { SqlTimeline } from './timeline.ts';
import { SqlTimers } from './timers.ts';

export type { SqlKind } from './dialect.ts';
export { MIGRATION_LOCK, migratePostgres } from './pgMigrate.ts';
export { PG_MIGRATIONS } from './pgMigrations.ts';
export type { AsyncStore } from './port.ts';

export interface StoreOptions {
  /** `postgres://...`: PostgreSQL, for two or more replicas. Unset: SQLite at `databasePath`. */
  databaseUrl?: string | undefined;
  databasePath: string;
  now?: Clock;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
}

/** Every repository over one context: the store itself, or one transaction of it. */
function repositories(ctx: SqlContext): StorePort {
  return {
    incidents: new SqlIncidents(ctx),
    checklist: new SqlChecklist(ctx),
    timeline: new SqlTimeline(ctx),
    timers: new SqlTimers(ctx),
    inbox: new SqlInbox(ctx),
    identity: new SqlIdentity(ctx),
    jobs: new SqlJobs(ctx),
    externalRefs: new SqlExternalRefs(ctx),
    alertLinks: new SqlAlertLinks(ctx),
    idempotency: new SqlIdempotency(ctx),
    postmortems: new SqlPostmortems(ctx),
    followups: new SqlFollowups(ctx),
    heartbeats: new SqlHeartbeats(ctx),
    openBoard: new SqlOpenBoard(ctx),
    runbookHistory: new SqlRunbookHistory(ctx),
    periodicTimers: new SqlPeriodicTimers(ctx),
    transaction: (fn) => atomic(ctx, (tx) => fn(repositories(tx))),
  };
}

/**
 * Opens the store the configuration names, migrated: PostgreSQL when `databaseUrl` is set (migrations
 * under an advisory lock, so replicas starting together apply each once), else SQLite at `databasePath`
 * (today's migrations, each in an IMMEDIATE transaction).
 */
export async function createStore(options: StoreOptions): Promise<AsyncStore> {
  const now = options.now ?? (() => new Date());
  const opened = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.databasePath);
  const ctx: SqlContext = { kind: opened.kind, db: opened.db, now, depth: 0 };
  let closing: Promise<void> | null = null;
  return {
    ...repositories(ctx),
    kind: opened.kind,
    sqlite: opened.sqlite,
    isOpen: () => closing === null,
    problem: () => databaseProblem(ctx),
    incidentCounts: async () =>
      opened.db
        .selectFrom('incidents')
        .select(['severity', 'status', sql<number>`cast(count(*) as integer)`.as('count')])
        .groupBy(['severity', 'status'])
        .execute(),
    // Closing twice (a test closes the store, then stops the bot) must not end the pool twice.
    close: () => {
      closing ??= opened.db.destroy();
      return closing;
    },
  };
}

interface Opened {
  kind: SqlKind;
  db: Kysely<Tables>;
  sqlite: Database.Database | null;
}

function openSqlite(path: string): Opened {
  const database = openDatabase(path);
  return {
    kind: 'sqlite',
    db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) }),
    sqlite: database,
  };
}

async function openPostgres(url: string, max: number): Promise<Opened> {
  // Loaded only here: a bot on SQLite never holds pg's modules (some 10 MiB).
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection dropped by the server (a failover, a restart) is an 'error' event, which unhandled
  // would end the process; the pool discards that connection and the next query opens a new one.
  pool.on('error', () => undefined);
  // The same for a connection checked out when the server goes away: its query fails (and is reported
  // where it was made), but the connection's 'error' event would otherwise be an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    const reason = error instanceof Error ? error.message : String(error);
    // The URL is not repeated: it may hold a password.
    throw new Error(
      `Cannot open the PostgreSQL database at DATABASE_URL: ${reason}. Check that the server is up and ` +
        'reachable, and that the URL names an existing database and a user allowed to create tables in it.',
      { cause: error },
    );
  }
  return {
    kind: 'postgres',
    db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }),
    sqlite: null,
  };
}

/** Null when the database takes writes now; for /readyz and doctor. */
async function databaseProblem(ctx: SqlContext): Promise<string | null> {
  try {
    if (ctx.kind === 'sqlite') {
      // Taking the write lock and releasing it proves writes would go through.
      await atomic(ctx, async () => undefined);
      return null;
    }
    const { rows } = await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(ctx.db);
    return rows[0]?.standby
      ? 'the PostgreSQL server is a read-only standby: point DATABASE_URL at the primary'
      : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
