import { rmSync } from 'node:fs';
import pg from 'pg';
import { type BotProcess, spawnBot } from './botProcess.ts';
import { type FakeSlack, startFakeSlack } from './fakeSlack.ts';
import { type FakeSocketMode, startFakeSocketMode } from './fakeSocketMode.ts';
import type { RunningPostgres } from './realServers.ts';
import { postgresDatabase } from './sharedPostgres.ts';
import { runbooksDir, TEST_WORKSPACE } from './testRunbooks.ts';
import { WEBHOOK_TOKEN } from './webhooks.ts';

/**
 * Several bot processes (the real entry point) on one real PostgreSQL on 127.0.0.1 and one fake Slack:
 * what a deployment of two or more replicas behind a load balancer is. Each replica has its own HTTP port
 * and REPLICA_ID (replica-0, replica-1, ...); `spread()` hands out their URLs in turn.
 */
export interface ReplicaRig {
  slack: FakeSlack;
  /** Socket Mode: every replica opens its own connection here; null in HTTP mode. */
  socket: FakeSocketMode | null;
  databaseUrl: string;
  replicas: BotProcess[];
  /** Starts `count` replicas at once (so they also race to migrate); `env` adds to the rig's. */
  start(count: number, env?: Record<string, string>): Promise<BotProcess[]>;
  url(replica: BotProcess): string;
  /** The next replica's URL, round robin: the load balancer. */
  spread(): string;
  query<T extends object>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Sets up a rig and adds its teardown (kill -9 every replica, stop PostgreSQL and Slack, remove the
 * runbooks) to `cleanup`. A machine without PostgreSQL fails here with the reason, never skips.
 */
export async function replicaRig(
  cleanup: (() => Promise<void> | void)[],
  options: { secret: string; env?: Record<string, string>; socketMode?: boolean },
): Promise<ReplicaRig> {
  const server: RunningPostgres = await postgresDatabase();
  const slack = await startFakeSlack(TEST_WORKSPACE);
  const socket = options.socketMode ? await startFakeSocketMode(slack) : null;
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => undefined);
  const runbooks = runbooksDir();
  const replicas: BotProcess[] = [];
  cleanup.push(async () => {
    for (const replica of replicas) await replica.kill9();
    await pool.end();
    await socket?.close();
    await slack.close();
    await server.stop();
    rmSync(runbooks, { recursive: true, force: true });
  });
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: options.secret,
    SLACK_API_URL: slack.url,
    DATABASE_URL: server.url,
    RUNBOOKS_DIR: runbooks,
    PORT: '0',
    WEBHOOK_TOKEN,
    ...(socket ? { SLACK_APP_TOKEN: 'xapp-1-test' } : {}),
    ...options.env,
  };
  let turn = 0;
  const url = (replica: BotProcess) => `http://127.0.0.1:${replica.port}`;
  return {
    slack,
    socket,
    databaseUrl: server.url,
    replicas,
    async start(count, extra = {}) {
      const first = replicas.length;
      const started = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          spawnBot({ ...env, REPLICA_ID: `replica-${first + i}`, ...extra }),
        ),
      );
      replicas.push(...started);
      return started;
    },
    url,
    spread() {
      const alive = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      const replica = alive[turn++ % alive.length];
      if (!replica) throw new Error('no replica is running: start some with rig.start(n)');
      return url(replica);
    },
    async query(text, params = []) {
      return (await pool.query(text, params)).rows;
    },
  };
}
