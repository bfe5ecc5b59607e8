import type { Logger } from '../log.ts';

export interface HeldLeasesOptions<Claim extends { id: number }> {
  /** What is held, for the log: "job", "timer", "page". */
  what: string;
  /**
   * Extends the leases of these claims in one statement and returns the ids still this process's; a
   * missing id was finished, freed or taken over by another replica.
   */
  renew: (claims: readonly Claim[]) => Promise<readonly number[]>;
  /** How long a claim is ours; renewed every third of it, so one failed renewal loses nothing. */
  leaseMs: number;
  log: Logger;
  /** Monotonic milliseconds, for how long a claim has been held (tests move it by hand). */
  clock?: () => number;
}

/**
 * Work held longer than this (a bug, a call without a timeout) is no longer renewed: its lease lapses and
 * another replica takes it over, rather than a stuck process keeping it from everyone for ever.
 */
export function maxHoldMs(leaseMs: number): number {
  return Math.max(10 * leaseMs, 15 * 60_000);
}

/**
 * The claims this process is still working on. Their leases are renewed while the work runs, so work that
 * outlasts one lease (a Slack call retried after a timeout, a 429's Retry-After, an outage) is never taken
 * over by another replica while its owner lives; a dead owner renews nothing and loses its claims when the
 * lease runs out. The claim loops skip these ids: a lapsed lease is never claimed again by its own holder.
 */
export class HeldLeases<Claim extends { id: number }> {
  readonly #o: HeldLeasesOptions<Claim>;
  readonly #clock: () => number;
  /** Claimed and not yet settled: renewed each tick. */
  readonly #renewing = new Map<number, { claim: Claim; since: number }>();
  /** Claimed and not yet released: never claimed again here. Settled claims stay until their outcome is written. */
  readonly #inFlight = new Set<number>();
  /** Found taken over by another replica: their outcome is not ours to write. */
  readonly #lost = new Set<number>();
  #timer: NodeJS.Timeout | null = null;
  #pending: Promise<void> | null = null;

  constructor(options: HeldLeasesOptions<Claim>) {
    this.#o = options;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** Renews every `leaseMs / 3` until `stop`. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.#o.leaseMs / 3)));
    this.#timer.unref();
  }

  /** Stops renewing: on shutdown, once the work in hand is done (what is left lapses to another replica). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  hold(claims: readonly Claim[]): void {
    const since = this.#clock();
    for (const claim of claims) {
      this.#renewing.set(claim.id, { claim, since });
      this.#inFlight.add(claim.id);
      this.#lost.delete(claim.id);
    }
  }

  /** The ids a claim must skip. */
  inFlight(): number[] {
    return [...this.#inFlight];
  }

  /**
   * Stops renewing the claim before its outcome is written; true when it is still ours. False when a
   * renewal found another replica holding it: that replica writes the outcome, not this one.
   */
  settle(id: number): boolean {
    this.#renewing.delete(id);
    return !this.#lost.has(id);
  }

  /** Forgets the claim once its outcome is written. */
  release(id: number): void {
    this.#renewing.delete(id);
    this.#inFlight.delete(id);
    this.#lost.delete(id);
  }

  /** One renewal of everything held (also what the timer runs); a renewal already under way is joined. */
  renew(): Promise<void> {
    this.#pending ??= this.#renewOnce().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  /** What to renew: everything held, less what has been held too long (let go, with a warning). */
  #stillHeld(): Claim[] {
    const { what, leaseMs, log } = this.#o;
    const oldest = this.#clock() - maxHoldMs(leaseMs);
    const held: Claim[] = [];
    for (const [id, { claim, since }] of this.#renewing) {
      if (since > oldest) {
        held.push(claim);
        continue;
      }
      this.#renewing.delete(id);
      log.warn(
        { [what]: id },
        `a ${what} has run here for over ${Math.round(maxHoldMs(leaseMs) / 60_000)} min: its lease is no longer renewed, and another replica may take it over`,
      );
    }
    return held;
  }

  async #renewOnce(): Promise<void> {
    const held = this.#stillHeld();
    if (held.length === 0) return;
    let kept: ReadonlySet<number>;
    try {
      kept = new Set(await this.#o.renew(held));
    } catch (error) {
      // The next tick tries again; two more misses in a row and the lease lapses.
      this.#o.log.warn(
        { err: error, [this.#o.what]: held.map((c) => c.id) },
        `could not renew ${this.#o.what} leases`,
      );
      return;
    }
    for (const { id } of held) {
      // Settled meanwhile: its outcome was written, so the row is rightly no longer claimed.
      if (kept.has(id) || !this.#renewing.has(id)) continue;
      this.#renewing.delete(id);
      this.#lost.add(id);
      this.#o.log.warn(
        { [this.#o.what]: id },
        `another replica took over a ${this.#o.what} this one is still running (its lease ran out while this process stalled): its outcome is left to that replica; if this repeats, raise LEASE_SECONDS`,
      );
    }
  }
}
