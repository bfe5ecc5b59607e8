/**
 * One PostgreSQL cluster for the whole run (started by test/support/globalSetup.ts, in the background while
 * the first test files run) instead of an initdb + start + stop per test file. Each caller gets a new,
 * empty database of its own on it, so tests stay as isolated as with a cluster each: connections, advisory
 * locks and LISTEN channels are all per database. A test that stops the server itself still starts its own
 * cluster with startPostgres().
 */
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import type { RunningPostgres } from './realServers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared cluster's admin URL, and the file its start writes a failure to. */
    postgres: { url: string; failureFile: string };
  }
}

/** How long a test waits for the shared cluster's start (initdb + pg_ctl on a loaded 2-core machine). */
const START_WAIT_MS = 90_000;
let created = 0;

async function adminClient(): Promise<pg.Client> {
  const { url, failureFile } = inject('postgres');
  const end = Date.now() + START_WAIT_MS;
  for (;;) {
    if (existsSync(failureFile))
      throw new Error(`the shared PostgreSQL did not start: ${readFileSync(failureFile, 'utf8')}`);
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > end)
        throw new Error(`the shared PostgreSQL at ${url} does not answer: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A new empty database on the shared cluster; stop() drops it (closing what is still connected). */
export async function postgresDatabase(): Promise<RunningPostgres> {
  const name = `test_${process.pid}_${++created}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: inject('postgres').url.replace(/\/postgres$/, `/${name}`),
    async stop() {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
