import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from './config.ts';
import { createIntake, type Intake, type TokenBucket, webhookRoutes } from './intake/index.ts';
import type { Logger } from './log.ts';
import { IncidentService } from './services/incidentService.ts';
import { loadRunbookSet, type RunbookSet } from './services/runbookSet.ts';
import { slackErrorCode } from './slack/errors.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { SlackPageSink } from './slack/pages.ts';
import { IncidentWorkflow } from './slack/workflow.ts';
import { createStore, type Store } from './store/index.ts';

export interface BotOptions {
  config: Config;
  log: Logger;
  /** Tests wait for the handler before the HTTP reply, so they can assert right after a request returns. */
  processBeforeResponse?: boolean;
  /** During an incident a transient Slack 500 should cost seconds, not the client's default half hour. */
  retryConfig?: RetryOptions;
  now?: () => Date;
  /** conversations.create pacing for pages (default 20 a minute); tests pass a fast one. */
  channelRate?: { perMinute: number; capacity: number } | TokenBucket;
}

export interface Bot {
  app: App;
  store: Store;
  service: IncidentService;
  workflow: IncidentWorkflow;
  runbooks: () => RunbookSet;
  /** The HTTP server for /slack/events (HTTP mode) and the custom routes. */
  server: Server | null;
  port: number | null;
  botUserId: string;
  /** Pages: the inbox worker and the alert processor. */
  intake: Intake;
  stop(): Promise<void>;
}

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

export const DEFAULT_RETRY: RetryOptions = { retries: 5, factor: 2, minTimeout: 250, maxTimeout: 2000 };

function healthRoute(): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    },
  };
}

/** Builds and starts the whole bot: store, runbooks, services, the Bolt app and its HTTP routes. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  let runbookSet = loadRunbookSet(config.runbooksDir, now());
  const runbooks = () => runbookSet;
  const store = createStore(config.databasePath, now);
  const service = new IncidentService(store, runbooks);

  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
  };
  let intake: Intake | null = null;
  const routes = [
    healthRoute(),
    ...webhookRoutes({ config, inbox: store.inbox, log, stored: () => intake?.worker.kick() }),
  ];
  const app = new App({
    token: config.slackBotToken,
    signingSecret: config.slackSigningSecret,
    deferInitialization: true,
    processBeforeResponse: options.processBeforeResponse ?? false,
    clientOptions,
    customRoutes: routes,
    logLevel: toBoltLevel(config.logLevel),
    ...(config.mode === 'socket'
      ? {
          socketMode: true,
          appToken: config.slackAppToken,
          // The socket client writes defaults into the object it gets: give it its own copy.
          installerOptions: { port: config.port, clientOptions: { ...clientOptions } },
        }
      : {}),
  });

  let botUserId: string;
  try {
    await app.init();
    const auth = await app.client.auth.test();
    botUserId = auth.user_id ?? '';
  } catch (error) {
    store.close();
    const code = slackErrorCode(error);
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

  const workflow = new IncidentWorkflow(app.client, service, runbooks, botUserId, log, now);
  registerListeners(app, {
    service,
    workflow,
    runbooks,
    log,
    now,
    reload: () => {
      runbookSet = loadRunbookSet(config.runbooksDir, now());
      return runbookSet;
    },
  });
  intake = createIntake({
    store,
    service,
    runbooks,
    sink: new SlackPageSink(workflow, service, log),
    botUserId,
    log,
    now,
    ...(options.channelRate ? { channelRate: options.channelRate } : {}),
  });
  const pages = intake;
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  const started = config.mode === 'http' ? await app.start(config.port) : await app.start();
  const server = isServer(started) ? started : null;
  const port = server
    ? (server.address() as AddressInfo).port
    : config.mode === 'socket'
      ? config.port
      : null;
  // Pages stored before a restart (or a crash) are processed now, once.
  pages.worker.start();
  log.info({ mode: config.mode, port, runbooks: runbookSet.catalog.runbooks.length }, 'incident-bot started');

  return {
    app,
    store,
    service,
    workflow,
    runbooks,
    server,
    port,
    botUserId,
    intake: pages,
    async stop() {
      await pages.worker.stop();
      await app.stop();
      store.close();
    },
  };
}

function isServer(value: unknown): value is Server {
  return (
    typeof value === 'object' && value !== null && 'address' in value && typeof value.address === 'function'
  );
}

function toBoltLevel(level: string): LogLevel {
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
