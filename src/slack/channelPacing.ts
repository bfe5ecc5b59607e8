import { TransientError } from './errors.ts';

/**
 * One budget for every conversations.create, declares and pages alike. Slack allows about 20 a minute
 * (Tier 2) with short bursts; 1,000 unpaced declares made 1,000 creates in 15-24 s and Slack answers 429
 * to all of them, delaying every incident behind. The budget is a generic cell rate (GCRA): `capacity`
 * creates at once, then one every 60 000 / perMinute ms, and each waiting incident holds its own slot, so
 * they open in the order they came and a waiting declare knows when its channel will open.
 */
export interface ChannelRate {
  perMinute: number;
  capacity: number;
}

export interface Admission {
  /** 0: create now. Otherwise how long until this incident's slot. */
  waitMs: number;
  /** True the first time this incident is told to wait (in this process): when to tell the declarer. */
  firstWait: boolean;
}

export class ChannelPacer {
  readonly #intervalMs: number;
  readonly #toleranceMs: number;
  #theoretical = 0;
  readonly #slots = new Map<number, number>();

  constructor(
    rate: ChannelRate,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(rate.perMinute > 0) || !(rate.capacity >= 1)) {
      throw new RangeError('ChannelPacer needs perMinute > 0 and capacity >= 1');
    }
    this.#intervalMs = 60_000 / rate.perMinute;
    this.#toleranceMs = (rate.capacity - 1) * this.#intervalMs;
  }

  /** For the channel job: may this incident's channel be created now? Reserves its slot the first time. */
  admit(incidentId: number): Admission {
    const now = this.now();
    const held = this.#slots.get(incidentId);
    if (held !== undefined) {
      if (held > now) return { waitMs: held - now, firstWait: false };
      this.#slots.delete(incidentId);
      return { waitMs: 0, firstWait: false };
    }
    const slot = this.#reserve(now);
    if (slot <= now) return { waitMs: 0, firstWait: false };
    this.#slots.set(incidentId, slot);
    return { waitMs: slot - now, firstWait: true };
  }

  /** For pages: the processor holds the inbox until the slot (its back-pressure in an alert storm). */
  async take(): Promise<void> {
    const wait = this.#reserve(this.now()) - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  /** Incidents holding a future slot. */
  get waiting(): number {
    return this.#slots.size;
  }

  #reserve(now: number): number {
    const slot = Math.max(now, this.#theoretical - this.#toleranceMs);
    this.#theoretical = Math.max(this.#theoretical, slot) + this.#intervalMs;
    return slot;
  }
}

/** Slack's Tier 2 for conversations.create, with a burst of 10 so the first incidents open at once. */
export const SLACK_CHANNEL_RATE: ChannelRate = { perMinute: 20, capacity: 10 };

/**
 * The bot's one budget: the pacer for the channel job and what the intake takes for pages. A caller's own
 * bucket (a test, a benchmark) paces its pages alone.
 */
export function channelBudget(given: ChannelRate | { take(): Promise<void> } | undefined): {
  pacer: ChannelPacer;
  pages: { take(): Promise<void> };
} {
  if (given && 'take' in given) return { pacer: new ChannelPacer(SLACK_CHANNEL_RATE), pages: given };
  const pacer = new ChannelPacer(given ?? SLACK_CHANNEL_RATE);
  return { pacer, pages: pacer };
}

/** Thrown by the channel job to come back at its slot: a durable wait, kept across restarts. */
export class PacedError extends TransientError {
  constructor(readonly retryAfterMs: number) {
    super(`conversations.create paced: this incident's slot is in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** What the declarer reads when the budget is spent. */
export function queuedNotice(incidentId: number, waitMs: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return (
    `Incident #${incidentId} is queued, opening in ${seconds} s: Slack lets a workspace open about 20 ` +
    'channels a minute and many incidents are opening now. The link to its channel follows here.'
  );
}
