import type { InboxItem } from '../domain/records.ts';
import type { Logger } from '../log.ts';
import { HeldLeases } from '../usecases/leases.ts';
import type { InboxStore } from '../usecases/ports/store.ts';

export interface InboxWorkerOptions {
  inbox: InboxStore;
  process: (item: InboxItem) => Promise<number | null>;
  /** When the inbox is empty (and every few batches in a long drain): the storm summary. */
  afterBatch?: () => Promise<void>;
  log: Logger;
  now?: () => Date;
  /** Items claimed at once; each is processed in order, one at a time. */
  batchSize?: number;
  /** How long a claimed item is ours; after a crash it is processed again once this runs out. */
  leaseMs?: number;
  /** How often failed items whose retry time has come are picked up. */
  retryEveryMs?: number;
  /** Told of each page whose processing failed (it stays in the inbox and is retried), for metrics. */
  onFailed?: (item: InboxItem) => void;
}

/** Retry a failed page after 5 s, doubling per attempt, at most hourly: never dropped, never hammering. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Drains the inbox: kicked after each stored page and at start, and on a timer for failed items whose
 * retry time has come. One drain runs at a time, so items are processed in order and a group's second
 * page always sees the incident its first one opened.
 */
export class InboxWorker {
  readonly #o: Required<Omit<InboxWorkerOptions, 'afterBatch' | 'onFailed'>> &
    Pick<InboxWorkerOptions, 'afterBatch' | 'onFailed'>;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  /** The pages this process has claimed and not yet settled: renewed, never claimed again here meanwhile. */
  readonly #leases: HeldLeases<InboxItem>;

  constructor(options: InboxWorkerOptions) {
    this.#o = {
      now: () => new Date(),
      // Small batches: after a crash, only the claimed ones wait out their lease before a retry.
      batchSize: 10,
      leaseMs: 2 * 60_000,
      retryEveryMs: 5_000,
      ...options,
    };
    const { inbox, leaseMs, log } = this.#o;
    this.#leases = new HeldLeases<InboxItem>({
      what: 'page',
      renew: (items) => inbox.renew(items, leaseMs),
      leaseMs,
      log,
    });
  }

  start(): void {
    this.#stopped = false;
    this.#leases.start();
    this.#timer = setInterval(() => this.kick(), this.#o.retryEveryMs);
    this.#timer.unref();
    this.kick();
  }

  /** Starts a drain, or asks the running one to look again when it is done. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves once nothing is being processed and no ready item is waiting (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops taking work and waits for the item in hand; unfinished items stay in the inbox for next time. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.idle();
    this.#leases.stop();
  }

  /** Renews the leases of the pages claimed here (the renewal timer does this every third of a lease). */
  renewLeases(): Promise<void> {
    return this.#leases.renew();
  }

  async #drain(): Promise<void> {
    let batches = 0;
    do {
      this.#again = false;
      for (;;) {
        if (this.#stopped) return;
        let items: InboxItem[];
        try {
          items = await this.#o.inbox.claim(this.#o.batchSize, this.#o.leaseMs, this.#leases.inFlight());
        } catch (error) {
          this.#o.log.error({ err: error }, 'could not read the inbox; retrying on the next tick');
          return;
        }
        if (items.length === 0) break;
        if (!(await this.#batch(items))) return;
        if (++batches % 5 === 0) await this.#afterBatch();
      }
      await this.#afterBatch();
    } while (this.#again && !this.#stopped);
  }

  async #afterBatch(): Promise<void> {
    try {
      await this.#o.afterBatch?.();
    } catch (error) {
      this.#o.log.warn({ err: error }, 'posting the alert storm summary failed; the timeline has it');
    }
  }

  /**
   * Processes a claimed batch in order, its leases renewed until each is settled; false when stopped
   * part way (the rest lapse to whichever replica claims next).
   */
  async #batch(items: readonly InboxItem[]): Promise<boolean> {
    this.#leases.hold(items);
    try {
      for (const item of items) {
        if (this.#stopped) return false;
        await this.#one(item);
      }
      return true;
    } finally {
      for (const item of items) this.#leases.release(item.id);
    }
  }

  /** Taken over while processed here (a renewal found it, and logged it): the new holder records the outcome. */
  #takenOver(item: InboxItem): boolean {
    return !this.#leases.settle(item.id);
  }

  async #one(item: InboxItem): Promise<void> {
    try {
      const incidentId = await this.#o.process(item);
      if (this.#takenOver(item)) return;
      await this.#o.inbox.markDone(item.id, incidentId);
    } catch (error) {
      if (this.#takenOver(item)) return;
      const message = error instanceof Error ? error.message : String(error);
      this.#o.onFailed?.(item);
      const next = new Date(this.#o.now().getTime() + retryDelayMs(item.attempts));
      this.#o.log.warn(
        { inbox: item.id, source: item.source, attempts: item.attempts, err: error, retryAt: next },
        'processing a page failed; it stays in the inbox and is retried',
      );
      try {
        await this.#o.inbox.markFailed(item.id, message, next);
      } catch (markError) {
        // The lease runs out and the item is claimed again: late, never lost.
        this.#o.log.error({ inbox: item.id, err: markError }, 'could not record the failure');
      }
    }
  }
}
