import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { type App, LogLevel } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type Database from 'better-sqlite3';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { isTransient, slackErrorCode } from '../slack/errors.ts';
import type { SlackHealth } from '../slack/instrumentation.ts';
import { type AsyncStore, createStore } from '../store/sql/index.ts';
import { DatabaseInUseError, processAlive, WriterLock } from '../store/writerLock.ts';

export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** auth.test answers that mean the token itself is wrong, as opposed to Slack being unreachable. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/**
 * Who the bot is in Slack: auth.test, remembered in the database. When Slack is unreachable (not when it
 * refuses the token) a bot that ran before starts with the remembered identity: pages are stored and side
 * effects queued until Slack answers. A first start needs Slack.
 */
export async function checkSlackIdentity(input: {
  config: Config;
  clientOptions: WebClientOptions;
  store: AsyncStore;
  log: Logger;
  release: () => void;
}): Promise<{ userId: string; botId: string }> {
  const { config, store, log } = input;
  const client = new WebClient(config.slackBotToken, input.clientOptions);
  try {
    const auth = await client.auth.test();
    const identity = { userId: auth.user_id ?? '', botId: auth.bot_id ?? '' };
    await store.identity.remember(identity.userId, identity.botId);
    return identity;
  } catch (error) {
    const code = slackErrorCode(error);
    const remembered = await store.identity.get();
    if (isTransient(error) && remembered) {
      log.warn(
        { error: code, since: remembered.checkedAt },
        'Slack is unreachable: starting with the bot identity of the last run; side effects wait in the queue',
      );
      return { userId: remembered.userId, botId: remembered.botId };
    }
    input.release();
    await store.close();
    if (TOKEN_ERRORS.has(code)) {
      throw new StartupError(
        `Slack rejected SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-...) from your app's ` +
          'OAuth & Permissions page, and reinstall the app if it was revoked.',
      );
    }
    throw new StartupError(
      `Could not check SLACK_BOT_TOKEN with Slack at ${config.slackApiUrl} (${code}). Check the network ` +
        'and SLACK_API_URL (leave it unset for Slack itself), then start again.',
    );
  }
}

/** The database this process works on, the name it claims work under, and how it lets go at stop. */
export interface OpenedStore {
  store: AsyncStore;
  /** Written into claimed_by of the timers and jobs this process claims. */
  owner: string;
  release(): void;
}

/**
 * Opens the store the configuration names. SQLite has one writer: a second bot on the same file refuses
 * to start, and the claims of the previous writer (known dead, or the lock would not be free) are freed at
 * once. On PostgreSQL every replica writes and claims under its REPLICA_ID; the claims of a replica that
 * died are taken over when their lease runs out, since the others cannot tell dead from slow.
 */
export async function openStore(config: Config, now: () => Date, log: Logger): Promise<OpenedStore> {
  const store = await createStore({
    databaseUrl: config.databaseUrl,
    databasePath: config.databasePath,
    now,
  });
  if (!store.sqlite) {
    const owner = config.replicaId ?? `${hostname()}-${process.pid}`;
    return { store, owner, release: () => undefined };
  }
  let writer: { owner: string; release(): void };
  try {
    writer = takeWriterLock(store.sqlite, now, log);
  } catch (error) {
    await store.close();
    throw error;
  }
  await store.jobs.releaseOthers(writer.owner);
  await store.timers.releaseOthers(writer.owner);
  return { store, ...writer };
}

/** How often the writer lock is renewed, and how old a heartbeat may get before the lock counts as lapsed. */
const LOCK_HEARTBEAT_MS = 10_000;
const LOCK_STALE_MS = 60_000;

/**
 * One process writes to a SQLite file: a second bot on the same file refuses to start, naming the holder.
 * A lock left by a process that died (kill -9, OOM) on this host is taken over at once.
 */
function takeWriterLock(
  db: Database.Database,
  now: () => Date,
  log: Logger,
): { owner: string; release(): void } {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const lock = new WriterLock(
    db,
    now,
    { owner, pid: process.pid, host: hostname() },
    { staleMs: LOCK_STALE_MS, isAlive: processAlive },
  );
  try {
    lock.acquire();
  } catch (error) {
    if (error instanceof DatabaseInUseError) throw new StartupError(error.message);
    throw error;
  }
  const beat = setInterval(() => {
    if (db.open && !lock.heartbeat())
      log.error(
        { holder: lock.current() },
        'another incident-bot took over the database (this one looked dead to it): stop this process',
      );
  }, LOCK_HEARTBEAT_MS);
  beat.unref();
  return {
    owner,
    release() {
      clearInterval(beat);
      if (db.open) lock.release();
    },
  };
}

export function isServer(value: unknown): value is Server {
  return (
    typeof value === 'object' && value !== null && 'address' in value && typeof value.address === 'function'
  );
}

export function toBoltLevel(level: string): LogLevel {
  switch (level) {
    case 'debug':
    case 'trace':
      return LogLevel.DEBUG;
    case 'warn':
      return LogLevel.WARN;
    case 'error':
    case 'fatal':
      return LogLevel.ERROR;
    default:
      return LogLevel.INFO;
  }
}

/**
 * Socket Mode readiness follows the WebSocket: Bolt keeps its receiver private, so it is found at run time
 * and checked before use; if Bolt ever changes it, readiness just stops tracking disconnects.
 */
export function watchSocket(app: App, health: SlackHealth): void {
  health.socketConnected = true;
  const receiver: unknown = Reflect.get(app, 'receiver');
  const client: unknown =
    typeof receiver === 'object' && receiver !== null ? Reflect.get(receiver, 'client') : undefined;
  if (typeof client !== 'object' || client === null || !('on' in client) || typeof client.on !== 'function')
    return;
  const on = client.on.bind(client) as (event: string, listener: () => void) => void;
  on('connected', () => {
    health.socketConnected = true;
  });
  on('disconnected', () => {
    health.socketConnected = false;
  });
  on('reconnecting', () => {
    health.socketConnected = false;
  });
}
