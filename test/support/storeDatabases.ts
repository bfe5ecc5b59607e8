/**
 * Fresh databases of both kinds for the store's contract tests: a temp SQLite file, or a new database
 * in one throwaway PostgreSQL cluster started per test file (initdb + pg_ctl on 127.0.0.1). A missing
 * PostgreSQL fails the file's tests with the reason; nothing is skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { type AsyncStore, createStore, type StoreOptions } from '../../src/store/sql/index.ts';
import { type RunningPostgres, startPostgres } from './realServers.ts';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface StoreDatabase {
  readonly kind: StoreKind;
  readonly options: StoreOptions;
  /** A store on this database; call twice for two replicas (two connections or pools). */
  open(now?: () => Date): Promise<AsyncStore>;
}

/** Call at the top of a test file: registers the cluster's start and stop around the file. */
export function storeDatabases(): { fresh(kind: StoreKind): Promise<StoreDatabase> } {
  let server: RunningPostgres | undefined;
  let created = 0;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    async fresh(kind) {
      const dir = mkdtempSync(join(tmpdir(), 'incident-bot-sql-'));
      const opened: AsyncStore[] = [];
      onTestFinished(async () => {
        for (const store of opened) await store.close();
        rmSync(dir, { recursive: true, force: true });
      });
      const options: StoreOptions = { databasePath: join(dir, 'incident-bot.db') };
      if (kind === 'postgres') {
        if (!server) throw new Error('PostgreSQL did not start: see the beforeAll error above');
        created += 1;
        const name = `contract_${created}`;
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        options.databaseUrl = server.url.replace(/\/postgres$/, `/${name}`);
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
