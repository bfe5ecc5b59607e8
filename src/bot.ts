import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute } from '@slack/bolt';
import { type FetchFunction, type RetryOptions, WebClient } from '@slack/web-api';
import { type IntegrationWiring, isRetryableIntegrationError, wireIntegrations } from './app/integrations.ts';
import {
  checkSlackIdentity,
  finishInterruptedDeclares,
  isServer,
  StartupError,
  takeWriterLock,
  toBoltLevel,
  watchSocket,
} from './app/startup.ts';
import type { Config } from './config.ts';
import { runDoctor } from './doctor.ts';
import { createIntake, type Intake, type TokenBucket, webhookRoutes } from './intake/index.ts';
import { githubWebhookRoute } from './integrations/githubWebhook.ts';
import type { Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { operabilityRoutes } from './routes.ts';
import { timerHandlers } from './scheduler/handlers/index.ts';
import { ensurePrune, PRUNE_KIND, pruneHandler } from './scheduler/handlers/prune.ts';
import {
  planRunbookReview,
  type ReviewDeps,
  RUNBOOK_REVIEW,
  runbookReviewHandler,
} from './scheduler/handlers/runbookReview.ts';
import { JobRunner } from './scheduler/jobRunner.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { DiagnosticsService } from './services/diagnosticsService.ts';
import { IncidentService } from './services/incidentService.ts';
import { PostmortemService } from './services/postmortemService.ts';
import {
  loadRunbookSet,
  type ReloadResult,
  type RunbookSet,
  RunbookSetError,
  reloadRunbookSet,
} from './services/runbookSet.ts';
import { StepChoices } from './services/stepChoices.ts';
import { Timekeeper } from './services/timekeeper.ts';
import { IncidentAccess } from './slack/access.ts';
import { section } from './slack/blocks/kit.ts';
import { boltLogger } from './slack/boltLogger.ts';
import { phasePromptFor } from './slack/choiceFlows.ts';
import { dedupeRequests } from './slack/dedupe.ts';
import { DiagnosticsFlow } from './slack/diagnosticsFlow.ts';
import { isTransient } from './slack/errors.ts';
import { HomePublisher } from './slack/home.ts';
import { handlerTimer, instrumentedFetch, SlackHealth } from './slack/instrumentation.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { privateGuard } from './slack/listeners/privateGuard.ts';
import { openJobHandlers, postJob } from './slack/openJobs.ts';
import { SlackPageSink } from './slack/pages.ts';
import { IncidentWorkflow } from './slack/workflow.ts';
import { createStore, incidentCounts, type Store } from './store/index.ts';

export interface BotOptions {
  config: Config;
  log: Logger;
  /** Tests wait for the handler before the HTTP reply, so they can assert right after a request returns. */
  processBeforeResponse?: boolean;
  /** During an incident a transient Slack 500 should cost seconds, not the client's default half hour. */
  retryConfig?: RetryOptions;
  now?: () => Date;
  /** Process metrics (CPU, memory, event loop) on /metrics; index.ts turns them on, tests leave them off. */
  processMetrics?: boolean;
  /** conversations.create pacing for pages (default 20 a minute); tests pass a fast one. */
  channelRate?: { perMinute: number; capacity: number } | TokenBucket;
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
  metrics: Metrics;
  home: HomePublisher;
  /** Reloads runbooks and policy (SIGHUP, `/incident runbooks reload`); throws RunbookSetError on a broken policy. */
  reload(): ReloadResult;
  /** Pages: the inbox worker and the alert processor. */
  intake: Intake;
  /** Durable Slack side effects (opening incidents, replies): claimed with a lease, retried with backoff. */
  jobs: JobRunner;
  stop(): Promise<void>;
}

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

export { StartupError };

/** Builds and starts the whole bot: store, runbooks, services, the Bolt app and its HTTP routes. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  let runbookSet = loadRunbookSet(config.runbooksDir, now());
  const runbooks = () => runbookSet;
  if (config.databaseUrl) {
    // Running on a private SQLite file while the operator meant a shared PostgreSQL would split incidents
    // between replicas: refuse rather than start.
    throw new Error(
      'DATABASE_URL is set, but this build of the bot still keeps incidents in SQLite only (the PostgreSQL ' +
        'store is not wired into the bot yet): unset DATABASE_URL and run one replica with DATABASE_PATH',
    );
  }
  const store = createStore(config.databasePath, now);
  const writer = takeWriterLock(store, now, log);
  // The previous writer is gone (the lock says so): jobs it had claimed run now, not after their lease.
  store.jobs.releaseOthers(writer.owner);
  const timekeeper = new Timekeeper(store, runbooks, now);
  const service = new IncidentService(store, runbooks, timekeeper);
  const postmortems = new PostmortemService(store, runbooks, now);
  const metrics = createMetrics({
    processMetrics: options.processMetrics ?? false,
    countIncidents: () => incidentCounts(store.db),
    countJobs: () => store.jobs.counts(),
    replica: config.replicaId,
  });
  const slackHealth = new SlackHealth();

  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    // Every client Bolt makes copies these options, so this one fetch counts every Slack API call.
    fetch: instrumentedFetch(metrics, slackHealth, globalThis.fetch as FetchFunction),
  };
  let intake: Intake | null = null;
  // Set once the integrations are wired (after the app): the route only reads it when a request arrives.
  let githubFollowups: IntegrationWiring | null = null;
  const routes = [
    healthRoute(),
    ...operabilityRoutes({
      metrics,
      store,
      runbooks,
      slack: slackHealth,
      slackWindowMs: config.slackReadyWindowMs,
      jobs: () => store.jobs.counts(),
      identity: { database: 'sqlite', replica: config.replicaId ?? null },
    }),
    githubWebhookRoute({
      secret: config.githubWebhookSecret,
      closed: (event) => {
        const followupId = githubFollowups?.followupForIssue(event) ?? null;
        if (followupId === null) return null;
        postmortems.completeFollowup({ followupId, actor: 'bot' });
        return { followupId };
      },
    }),
    ...webhookRoutes({
      config,
      inbox: store.inbox,
      log,
      stored: () => intake?.worker.kick(),
      observe: ({ source, outcome, reason }) => {
        if (outcome === 'stored') metrics.pagesReceived.inc({ source });
        else if (outcome === 'duplicate') metrics.pagesDeduplicated.inc({ source });
        else metrics.pagesFailed.inc({ source, reason: reason ?? 'refused' });
      },
    }),
  ];
  // Checked before Bolt starts, so Bolt never calls auth.test itself: a restart during a Slack outage
  // starts with the identity remembered from the last run instead of failing every request.
  const identity = await checkSlackIdentity({ config, clientOptions, store, log, release: writer.release });
  const app = new App({
    token: config.slackBotToken,
    botId: identity.botId,
    botUserId: identity.userId,
    // checkSlackIdentity verified the token already; Bolt's own check would fail a start during an outage.
    tokenVerificationEnabled: false,
    signingSecret: config.slackSigningSecret,
    deferInitialization: true,
    processBeforeResponse: options.processBeforeResponse ?? false,
    clientOptions,
    customRoutes: routes,
    logLevel: toBoltLevel(config.logLevel),
    // Bolt, its Web API client and its socket client log through pino: JSON lines, redacted.
    logger: boltLogger(log),
    ...(config.mode === 'socket'
      ? {
          socketMode: true,
          appToken: config.slackAppToken,
          // The socket client writes defaults into the object it gets: give it its own copy.
          installerOptions: { port: config.port, clientOptions: { ...clientOptions } },
        }
      : {}),
  });

  await app.init();
  const botUserId = identity.userId;

  const workflow = new IncidentWorkflow(app.client, service, runbooks, botUserId, log, now);
  // A probe without the client's own retries: it answers in one round trip whether Slack is back.
  const probeClient = new WebClient(config.slackBotToken, { ...clientOptions, retryConfig: { retries: 0 } });
  const integrations = wireIntegrations({
    config,
    store,
    service,
    runbooks,
    post: (incidentId, key, text) => {
      jobs.enqueue([postJob(incidentId, key, { text, blocks: [section(text)] }, { lane: 'updates' })]);
    },
  });
  githubFollowups = integrations;
  const jobs = new JobRunner({
    queue: store.jobs,
    handlers: {
      ...openJobHandlers({ client: app.client, service, runbooks, workflow, botUserId, log, now }),
      ...integrations.handlers,
    },
    owner: writer.owner,
    log,
    now,
    tickMs: config.jobTickMs,
    backoffMaxMs: config.jobBackoffMaxMs,
    isRetryable: (error) => isTransient(error) || isRetryableIntegrationError(error),
    probe: async () => (await probeClient.auth.test()).ok === true,
    observe: (job, outcome) => metrics.sideEffectAttempts.inc({ kind: job.kind, outcome }),
  });
  workflow.jobs = jobs;
  service.onPinned = (entry) => {
    const notes = integrations.noteJobs(entry);
    if (notes.length > 0) jobs.enqueue(notes);
  };
  postmortems.onFollowupAdded = (followup) => {
    const job = integrations.followupJob(followup);
    if (job) jobs.enqueue([job]);
  };
  workflow.publishStatus = (incident, update) => {
    const job = integrations.publishJob(incident, update);
    if (job) jobs.enqueue([job]);
  };
  const access = new IncidentAccess(app.client, log);
  const home = new HomePublisher(app.client, service, runbooks, access, log, now);
  home.aftermath = postmortems;
  workflow.onChange(async (incidentId, what) => {
    if (what === 'declared') {
      const incident = service.get(incidentId);
      metrics.incidentsDeclared.inc({ severity: incident.severity, source: incident.source });
    }
    home.refreshInBackground();
    // Only when there is something to do: an empty enqueue would still start a background drain.
    const more = integrations.jobsFor(incidentId);
    if (more.length > 0) jobs.enqueue(more);
  });
  const review: ReviewDeps = { store, runbooks, post: (channel, m) => workflow.post(channel, m), log, now };
  const reload = (): ReloadResult => {
    try {
      const result = reloadRunbookSet(config.runbooksDir, now(), runbookSet);
      runbookSet = result.set;
      planReview(review);
      metrics.runbookReloads.inc({ outcome: result.problems.length ? 'partial' : 'ok' });
      if (result.problems.length) {
        log.warn(
          { problems: result.problems, kept: result.kept, runbooks: result.set.catalog.runbooks.length },
          'runbooks reloaded with problems: broken files keep their previous version; fix them and reload again',
        );
      } else log.info({ runbooks: result.set.catalog.runbooks.length }, 'runbooks reloaded');
      return result;
    } catch (error) {
      metrics.runbookReloads.inc({ outcome: 'failed' });
      // A policy problem is the operator's to fix (its message says how); anything else is a defect to report.
      const detail = error instanceof RunbookSetError ? { problem: error.message } : { err: error };
      log.error(detail, 'runbook reload failed: the previous runbooks and policy stay in use');
      throw error;
    }
  };
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
  const choices = new StepChoices(store, service);
  workflow.phasePrompt = phasePromptFor(choices, runbooks);
  const deps = {
    choices,
    diagnostics,
    service,
    postmortems,
    workflow,
    runbooks,
    log,
    now,
    reload,
    timekeeper,
    access,
    home,
    doctor: () => runDoctor({ config, now: now() }),
  };
  app.use(handlerTimer(metrics));
  // Slack retries events and can deliver a command or click twice: each is acted on once.
  app.use(dedupeRequests(store.idempotency, log));
  app.use(privateGuard({ service, access, workflow }));
  registerListeners(app, deps);
  intake = createIntake({
    store,
    service,
    runbooks,
    sink: new SlackPageSink(workflow, service, log),
    botUserId,
    log,
    now,
    ...(options.channelRate ? { channelRate: options.channelRate } : {}),
    onFailed: (item) => metrics.pagesFailed.inc({ source: item.source, reason: 'processing' }),
    onDeduplicated: (source) => metrics.pagesDeduplicated.inc({ source }),
  });
  const pages = intake;
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  const started = config.mode === 'http' ? await app.start(config.port) : await app.start();
  const server = isServer(started) ? started : null;
  if (config.mode === 'socket') watchSocket(app, slackHealth);
  const port = server
    ? (server.address() as AddressInfo).port
    : config.mode === 'socket'
      ? config.port
      : null;
  const scheduler = new Scheduler({
    store,
    handlers: {
      ...timerHandlers(deps),
      [RUNBOOK_REVIEW]: runbookReviewHandler(review),
      [PRUNE_KIND]: pruneHandler(store, log, config.inboxRetentionMs),
    },
    log,
    now,
    tickSeconds: config.schedulerTickSeconds,
    observe: (timer, lateMs) => {
      metrics.timersDue.inc({ kind: timer.kind });
      metrics.timerLatenessSeconds.observe({ kind: timer.kind }, lateMs / 1000);
      // Later than a tick means the bot was down or blocked when the timer came due.
      if (lateMs > config.schedulerTickSeconds * 1000) metrics.timersFiredLate.inc({ kind: timer.kind });
    },
  });
  planReview(review);
  ensurePrune(store, now());
  postmortems.reminders.ensureFollowupCheck();
  // After the app is up, so timers that came due while the bot was down can post; they fire once, late.
  await scheduler.start();
  // Side effects queued before a restart (a declare made while Slack was down) run now.
  jobs.start();
  // Pages stored before a restart (or a crash) are processed now, once.
  pages.worker.start();
  // Incidents declared by hand whose channel was never opened (the process died mid-declare) open now.
  finishInterruptedDeclares(service, workflow, log);
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
    metrics,
    home,
    reload,
    intake: pages,
    jobs,
    async stop() {
      await pages.worker.stop();
      await jobs.stop();
      await scheduler.stop();
      await home.settled();
      await app.stop();
      await diagnostics.settled();
      writer.release();
      store.close();
    },
  };
}

/** Plans the weekly runbook review (issue 10); a failure is logged, never stops the bot. */
function planReview(review: ReviewDeps): void {
  try {
    const next = planRunbookReview(review);
    review.log.debug({ next: next?.toISOString() ?? null }, 'weekly runbook review planned');
  } catch (error) {
    review.log.error({ err: error }, 'could not plan the weekly runbook review');
  }
}
