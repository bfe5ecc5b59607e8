import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SeverityStats } from './domain/stats.ts';

/**
 * The bot's own Prometheus metrics, served at GET /metrics. One registry per bot instance (not
 * prom-client's global one), so tests can run several bots in one process and each counts its own.
 *
 * Metrics that other parts feed are defined here with their names fixed, so every feeder shares them:
 * intake (`pagesReceived`, `pagesDeduplicated`, `pagesFailed`) and the scheduler (`timersDue`,
 * `timersFiredLate`, `timerLatenessSeconds`).
 */
export interface Metrics {
  registry: Registry;
  /** Incidents in the database by severity and status; set from the store on every scrape. */
  incidents: Gauge<'severity' | 'status'>;
  /** Mean response times over the last RESPONSE_WINDOW_DAYS, per severity and measure (mttd, mtta, mttm, mttr). */
  responseTimeSeconds: Gauge<'severity' | 'measure'>;
  incidentsDeclared: Counter<'severity' | 'source'>;
  pagesReceived: Counter<'source'>;
  pagesDeduplicated: Counter<'source'>;
  pagesFailed: Counter<'source' | 'reason'>;
  timersDue: Counter<'kind'>;
  timersFiredLate: Counter<'kind'>;
  timerLatenessSeconds: Histogram<'kind'>;
  slackApiCalls: Counter<'method' | 'outcome'>;
  slackRateLimited: Counter<'method'>;
  slackApiDurationSeconds: Histogram<'method'>;
  handlerDurationSeconds: Histogram<'kind' | 'name'>;
  runbookReloads: Counter<'outcome'>;
  /** Slack side effects in the job queue by state (queued, retrying, failed); set on every scrape. */
  sideEffects: Gauge<'state'>;
  /** Attempts of Slack side effects by kind and outcome (done, retry, failed). */
  sideEffectAttempts: Counter<'kind' | 'outcome'>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag); off in tests that start many bots. */
  processMetrics?: boolean;
  /** Called on each scrape to fill the incident gauge: one row per (severity, status) present. */
  countIncidents?: () => IncidentCount[] | Promise<IncidentCount[]>;
  /** Called on each scrape to fill the response-time gauge: MTTD/MTTA/MTTM/MTTR per severity (drills excluded). */
  responseTimes?: (days: number) => Promise<readonly SeverityStats[]>;
  /** Called on each scrape to fill the side-effect gauge from the job queue. */
  countJobs?: () => JobGauge | Promise<JobGauge>;
  /**
   * Added as a `replica` label to every series: behind a load balancer each replica counts only what it
   * handled, so two replicas' counters must not look like one restarting process.
   */
  replica?: string | undefined;
}

type IncidentCount = { severity: string; status: string; count: number };
type JobGauge = { queued: number; retrying: number; failed: number };

