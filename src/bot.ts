import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, LogLevel } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { timerHandlers } from './scheduler/handlers/index.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { DiagnosticsService } from './services/diagnosticsService.ts';
import { IncidentService } from './services/incidentService.ts';
import { PostmortemService } from './services/postmortemService.ts';
import { loadRunbookSet, type RunbookSet } from './services/runbookSet.ts';
import { Timekeeper } from './services/timekeeper.ts';
import { DiagnosticsFlow } from './slack/diagnosticsFlow.ts';
import { slackErrorCode } from './slack/errors.ts';
import { registerListeners } from './slack/listeners/index.ts';
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
}

export interface Bot {
  app: App;
  store: Store;
  service: IncidentService;
  workflow: IncidentWorkflow;
  diagnostics: DiagnosticsFlow;
  runbooks: () => RunbookSet;
  /** The HTTP server for /slack/events (HTTP mode) and the custom routes. */
  server: Server | null;
  port: number | null;
  botUserId: string;
  /** Fires escalation and reminder timers; tests call `scheduler.tick()` to fire what is due now. */
  scheduler: Scheduler;
  timekeeper: Timekeeper;
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
  const timekeeper = new Timekeeper(store, runbooks, now);
  const service = new IncidentService(store, runbooks, timekeeper);
  const postmortems = new PostmortemService(store, runbooks, now);

  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
  };
  const routes = [healthRoute()];
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
  const diagnostics = new DiagnosticsFlow(
    new DiagnosticsService(service, runbooks, {
      prometheusUrl: config.prometheusUrl,
      databases: config.diagnosticsDatabases,
      now,
    }),
    service,
    workflow,
    log,
  );
  // Evidence arrives in the channel shortly after it opens, whether declared by hand or by a page.
  workflow.onOpened((incident) => diagnostics.start(incident.id, 'bot'));
  workflow.stepDiagnostics = (incidentId, stepNumber) => diagnostics.service.forStep(incidentId, stepNumber);
  const deps = {
    diagnostics,
    service,
    postmortems,
    workflow,
    runbooks,
    log,
    now,
    reload: () => {
      runbookSet = loadRunbookSet(config.runbooksDir, now());
      return runbookSet;
    },
    timekeeper,
  };
  registerListeners(app, deps);
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
  const scheduler = new Scheduler({
    store,
    handlers: timerHandlers(deps),
    log,
    now,
    tickSeconds: config.schedulerTickSeconds,
  });
  // After the app is up, so timers that came due while the bot was down can post; they fire once, late.
  await scheduler.start();
  log.info({ mode: config.mode, port, runbooks: runbookSet.catalog.runbooks.length }, 'incident-bot started');

  return {
    app,
    store,
    service,
    workflow,
    diagnostics,
    runbooks,
    server,
    port,
    botUserId,
    scheduler,
    timekeeper,
    async stop() {
      await scheduler.stop();
      await app.stop();
      await diagnostics.settled();
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
