import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from '../config.ts';
import type { Intake, TokenBucket } from '../intake/index.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { JobRunner } from '../scheduler/jobRunner.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { ReloadResult, RunbookSet } from '../services/runbookSet.ts';
import type { StepService } from '../services/stepService.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { IncidentWorkflow } from '../slack/workflow.ts';
import type { AsyncStore } from '../store/sql/index.ts';
import type { DiagnosticsRuns } from '../usecases/diagnostics.ts';

// What startBot takes and gives (src/bot.ts), apart so the composition root stays one readable function.

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
  /** Spacing of Statuspage calls (default its rate limit, 1 s); tests pass a short one. */
  statuspageIntervalMs?: number;
}

export interface Bot {
  app: App;
  /** SQLite at DATABASE_PATH, or the PostgreSQL at DATABASE_URL that every replica shares. */
  store: AsyncStore;
  service: IncidentService;
  /** Tick, mark done, skip, reopen. */
  steps: StepService;
  workflow: IncidentWorkflow;
  diagnostics: DiagnosticsRuns;
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
