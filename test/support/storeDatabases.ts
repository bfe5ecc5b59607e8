/**
 * Fresh databases of both kinds for the store's contract tests: a temp SQLite file, or a new database
 * on the run's shared PostgreSQL cluster (sharedPostgres.ts, initdb + pg_ctl on 127.0.0.1 once per run),
 * dropped when the test ends. A missing PostgreSQL fails the tests with the reason; nothing is skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { type AsyncStore, createStore, type StoreOptions } from '../../src/store/sql/index.ts';
import type { RunningPostgres } from './realServers.ts';
import { postgresDatabase } from './sharedPostgres.ts';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface StoreDatabase {
  readonly kind: StoreKind;
  readonly options: StoreOptions;
  /** A store on this database; call twice for two replicas (two connections or pools). */
  open(now?: () => Date): Promise<AsyncStore>;
}

/** Call at the top of a test file: `fresh(kind)` gives each test its own empty database. */
export function storeDatabases(): { fresh(kind: StoreKind): Promise<StoreDatabase> } {
  return {
    async fresh(kind) {
      const dir = mkdtempSync(join(tmpdir(), 'incident-bot-sql-'));
      const opened: AsyncStore[] = [];
      let database: RunningPostgres | undefined;
      onTestFinished(async () => {
        for (const store of opened) await store.close();
        await database?.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      const options: StoreOptions = { databasePath: join(dir, 'incident-bot.db') };
      if (kind === 'postgres') {
        database = await postgresDatabase();
        options.databaseUrl = database.url;
      }
      return {
        kind,
        options,
        async open(now) {
          const store = await createStore({ ...options, ...(now ? { now } : {}) });
          opened.push(store);
          return store;
        },
      };
    },
  };
}

/**
 * Two replicas on one fresh database with one incident: on PostgreSQL each its own pool, on SQLite two
 * callers of one store (one writer per file). Time is the test's own clock.
 */
export async function twoReplicas(
  databases: ReturnType<typeof storeDatabases>,
  kind: StoreKind,
  clock: { now: () => Date },
): Promise<{ a: AsyncStore; b: AsyncStore; incidentId: number }> {
  const database = await databases.fresh(kind);
  const a = await database.open(clock.now);
  const b = kind === 'postgres' ? await database.open(clock.now) : a;
  const incident = await a.incidents.create({
    title: 'T',
    severity: 'P1',
    declaredBy: 'U1',
    source: 'slash',
  });
  return { a, b, incidentId: incident.id };
}
