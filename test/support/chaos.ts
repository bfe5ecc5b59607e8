import type { FakeSlack, JsonObject, RawResponse } from './fakeSlack.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same faults, so a failure reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChaosOptions {
  seed: number;
  /** Share of calls answered 429 with Retry-After `retryAfter` seconds. */
  rateLimited: number;
  /** Share of calls answered HTTP 500. */
  serverError: number;
  /** Share of the calls that go through answered after `slowMs`. */
  slow: number;
  slowMs: number;
  retryAfter: number;
  /**
   * At most this many faults in a row for one logical call (same method and arguments), so a client with
   * that many retries always gets through and the test is about the bot, not about luck.
   */
  maxStreak: number;
  /** Methods never faulted (e.g. auth.test at start-up). */
  spare?: string[];
}

export interface ChaosTally {
  rateLimited: number;
  serverError: number;
  slow: number;
  passed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes every method of the fake Slack flaky: seeded 429s, 500s and slow answers. Returns the tally. */
export function chaos(slack: FakeSlack, options: ChaosOptions): ChaosTally {
  const rand = prng(options.seed);
  const streaks = new Map<string, number>();
  const tally: ChaosTally = { rateLimited: 0, serverError: 0, slow: 0, passed: 0 };
  const spare = new Set(options.spare ?? ['auth.test']);
  slack.on('*', async (args: JsonObject, _index, ctx): Promise<RawResponse | undefined> => {
    const method = ctx.call.method;
    if (spare.has(method)) return undefined;
    const key = `${method} ${JSON.stringify(args)}`;
    const streak = streaks.get(key) ?? 0;
    const r = rand();
    if (streak < options.maxStreak && r < options.rateLimited + options.serverError) {
      streaks.set(key, streak + 1);
      if (r < options.rateLimited) {
        tally.rateLimited++;
        return {
          status: 429,
          headers: { 'retry-after': String(options.retryAfter) },
          body: { ok: false, error: 'ratelimited' },
        };
      }
      tally.serverError++;
      return {
        status: 500,
        headers: { 'content-type': 'text/html' },
        body: '<html>Internal Server Error</html>',
      };
    }
    streaks.delete(key);
    tally.passed++;
    if (rand() < options.slow) {
      tally.slow++;
      await sleep(options.slowMs);
    }
    return undefined;
  });
  return tally;
}
