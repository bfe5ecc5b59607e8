import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorCheck, formatDoctor, runDoctor } from '../src/doctor.ts';
import { SCHEDULER_HEARTBEAT } from '../src/domain/timer.ts';
import { createMetrics } from '../src/metrics.ts';
import { readiness } from '../src/routes.ts';
import { loadRunbookSet } from '../src/services/runbookSet.ts';
import { SlackHealth } from '../src/slack/instrumentation.ts';
import { createStore } from '../src/store/sql/index.ts';
import { freePort, type RunningPostgres, startPostgres } from './support/realServers.ts';
import { postgresDatabase } from './support/sharedPostgres.ts';
import { runbooksDir } from './support/testRunbooks.ts';

let server: RunningPostgres;
beforeAll(async () => {
  server = await postgresDatabase();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function storage(databaseUrl: string, now = new Date()): Promise<DoctorCheck[]> {
  const env = { DATABASE_URL: databaseUrl, RUNBOOKS_DIR: runbooksDir(), SCHEDULER_TICK_SECONDS: '15' };
  const checks = await runDoctor({ env, offline: true, now });
  return checks.filter((c) => c.name === 'database' || c.name === 'scheduler');
}

describe('doctor and /readyz on PostgreSQL (DATABASE_URL)', () => {
  it('names PostgreSQL, its schema and the shared scheduler tick, before and after the first start', async () => {
    expect(await storage(server.url)).toEqual([
      {
        name: 'database',
        ok: true,
        detail:
          'PostgreSQL (DATABASE_URL): reachable, writable, schema 0 of 4 (4 migration(s) run at next start); replicas share it',
      },
      { name: 'scheduler', ok: true, detail: 'no database yet, so the bot has not run: nothing to check' },
    ]);

    const store = await createStore({ databasePath: '', databaseUrl: server.url });
    await store.heartbeats.beat(SCHEDULER_HEARTBEAT, new Date('2026-11-23T10:00:00Z'));
    await store.close();
    const [database, scheduler] = await storage(server.url, new Date('2026-11-23T10:00:30Z'));
    expect(database?.detail).toBe(
      'PostgreSQL (DATABASE_URL): reachable, writable, schema 4 of 4; replicas share it',
    );
    expect(scheduler).toEqual({ name: 'scheduler', ok: true, detail: 'last tick 30 s ago' });
    const stale = await storage(server.url, new Date('2026-11-23T10:01:00Z'));
    expect(stale[1]?.ok).toBe(false);
  });

  it('fails with what to do when the server does not answer, without echoing the password', async () => {
    const url = `postgres://bot:hunter2@127.0.0.1:${await freePort()}/incidents`;
    const [database] = await storage(url);
    expect(database?.ok).toBe(false);
    const text = formatDoctor(database ? [database] : []);
    expect(text).toContain(
      '✘ database: PostgreSQL (DATABASE_URL) is not reachable: connect ECONNREFUSED 127.0.0.1:',
    );
    expect(text).toContain('fix: check the server is up, reachable from this host');
    expect(text).not.toContain('hunter2');
  });

  it('/readyz checks the PostgreSQL store: ready while it takes writes, not ready with what to do once it is gone', async () => {
    const own = await startPostgres();
    const store = await createStore({ databasePath: '', databaseUrl: own.url });
    const slack = new SlackHealth();
    slack.record('ok');
    const runbooks = loadRunbookSet(runbooksDir(), new Date());
    const deps = {
      metrics: createMetrics(),
      runbooks: () => runbooks,
      slack,
      identity: { database: 'postgres' as const, replica: 'replica-0' },
      databaseProblem: () => store.problem(),
    };
    try {
      expect(await readiness(deps)).toEqual({ database: null, runbooks: null, slack: null });
      await own.stop();
      const down = await readiness(deps);
      expect(down.database).toMatch(
        /^the database is not writable \(.+\): check DATABASE_URL and the PostgreSQL server$/,
      );
      expect(down.runbooks).toBeNull();
    } finally {
      await store.close().catch(() => undefined);
    }
  });
});
