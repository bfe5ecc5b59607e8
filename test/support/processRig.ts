import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type BotProcess, spawnBot } from './botProcess.ts';
import { type FakeSlack, startFakeSlack } from './fakeSlack.ts';
import { runbooksDir, TEST_WORKSPACE } from './testRunbooks.ts';
import { WEBHOOK_TOKEN } from './webhooks.ts';

/** A fake Slack, a database file and the test runbooks, for tests that run the bot as a real process. */
export interface ProcessRig {
  slack: FakeSlack;
  env: Record<string, string>;
  dbPath: string;
  /** Spawns a bot process on this rig; it is killed when the rig is cleaned up. */
  start(): Promise<BotProcess>;
  /** Reads the bot's database (WAL: safe while the bot runs, and after a kill -9). */
  query<T>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): void;
}

/**
 * Sets up a rig and adds its teardown (kill every process it started, close Slack, remove the files) to
 * `cleanup`. `env` adds to or overrides the bot's environment.
 */
export async function processRig(
  cleanup: (() => Promise<void> | void)[],
  options: { name: string; secret: string; env?: Record<string, string> },
): Promise<ProcessRig> {
  const slack = await startFakeSlack(TEST_WORKSPACE);
  const dir = mkdtempSync(join(tmpdir(), `incident-bot-${options.name}-`));
  const runbooks = runbooksDir();
  const dbPath = join(dir, 'bot.db');
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: options.secret,
    SLACK_API_URL: slack.url,
    DATABASE_PATH: dbPath,
    RUNBOOKS_DIR: runbooks,
    PORT: '0',
    WEBHOOK_TOKEN,
    ...options.env,
  };
  const procs: BotProcess[] = [];
  cleanup.push(async () => {
    for (const p of procs) await p.kill9();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(runbooks, { recursive: true, force: true });
  });
  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(dbPath);
    try {
      db.pragma('busy_timeout = 2000');
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    slack,
    env,
    dbPath,
    async start() {
      const p = await spawnBot(env);
      procs.push(p);
      return p;
    },
    query: (sql, ...params) => withDb((db) => db.prepare(sql).all(...params) as never),
    run: (sql, ...params) => withDb((db) => void db.prepare(sql).run(...params)),
  };
}
