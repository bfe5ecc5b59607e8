import type { Job, JobCounts, NewJob } from '../domain/records.ts';
import type { Logger } from '../log.ts';
import { HeldLeases } from '../usecases/leases.ts';
import type { JobStore } from '../usecases/ports/store.ts';

/** What the runner needs of the database (SQLite or PostgreSQL): claims with a lease, per owner. */
export type JobQueue = Pick<
  JobStore,
  'enqueue' | 'claim' | 'renew' | 'complete' | 'retry' | 'fail' | 'wakeRetrying' | 'counts'
>;

/** How an attempt ended; `taken_over`: another replica claimed the job while it ran here, and owns its outcome. */
export type JobOutcome = 'done' | 'retry' | 'failed' | 'taken_over';

/** Performs one kind of side effect. Must be idempotent: after a crash or a lease lapse it runs again. */
export type JobHandler = (job: Job) => Promise<void>;

export interface JobRunnerOptions {
  queue: JobQueue;
  handlers: Readonly<Record<string, JobHandler>>;
  /** This process, as written into claimed_by. */
  owner: string;
  log: Logger;
  now?: () => Date;
  /** How often the queue is scanned for due jobs (also kicked after each enqueue). */
  tickMs?: number;
  /** Backoff after a transient failure: 1 s doubling, capped here. */
  backoffMaxMs?: number;
  /** A job still failing this long after it was queued fails for good. */
  giveUpAfterMs?: number;
  leaseMs?: number;
  /**
   * Asks Slack whether it answers again (a cheap call without client retries). While jobs wait out a
   * backoff, the runner probes every `probeEveryMs`; on success the waiting jobs are due at once, so
   * Slack's return costs seconds, not the rest of a backoff.
   */
  probe?: () => Promise<boolean>;
  probeEveryMs?: number;
  /** Failures worth retrying (network, 5xx, rate limits); anything else fails the job for good. */
  isRetryable: (error: unknown) => boolean;
  /** Told of each finished attempt, for metrics. */
  observe?: (job: Job, outcome: JobOutcome) => void;
}

const BACKOFF_BASE_MS = 1_000;
const CLAIM_BATCH = 20;

export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { data, message } = error as { data?: { error?: unknown }; message?: unknown };
    if (typeof data?.error === 'string') return data.error;
    if (typeof message === 'string') return message.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/** How long the other side asked us to wait (a 429's Retry-After), when the error carries it. */
function retryAfterOf(error: unknown): number {
  const wait = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof wait === 'number' && Number.isFinite(wait) ? wait : 0;
}

/**
 * Runs durable side-effect jobs: claims them with a lease, runs each incident's jobs in order, retries
 * transient failures with backoff and fails the rest for good. Jobs of different incidents run side by side.
 */
export class JobRunner {
  readonly #o: Required<Omit<JobRunnerOptions, 'probe' | 'observe'>> &
    Pick<JobRunnerOptions, 'probe' | 'observe'>;
  #timer: NodeJS.Timeout | null = null;
  #draining: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #lastProbe = 0;
  /** Jobs running in this process, by incident, so a caller can wait for its incident's turn. */
  readonly #inFlight = new Map<number | null, Promise<void>>();
  /** The jobs this process runs, by id: their leases renewed, never claimed again here meanwhile. */
  readonly #leases: HeldLeases<Job>;

