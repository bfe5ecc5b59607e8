import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { type FetchFunction, type RetryOptions, WebClient } from '@slack/web-api';
import { laterChatJobHandlers } from './app/chatJobs.ts';
import { assignedTasks, homeViewers } from './app/course.ts';
import { httpRoutes } from './app/httpRoutes.ts';
import { type IntegrationWiring, isRetryableIntegrationError, wireIntegrations } from './app/integrations.ts';
import { planReview, runbookReloader } from './app/reload.ts';
import {
  checkSlackIdentity,
  isServer,
  openStore,
  StartupError,
  toBoltLevel,
  watchSocket,
} from './app/startup.ts';
import { buildUseCases, observeTimers } from './app/useCases.ts';
import { runDoctor } from './doctor.ts';
import type { NewJob } from './domain/records.ts';
import { createIntake, type Intake } from './intake/index.ts';
import { createMetrics } from './metrics.ts';
import { timerHandlers } from './scheduler/handlers/index.ts';
import { ensurePrune, PRUNE_KIND, pruneHandler } from './scheduler/handlers/prune.ts';
import { type ReviewDeps, RUNBOOK_REVIEW, runbookReviewHandler } from './scheduler/handlers/runbookReview.ts';
import { JobRunner } from './scheduler/jobRunner.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { CourseService } from './services/courseService.ts';
import { DiagnosticsService } from './services/diagnosticsService.ts';
import { IncidentService } from './services/incidentService.ts';
import { PostmortemService } from './services/postmortemService.ts';
import { openRunbookSet } from './services/runbookSet.ts';
import { StepChoices } from './services/stepChoices.ts';
import { StepService } from './services/stepService.ts';
import { Timekeeper } from './services/timekeeper.ts';
import { IncidentAccess } from './slack/access.ts';
import { section } from './slack/blocks/kit.ts';
import { reviewMessage } from './slack/blocks/review.ts';
import { boltLogger } from './slack/boltLogger.ts';
import { channelBudget } from './slack/channelPacing.ts';
import { dedupeRequests } from './slack/dedupe.ts';
import { isTransient } from './slack/errors.ts';
import { HomePublisher } from './slack/home.ts';
import { handlerTimer, instrumentedFetch, SlackHealth } from './slack/instrumentation.ts';
import { registerListeners } from './slack/listeners/index.ts';
import { privateGuard } from './slack/listeners/privateGuard.ts';
import { IncidentsBeingOpened, openJobHandlers, postJob } from './slack/openJobs.ts';
import { phasePromptFor } from './slack/phasePrompt.ts';
import { slackTimerActions } from './slack/timerActions.ts';
import { IncidentWorkflow } from './slack/workflow.ts';
import { finishInterruptedDeclares } from './usecases/recovery.ts';

export type { Bot, BotOptions } from './app/botTypes.ts';

import type { Bot, BotOptions } from './app/botTypes.ts';

/** One Slack API attempt: a call that hangs fails and is retried instead of holding its job past its lease. */
const SLACK_CALL_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY: RetryOptions = { retries: 5, factor: 2, minTimeout: 250, maxTimeout: 2000 };
/** DEFAULT_RETRY's schedule starting at `minMs` (SLACK_RETRY_MIN_MS): the tests replay a long outage faster. */
const retryFrom = (minMs: number): RetryOptions => ({
  ...DEFAULT_RETRY,
  minTimeout: minMs,
  maxTimeout: minMs * 8,
});

export { StartupError };

