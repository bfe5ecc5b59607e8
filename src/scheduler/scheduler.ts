import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { formatDuration } from '../domain/duration.ts';
import type { Logger } from '../log.ts';
// Which failures are worth retrying is Slack's knowledge; the scheduler only acts on the answer.

import { SCHEDULER_HEARTBEAT, type Timer } from '../domain/timer.ts';
import { withDurableKeys } from '../usecases/durableKeys.ts';
import { HeldLeases } from '../usecases/leases.ts';
import type { StoreRepositories } from '../usecases/ports/store.ts';

/** Retries of a timer whose handler met a Slack outage: 30 s, 1, 2, 4, 8 min, then every 15 min; about an hour in all. */
const MAX_RETRIES = 8;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 15 * 60_000;
/** Below this a timer counts as on time: a tick every few seconds always fires a little after due. */
export const LATE_NOTICE_MS = 60_000;
/**
 * Timers leased per claim; a tick keeps claiming until none are due. Small, so that a batch fires well
 * within its lease even when each handler waits on a slow Slack: past the lease another replica may take
 * a timer over.
 */
const CLAIM_BATCH = 10;
const DEFAULT_LEASE_MS = 2 * 60_000;
/** How long start waits for the catch-up tick before the bot serves anyway. */
const START_WAIT_MS = 10_000;

export interface Firing {
  now: Date;
  lateMs: number;
  /** " (fired 12 min late)" when the bot was down or busy at the due time, else "". */
  late: string;
}

/** Fires one kind of timer. One module a kind, registered in handlers/index.ts. */
export type TimerHandler = (timer: Timer, firing: Firing) => Promise<void>;

export function lateNote(lateMs: number): string {
  return lateMs >= LATE_NOTICE_MS ? ` (fired ${formatDuration(lateMs)} late)` : '';
}

/**
 * node-cron wants a field for the interval: seconds below a minute, else whole minutes (at most hourly).
 * Ticks only scan SQLite, so a coarser interval delays a timer, never loses it.
 */
export function cronExpression(tickSeconds: number): string {
  if (tickSeconds < 60) return `*/${Math.max(1, Math.floor(tickSeconds))} * * * * *`;
  const minutes = Math.round(tickSeconds / 60);
  return minutes < 60 ? `0 */${minutes} * * * *` : '0 0 * * * *';
}

export interface SchedulerOptions {
  store: Pick<StoreRepositories, 'timers' | 'heartbeats'>;
  /** This process, as written into claimed_by; default hostname-pid. */
  owner?: string;
  /** How long a claimed timer is this process's: a replica that dies mid-firing leaves it to another then. */
  leaseMs?: number;
  /** False once the database is closed (the bot stopping): a tick then claims nothing. */
  isOpen?: () => boolean;
  handlers: Readonly<Record<string, TimerHandler>>;
  log: Logger;
  now: () => Date;
  tickSeconds: number;
  /** A failure that will pass (a chat outage, a rate limit): the timer fires again later instead of being lost. */
  isRetryable: (error: unknown) => boolean;
  /** Told of each timer as it fires and how late, for metrics. */
  observe?: (timer: Timer, lateMs: number) => void;
}

/**
 * Fires durable timers: each tick leases the due rows to this process, runs the handler of each one's kind
 * and marks it fired; only the lease holder can. A process that dies between the two leaves its timers to
 * whichever replica claims after the lease runs out, so a timer fires once even when a replica does not
 * live to finish it. The cron task only decides when to look; timers that came due while the bot was down
 * fire on the first tick at start.
 */
export class Scheduler {
  #task: ScheduledTask | null = null;
  /** Ticks run one after another, whether from cron or a test calling tick(). */
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  readonly #owner: string;
  readonly #leaseMs: number;
  /** The timers this process has claimed and not yet settled: renewed, never claimed again here meanwhile. */
  readonly #leases: HeldLeases<Timer>;

