import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { type Bot, startBot } from '../../src/bot.ts';
import { loadConfig } from '../../src/config.ts';
import type { Incident } from '../../src/domain/incident.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { ESCALATE_FIELDS } from '../../src/slack/blocks/modals.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import {
  type FakeSlack,
  type FakeSlackOptions,
  type StoredMessage,
  startFakeSlack,
} from '../support/fakeSlack.ts';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fakeSocketMode.ts';
import {
  type BlockAction,
  blockActionsPayload,
  buttonClick,
  findElement,
  type HttpResult,
  inputValue,
  interaction,
  type SlashCommandOptions,
  slashCommand,
  viewSubmissionPayload,
} from '../support/slackRequests.ts';
import { DECLARER, GENERAL, runbooksDir, TEST_WORKSPACE } from '../support/testRunbooks.ts';

/** The last step message of `channel` that still has checkboxes: the step being worked. */
export function activeStepMessage(slack: FakeSlack, channel: string): StoredMessage {
  const last = slack
    .messages(channel)
    .filter((m) => m.text.startsWith('Step ') && findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1);
  if (!last) throw new Error('no active step message');
  return last;
}

/** What `user` was told privately in `channel`. */
export function ephemeralTexts(slack: FakeSlack, channel: string, user: string): string[] {
  return slack
    .ephemerals(channel)
    .filter((e) => e.user === user)
    .map((e) => e.text);
}

/** The SQLite file under a test bot's store, for raw SQL a test needs (making a timer due, WAL checkpoints). */
export function sqliteOf(bot: Bot): Database.Database {
  if (!bot.store.sqlite)
    throw new Error('this test bot runs on PostgreSQL: query it through its URL instead');
  return bot.store.sqlite;
}

export const SECRET = 'test-signing-secret-0123456789';
export * from '../support/testRunbooks.ts';
export interface TestBot {
  bot: Bot;
  slack: FakeSlack;
  url: string;
  dbPath: string;
  dataDir: string;
  socket: FakeSocketMode | null;
  command(text: string, opts?: Partial<SlashCommandOptions>): Promise<HttpResult>;
  /** Runs a declare command (`declare P1 <title>`) and returns the incident with its channel. */
  declare(commandText: string): Promise<{ incident: Incident; channel: string }>;
  /** Submits a modal as `user` with the given `state.values`. */
  submitView(
    user: string,
    callbackId: string,
    privateMetadata: string,
    values: Record<string, unknown>,
  ): Promise<HttpResult>;
  /** Clicks Escalate on the incident header as `user` and submits the form with these flags and note. */
  escalate(user: string, header: StoredMessage, conditions: string[], note?: string): Promise<HttpResult>;
  /** Sends a block action as `user` on the message as it is now in the fake Slack. */
  act(user: string, message: StoredMessage, action: BlockAction): Promise<HttpResult>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  fake?: FakeSlackOptions;
  processBeforeResponse?: boolean;
  policy?: string;
  env?: Record<string, string>;
  /** Slack client retries; 0 by default so failures are fast. */
  retries?: number;
  /** conversations.create pacing for pages; by default fast, so no test waits for it. */
  channelRate?: { perMinute: number; capacity: number };
  /** Run in Socket Mode against a local WebSocket fake; `port` serves the custom routes. */
  socketMode?: { port: number };
  /** Extra runbook files (name -> Markdown) written next to the shipped ones before the bot starts. */
  runbooks?: Record<string, string>;
  /** The bot's clock (timers, timestamps); real time by default. */
  now?: () => Date;
  /** Where the bot logs; silent by default. Set LOG_LEVEL in `env` too, for Bolt's own level. */
  log?: Logger;
}

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const slack = await startFakeSlack({ ...TEST_WORKSPACE, ...options.fake });
  const socket = options.socketMode ? await startFakeSocketMode(slack) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'incident-bot-data-'));
  const dbPath = join(dataDir, 'incidents.db');
  const runbooks = runbooksDir(options.policy);
  for (const [name, text] of Object.entries(options.runbooks ?? {}))
    writeFileSync(join(runbooks, name), text);
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    DATABASE_PATH: dbPath,
    RUNBOOKS_DIR: runbooks,
    LOG_LEVEL: 'error',
    ...(options.socketMode ? { SLACK_APP_TOKEN: 'xapp-1-test', PORT: String(options.socketMode.port) } : {}),
    ...options.env,
  });
  const log = options.log ?? createLogger('silent');
  // Tests assert right after a (re)start: what came due while the bot was down has fired by then.
  const start = async () => {
    const started = await startBot({
      config,
      log,
      processBeforeResponse: options.processBeforeResponse ?? true,
      retryConfig: { retries: options.retries ?? 0, minTimeout: 10, maxTimeout: 50 },
      ...(options.now ? { now: options.now } : {}),
      channelRate: options.channelRate ?? { perMinute: 600_000, capacity: 1_000 },
      // Statuspage's 1 s spacing is tested on the client (statuspageApi.test.ts), not waited for here.
      statuspageIntervalMs: 10,
    });
    await started.scheduler.idle();
    return started;
  };
  const bot = await start();
  const t: TestBot = {
    bot,
    slack,
    url: `http://127.0.0.1:${bot.port}`,
    dbPath,
    dataDir,
    socket,
    command: (text, opts = {}) =>
      slashCommand(t.url, SECRET, {
        text,
        user_id: DECLARER,
        channel_id: GENERAL,
        response_url: slack.responseUrl(),
        ...opts,
      }),
    async declare(commandText) {
      await t.command(commandText);
      const incident = (await t.bot.service.listOpen()).at(-1);
      if (!incident?.channelId) throw new Error(`"${commandText}" opened no incident channel`);
      return { incident, channel: incident.channelId };
    },
    submitView: (user, callbackId, privateMetadata, values) =>
      interaction(
        t.url,
        SECRET,
        viewSubmissionPayload({
          user,
          view: { callback_id: callbackId, private_metadata: privateMetadata, state: { values } },
        }),
      ),
    async escalate(user, header, conditions, note) {
      await t.act(user, header, buttonClick(header, ACTIONS.escalate));
      const modal = slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
      return t.submitView(user, VIEWS.escalate, modal.private_metadata, {
        [ESCALATE_FIELDS.conditions.blockId]: {
          [ESCALATE_FIELDS.conditions.actionId]: inputValue.checkboxes(conditions),
        },
        ...(note
          ? {
              [ESCALATE_FIELDS.note.blockId]: { [ESCALATE_FIELDS.note.actionId]: inputValue.plainText(note) },
            }
          : {}),
      });
    },
    act: (user, message, action) =>
      interaction(
        t.url,
        SECRET,
        blockActionsPayload({
          user,
          channel: message.channel,
          message,
          actions: [action],
          response_url: slack.responseUrl(),
        }),
      ),
    async restart() {
      await t.bot.stop();
      t.bot = await start();
      t.url = `http://127.0.0.1:${t.bot.port}`;
    },
    async stop() {
      await t.bot.stop();
      // The socket client does not wait for its disconnect; closing the fake first would make it reconnect.
      if (socket) {
        await socket.waitForDisconnect();
        await socket.close();
      }
      await slack.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(runbooks, { recursive: true, force: true });
    },
  };
  return t;
}