/** Builds and starts the whole bot: store, runbooks, services, the Bolt app and its HTTP routes. */
export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  let runbookSet = await openRunbookSet(config.runbooksDir, now());
  const runbooks = () => runbookSet;
  const writer = await openStore(config, now, log);
  const { store } = writer;
  const timekeeper = new Timekeeper(store, runbooks, now);
  // Jobs for the integrations, queued once the job runner exists (it does before any listener, timer or page runs).
  const enqueue = async (batch: readonly NewJob[]): Promise<void> => {
    // Only when there is something to do: an empty enqueue would still start a background drain.
    if (batch.length > 0) await jobs.enqueue(batch);
  };
  // From callers that cannot wait: a queue that refuses the write is logged, never an unhandled rejection.
  const enqueueLater = (batch: readonly NewJob[]): void => {
    enqueue(batch).catch((error: unknown) => log.error({ err: error }, 'could not queue side effects'));
  };
  const service = new IncidentService(store, runbooks, timekeeper, async (entry) =>
    enqueue(await integrations.noteJobs(entry)),
  );
  const steps = new StepService(store, service);
  const postmortems = new PostmortemService(store, runbooks, now, async (followup) => {
    // Filed in the issue tracker once the integrations and the job runner exist (they do before any listener runs).
    const job = await integrations.followupJob(followup);
    if (job) await jobs.enqueue([job]);
  });
  const metrics = createMetrics({
    processMetrics: options.processMetrics ?? false,
    countIncidents: () => store.incidentCounts(),
    countJobs: () => store.jobs.counts(),
    responseTimes: (days) => postmortems.stats(days),
    replica: config.replicaId,
  });
  const slackHealth = new SlackHealth();

  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: options.retryConfig ?? retryFrom(config.slackRetryMinMs),
    timeout: SLACK_CALL_TIMEOUT_MS,
    // Every client Bolt makes copies these options, so this one fetch counts every Slack API call.
    fetch: instrumentedFetch(metrics, slackHealth, globalThis.fetch as FetchFunction),
  };
  let intake: Intake | null = null;
  // Set once the integrations are wired (after the app): the route only reads it when a request arrives.
  let githubFollowups: IntegrationWiring | null = null;
  const routes = httpRoutes({
    config,
    store,
    metrics,
    slackHealth,
    runbooks,
    postmortems,
    log,
    integrations: () => githubFollowups,
    intake: () => intake,
  });
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

  const diagnosticsService = new DiagnosticsService(service, runbooks, {
    prometheusUrl: config.prometheusUrl,
    databases: config.diagnosticsDatabases,
    now,
  });
  const choices = new StepChoices(store, service);
  const beingOpened = new IncidentsBeingOpened();
  const workflow: IncidentWorkflow = new IncidentWorkflow(
    app.client,
    service,
    runbooks,
    botUserId,
    {
      beingOpened,
      jobs: {
        enqueue: (batch) => jobs.enqueue(batch),
        // This caller's claim takes the incident's first job (the channel) at once; the runner's drain, kicked
        // a turn later, takes the other lanes' heads. Kicked first, the drain claimed them all and this
        // caller's claim, on the way to the channel, found nothing.
        enqueueAndRun: async (incidentId, batch) => {
          await store.jobs.enqueue(batch);
          setImmediate(() => jobs.kick());
          await jobs.runIncident(incidentId);
        },
      },
      stepDiagnostics: (incidentId, stepNumber) => diagnosticsService.forStep(incidentId, stepNumber),
      phasePrompt: phasePromptFor(choices, runbooks),
      escalated: async (incidentId) => enqueue(await integrations.escalated(incidentId)),
      statuspagePreview: (incident, update) => integrations.statusPreview(incident, update),
      publishStatus: (incident, update) => {
        const job = integrations.publishJob(incident, update);
        if (job) enqueueLater([job]);
      },
    },
    log,
    now,
  );
  // A probe without the client's own retries: it answers in one round trip whether Slack is back.
  const probeClient = new WebClient(config.slackBotToken, { ...clientOptions, retryConfig: { retries: 0 } });
  const integrations = wireIntegrations({
    config,
    now,
    statuspageIntervalMs: options.statuspageIntervalMs,
    store,
    service,
    runbooks,
    post: (incidentId, key, text) => {
      enqueueLater([postJob(incidentId, key, { text, blocks: [section(text)] }, { lane: 'updates' })]);
    },
  });
  githubFollowups = integrations;
  const { pacer, pages: pagePace } = channelBudget(options.channelRate); // one budget for both
  const jobs: JobRunner = new JobRunner({
    queue: store.jobs,
    handlers: {
      ...openJobHandlers({
        client: app.client,
        service,
        runbooks,
        workflow,
        botUserId,
        log,
        now,
        pacer,
        beingOpened,
      }),
      ...laterChatJobHandlers({ client: app.client, service, workflow }),
      ...integrations.handlers,
    },
    owner: writer.owner,
    leaseMs: config.leaseMs,
    log,
    now,
    tickMs: config.jobTickMs,
    backoffMaxMs: config.jobBackoffMaxMs,
    isRetryable: (error) => isTransient(error) || isRetryableIntegrationError(error),
    probe: async () => (await probeClient.auth.test()).ok === true,
    probeEveryMs: config.slackProbeMs,
    observe: (job, outcome) => metrics.sideEffectAttempts.inc({ kind: job.kind, outcome }),
  });
  const access = new IncidentAccess(app.client, log);
  const course = new CourseService(store, service, runbooks, timekeeper);
  const tasks = assignedTasks(course, service);
  // Replicas share who looked at App Home, and keep no snapshot that a change on another would not clear.
  const replicas = store.kind === 'postgres' ? { viewers: homeViewers(store.heartbeats), cacheMs: 0 } : null;
  const home = new HomePublisher(
    app.client,
    service,
    runbooks,
    access,
    postmortems,
    tasks,
    log,
    now,
    replicas,
  );
  workflow.onChange(async (incidentId, what) => {
    if (what === 'declared') {
      const incident = await service.get(incidentId);
      metrics.incidentsDeclared.inc({ severity: incident.severity, source: incident.source });
    }
    home.refreshInBackground();
    enqueue(await integrations.jobsFor(incidentId));
  });
  const review: ReviewDeps = {
    store,
    runbooks,
    post: (channel, batch) => workflow.post(channel, reviewMessage(batch)),
    log,
    now,
  };
  const reload = runbookReloader({
    runbooksDir: config.runbooksDir,
    current: runbooks,
    replace: (set) => {
      runbookSet = set;
    },
    afterReload: () => planReview(review),
    metrics,
    log,
    now,
  });
  const rules = { storePort: store, service, steps, choices, postmortems, timekeeper, course };
  const useCases = buildUseCases({
    ...rules,
    diagnostics: diagnosticsService,
    workflow,
    home,
    runbooks,
    config,
    log,
    now,
  });
  const { diagnostics } = useCases;
  const deps = {
    choices,
    ...useCases,
    steps,
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
    sink: useCases.pages,
    botUserId,
    log,
    now,
    channelRate: pagePace,
    leaseMs: config.leaseMs,
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
    owner: writer.owner,
    leaseMs: config.leaseMs,
    isOpen: () => store.isOpen(),
    handlers: {
      ...timerHandlers(slackTimerActions(useCases)),
      [RUNBOOK_REVIEW]: runbookReviewHandler(review),
      [PRUNE_KIND]: pruneHandler(store, log, config.inboxRetentionMs),
    },
    log,
    isRetryable: isTransient,
    now,
    tickSeconds: config.schedulerTickSeconds,
    observe: observeTimers(metrics, config.schedulerTickSeconds),
  });
  await planReview(review);
  await ensurePrune(store, now());
  await postmortems.reminders.ensureFollowupCheck();
  // After the app is up, so timers that came due while the bot was down can post; they fire once, late.
  await scheduler.start();
  // Side effects queued before a restart (a declare made while Slack was down) run now.
  jobs.start();
  // Pages stored before a restart (or a crash) are processed now, once.
  pages.worker.start();
  // Incidents declared by hand whose channel was never opened (the process died mid-declare) open now.
  await finishInterruptedDeclares({ store, chat: useCases.chat, log });
  log.info({ mode: config.mode, port, runbooks: runbookSet.catalog.runbooks.length }, 'incident-bot started');

  return {
    app,
    store,
    service,
    steps,
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
      await store.close();
    },
  };
}