  constructor(options: JobRunnerOptions) {
    this.#o = {
      now: () => new Date(),
      tickMs: 1_000,
      backoffMaxMs: 30_000,
      giveUpAfterMs: 24 * 3_600_000,
      leaseMs: 2 * 60_000,
      probeEveryMs: 5_000,
      ...options,
    };
    const { queue, owner, leaseMs, log } = this.#o;
    this.#leases = new HeldLeases<Job>({
      what: 'job',
      renew: (jobs) =>
        queue.renew(
          owner,
          jobs.map((job) => job.id),
          leaseMs,
        ),
      leaseMs,
      log,
    });
  }

  start(): void {
    this.#stopped = false;
    this.#leases.start();
    this.#timer = setInterval(() => this.#tick(), this.#o.tickMs);
    this.#timer.unref();
    this.kick();
  }

  /** Queues jobs (idempotently, by key) and starts running them in the background. */
  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    const added = await this.#o.queue.enqueue(jobs);
    this.kick();
    return added;
  }

  kick(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#again = false;
    // A kick that arrives while a drain finishes (the drain may end without awaiting anything) starts the next.
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#again) this.kick();
    });
  }

  /**
   * Runs the incident's due jobs now, in order, and returns when none is left to run now: all done, or the
   * rest wait out a backoff (the runner retries them later). Used where a person waits for the result.
   */
  async runIncident(incidentId: number): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      await this.#inFlight.get(incidentId);
      const [job] = await this.#claim({ limit: 1, incidentId });
      if (!job) {
        if (this.#inFlight.has(incidentId)) continue;
        return;
      }
      // A retried job waits out its backoff; the incident's other lanes carry on meanwhile.
      await this.#track(job);
    }
  }

  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
    await Promise.all(this.#inFlight.values());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.idle();
    this.#leases.stop();
  }

  /** Renews the leases of the jobs running here (the renewal timer does this every third of a lease). */
  renewLeases(): Promise<void> {
    return this.#leases.renew();
  }

  async #claim(request: { limit: number; incidentId?: number }): Promise<Job[]> {
    const { owner, leaseMs } = this.#o;
    const jobs = await this.#o.queue.claim({ owner, leaseMs, ...request, skip: this.#leases.inFlight() });
    this.#leases.hold(jobs);
    return jobs;
  }

  #tick(): void {
    this.kick();
    void this.#maybeProbe();
  }

  async #maybeProbe(): Promise<void> {
    const { probe, probeEveryMs } = this.#o;
    const now = Date.now();
    if (!probe || this.#stopped || now - this.#lastProbe < probeEveryMs) return;
    let counts: JobCounts;
    try {
      counts = await this.#o.queue.counts();
    } catch {
      return;
    }
    if (counts.retrying === 0) return;
    this.#lastProbe = now;
    if (await probe().catch(() => false)) {
      const woken = await this.#o.queue.wakeRetrying().catch(() => 0);
      if (woken > 0)
        this.#o.log.info({ jobs: woken }, 'Slack answers again: retrying the waiting side effects now');
      this.kick();
    }
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      let jobs: Job[];
      try {
        jobs = await this.#claim({ limit: CLAIM_BATCH });
      } catch (error) {
        this.#o.log.error({ err: error }, 'could not read the job queue; retrying on the next tick');
        return;
      }
      if (jobs.length === 0) return;
      // Each claimed job heads its lane, so they run side by side without breaking order.
      await Promise.all(jobs.map((job) => this.#track(job)));
    }
  }

  #track(job: Job): Promise<JobOutcome> {
    const run = this.#run(job);
    const settled = run.then(() => undefined);
    this.#inFlight.set(job.incidentId, settled);
    void settled.then(() => {
      if (this.#inFlight.get(job.incidentId) === settled) this.#inFlight.delete(job.incidentId);
    });
    return run;
  }

  async #run(job: Job): Promise<JobOutcome> {
    const handler = this.#o.handlers[job.kind];
    let failure: { error: unknown } | null = null;
    this.#o.log.debug({ job: job.id, kind: job.kind, incident: job.incidentId }, 'running a side effect');
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job);
    } catch (error) {
      failure = { error };
    }
    let outcome: JobOutcome = 'retry';
    try {
      outcome = this.#leases.settle(job.id) ? await this.#record(job, failure) : 'taken_over';
    } catch (error) {
      // The database did not take the outcome: the claim's lease runs out and the job runs again (it is
      // idempotent), rather than an unhandled rejection ending the process.
      this.#o.log.error({ err: error, job: job.id }, 'could not record a side effect outcome; it runs again');
    } finally {
      this.#leases.release(job.id);
    }
    this.#o.observe?.(job, outcome);
    return outcome;
  }

  async #record(job: Job, failure: { error: unknown } | null): Promise<'done' | 'retry' | 'failed'> {
    const { queue, owner, log } = this.#o;
    if (!failure) {
      await queue.complete(job.id, owner);
      return 'done';
    }
    const { error } = failure;
    const jobLog = log.child({
      job: job.id,
      kind: job.kind,
      incident: job.incidentId,
      attempt: job.attempts,
    });
    const now = this.#o.now();
    const reason = describe(error);
    const age = now.getTime() - Date.parse(job.createdAt);
    if (this.#o.isRetryable(error) && age < this.#o.giveUpAfterMs) {
      const wait = Math.max(backoffMs(job.attempts, this.#o.backoffMaxMs), retryAfterOf(error));
      const at = new Date(now.getTime() + wait);
      await queue.retry(job.id, owner, reason, at);
      jobLog.warn({ error: reason, retryAt: at }, 'a Slack side effect failed; it is retried');
      return 'retry';
    }
    await queue.fail(job.id, owner, reason);
    jobLog.error({ err: error }, 'a Slack side effect failed for good');
    return 'failed';
  }
}
