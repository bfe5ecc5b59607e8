/**
 * Paces a call to a rate: `capacity` calls at once, then one every `60 000 / perMinute` ms. Slack allows
 * conversations.create about 20 times a minute (Tier 2); beyond that it answers 429 and every incident
 * behind waits longer. Clock and sleep are injected so tests never wait for real time.
 */
export interface TokenBucketOptions {
  perMinute: number;
  capacity: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TokenBucket {
  readonly #intervalMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tokens: number;
  #updatedAt: number;
  /** Callers are served in order: each waits for the previous one's token. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.perMinute > 0) || !(options.capacity >= 1)) {
      throw new RangeError('TokenBucket needs perMinute > 0 and capacity >= 1');
    }
    this.#intervalMs = 60_000 / options.perMinute;
    this.#capacity = options.capacity;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  /** Resolves when a call may be made, and uses up that token. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeNow());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** Milliseconds until the next token; 0 when one is available now. */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * this.#intervalMs);
  }

  async #takeNow(): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await this.#sleep(wait);
    this.#tokens -= 1;
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed / this.#intervalMs);
    this.#updatedAt = now;
  }
}