  constructor(private readonly options: SchedulerOptions) {
    const owner = options.owner ?? `${hostname()}-${process.pid}`;
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#owner = owner;
    this.#leaseMs = leaseMs;
    this.#leases = new HeldLeases<Timer>({
      what: 'timer',
      renew: (timers) =>
        options.store.timers.renew(
          owner,
          timers.map((timer) => timer.id),
          leaseMs,
        ),
      leaseMs,
      log: options.log,
    });
  }

  /**
   * Ticks once (catching up on what came due while down), then every `tickSeconds`. Waits for that first
   * tick, so what came due while the bot was down has fired when it says it started, but at most
   * `START_WAIT_MS`: a handler stuck on a Slack that does not answer must not keep the bot (its /readyz,
   * its webhooks) from starting. `idle()` waits for the rest.
   */
  async start(): Promise<void> {
    const first = this.tick().catch((error: unknown) =>
      this.options.log.error({ err: error }, 'the first scheduler tick failed; the next tick tries again'),
    );
    if (this.#stopped) return;
    this.#leases.start();
    this.#task = cron.schedule(cronExpression(this.options.tickSeconds), () => this.tick(), {
      name: 'incident-timers',
      noOverlap: true,
    });
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      first,
      new Promise((resolve) => {
        waited = setTimeout(resolve, START_WAIT_MS);
        waited.unref();
      }),
    ]);
    clearTimeout(waited);
  }

  /** Fires every timer due now; returns how many fired. */
  tick(): Promise<number> {
    const run = this.#queue.then(() => this.#fireDue());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every tick started so far has finished. */
  async idle(): Promise<void> {
    await this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#task?.destroy();
    this.#task = null;
    await this.#queue;
    this.#leases.stop();
  }

  /** Renews the leases of the timers claimed here (the renewal timer does this every third of a lease). */
  renewLeases(): Promise<void> {
    return this.#leases.renew();
  }

  async #fireDue(): Promise<number> {
    const { store } = this.options;
    const open = this.options.isOpen ?? (() => true);
    let fired = 0;
    if (!this.#stopped && open()) await this.#beat();
    for (;;) {
      if (this.#stopped || !open()) return fired;
      const now = this.options.now();
      const due = await store.timers.claimDueLeased(
        this.#owner,
        this.#leaseMs,
        now,
        CLAIM_BATCH,
        this.#leases.inFlight(),
      );
      // The whole batch is renewed, not only the timer firing: the last waits for the nine before it.
      this.#leases.hold(due);
      try {
        for (const timer of due) {
          await this.#fire(timer, now);
          fired += 1;
        }
      } finally {
        // Also after a throw: a timer left held would be renewed, and so kept from every replica, for ever.
        for (const timer of due) this.#leases.release(timer.id);
      }
      if (due.length < CLAIM_BATCH) return fired;
    }
  }

  /** Records the tick durably, so `doctor` can tell a stuck scheduler; a failure never stops the tick. */
  async #beat(): Promise<void> {
    try {
      await this.options.store.heartbeats.beat(SCHEDULER_HEARTBEAT, this.options.now());
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not record the scheduler heartbeat');
    }
  }

  async #fire(timer: Timer, now: Date): Promise<void> {
    await this.#run(timer, now);
    try {
      // Taken over while it fired here (found by a renewal): the new holder marks it fired.
      if (!this.#leases.settle(timer.id)) return;
      if (!(await this.options.store.timers.complete(timer.id, this.#owner)))
        this.options.log.warn(
          { timer: timer.id, kind: timer.kind },
          'a timer outlived its lease and another replica took it over: raise LEASE_SECONDS',
        );
    } catch (error) {
      // Unmarked, the timer is claimed again when its lease runs out: late and perhaps twice, never lost.
      this.options.log.error({ err: error, timer: timer.id }, 'could not mark a timer fired');
    }
  }

  async #run(timer: Timer, now: Date): Promise<void> {
    const handler = this.options.handlers[timer.kind];
    const lateMs = Math.max(0, now.getTime() - Date.parse(timer.dueAt));
    const log = this.options.log.child({ timer: timer.id, kind: timer.kind, incident: timer.incidentId });
    this.options.observe?.(timer, lateMs);
    if (!handler) {
      log.error('no handler for this timer kind; it is marked fired and skipped');
      return;
    }
    try {
      // Keyed by the timer: a replica that takes a dead one's firing over queues the same side effects.
      await withDurableKeys(`timer:${timer.id}`, () =>
        handler(timer, { now, lateMs, late: lateNote(lateMs) }),
      );
      log.info({ lateMs }, 'timer fired');
    } catch (error) {
      // A Slack outage must delay an escalation, never lose it: a transient failure fires again later
      // as a new row. Any other failure is a defect that would fail again; it is logged, not retried.
      const attempt = Number(timer.payload?.attempt ?? 0) + 1;
      if (this.options.isRetryable(error) && attempt <= MAX_RETRIES) {
        const dueAt = new Date(now.getTime() + Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS));
        await this.options.store.timers.schedule({
          incidentId: timer.incidentId,
          kind: timer.kind,
          dueAt,
          payload: { ...timer.payload, attempt, retryOf: timer.id },
        });
        log.warn(
          { err: error, attempt, retryAt: dueAt },
          'timer handler failed on a Slack outage; it fires again later',
        );
      } else {
        log.error({ err: error, lateMs }, 'timer handler failed');
      }
    }
  }
}