const PREFIX = 'incident_bot_';
/** The window of the response-time gauge, the same as App Home's. */
export const RESPONSE_WINDOW_DAYS = 30;
const MEASURES = ['mttd', 'mtta', 'mttm', 'mttr'] as const;

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.replica) registry.setDefaultLabels({ replica: options.replica });
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  const countIncidents = options.countIncidents;
  const countJobs = options.countJobs;
  const responseTimes = options.responseTimes;

  return {
    registry,
    incidents: new Gauge({
      name: `${PREFIX}incidents`,
      help: 'Incidents in the database by severity and status (open and past ones).',
      labelNames: ['severity', 'status'],
      registers,
      // Async, so a PostgreSQL store can answer; prom-client awaits it before the scrape is written.
      async collect() {
        if (!countIncidents) return;
        const rows = await countIncidents();
        this.reset();
        for (const row of rows) this.set({ severity: row.severity, status: row.status }, row.count);
      },
    }),
    responseTimeSeconds: new Gauge({
      name: `${PREFIX}response_time_seconds`,
      help: `Mean time to detect, acknowledge, mitigate and resolve over the last ${RESPONSE_WINDOW_DAYS} days, from the incident times (drills excluded).`,
      labelNames: ['severity', 'measure'],
      registers,
      // Async: prom-client awaits collect, and the figures come from the async store port.
      async collect() {
        if (!responseTimes) return;
        const rows = await responseTimes(RESPONSE_WINDOW_DAYS);
        this.reset();
        for (const row of rows) {
          for (const measure of MEASURES) {
            const ms = row[`${measure}Ms`];
            // A measure with no incident behind it is left out rather than reported as 0.
            if (ms !== null) this.set({ severity: row.severity, measure }, ms / 1000);
          }
        }
      },
    }),
    incidentsDeclared: new Counter({
      name: `${PREFIX}incidents_declared_total`,
      help: 'Incidents declared since start, by severity and source (slash, modal, alertmanager, ...).',
      labelNames: ['severity', 'source'],
      registers,
    }),
    pagesReceived: new Counter({
      name: `${PREFIX}pages_received_total`,
      help: 'Pages (alert webhooks) received and stored, by source.',
      labelNames: ['source'],
      registers,
    }),
    pagesDeduplicated: new Counter({
      name: `${PREFIX}pages_deduplicated_total`,
      help: 'Pages that joined an existing incident or repeated a delivery instead of opening a new one, by source.',
      labelNames: ['source'],
      registers,
    }),
    pagesFailed: new Counter({
      name: `${PREFIX}pages_failed_total`,
      help: 'Pages rejected (auth, payload) or that failed processing, by source and reason.',
      labelNames: ['source', 'reason'],
      registers,
    }),
    timersDue: new Counter({
      name: `${PREFIX}timers_due_total`,
      help: 'Durable timers handed out by a scheduler tick, by kind (escalation, status_update, ...).',
      labelNames: ['kind'],
      registers,
    }),
    timersFiredLate: new Counter({
      name: `${PREFIX}timers_fired_late_total`,
      help: 'Timers that fired more than one scheduler tick after they were due, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    timerLatenessSeconds: new Histogram({
      name: `${PREFIX}timer_lateness_seconds`,
      help: 'How long after its due time each timer fired, by kind.',
      labelNames: ['kind'],
      buckets: [1, 5, 15, 30, 60, 300, 900, 3600],
      registers,
    }),
    slackApiCalls: new Counter({
      name: `${PREFIX}slack_api_calls_total`,
      help: 'Slack Web API HTTP requests by method and outcome: ok, the Slack error code, ratelimited, http_<status> or network_error. Retries count again.',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    slackRateLimited: new Counter({
      name: `${PREFIX}slack_api_rate_limited_total`,
      help: 'Slack Web API answers with HTTP 429 (rate limited), by method.',
      labelNames: ['method'],
      registers,
    }),
    slackApiDurationSeconds: new Histogram({
      name: `${PREFIX}slack_api_duration_seconds`,
      help: 'Duration of one Slack Web API HTTP request, by method.',
      labelNames: ['method'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    handlerDurationSeconds: new Histogram({
      name: `${PREFIX}slack_handler_duration_seconds`,
      help: 'Time from a Slack request (command, action, view, event) reaching the bot to its handler finishing, after the ack.',
      labelNames: ['kind', 'name'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    runbookReloads: new Counter({
      name: `${PREFIX}runbook_reloads_total`,
      help: 'Runbook reloads (SIGHUP or /incident runbooks reload) by outcome: ok, partial (a broken file kept its previous version) or failed (policy broken, nothing changed).',
      labelNames: ['outcome'],
      registers,
    }),
    sideEffects: new Gauge({
      name: `${PREFIX}side_effects`,
      help: 'Slack side effects (open a channel, post, invite, reply) in the durable queue: queued (waiting or running, retrying included), retrying (failed at least once, waiting for the next attempt), failed (for good).',
      labelNames: ['state'],
      registers,
      async collect() {
        if (!countJobs) return;
        const counts = await countJobs();
        this.set({ state: 'queued' }, counts.queued);
        this.set({ state: 'retrying' }, counts.retrying);
        this.set({ state: 'failed' }, counts.failed);
      },
    }),
    sideEffectAttempts: new Counter({
      name: `${PREFIX}side_effect_attempts_total`,
      help: 'Attempts at Slack side effects by job kind and outcome: done, retry (transient failure, retried with backoff), failed (for good) or taken_over (another replica claimed it while it ran here).',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
  };
}
