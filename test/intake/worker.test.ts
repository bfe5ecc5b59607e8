import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/intake/tokenBucket.ts';
import { InboxWorker, retryDelayMs } from '../../src/intake/worker.ts';
import { createLogger } from '../../src/log.ts';
import { tempStore } from '../store/helpers.ts';

describe('TokenBucket', () => {
  it('allows a burst, then paces to the rate, without real waiting', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket({
      perMinute: 20,
      capacity: 2,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 5; i++) await bucket.take();
    // Two at once, then one every 3 s.
    expect(waits).toEqual([3000, 3000, 3000]);
    expect(now).toBe(9000);
  });
});

describe('InboxWorker', () => {
  it('keeps a failed item with its error, retries it with backoff, and processes each item once', async () => {
    let now = new Date('2026-11-22T03:00:00Z');
    const store = await tempStore(() => now);
    const seen: number[] = [];
    let fail = true;
    const worker = new InboxWorker({
      inbox: store.inbox,
      log: createLogger('silent'),
      now: () => now,
      process: async (item) => {
        if (fail) throw new Error('Slack is down');
        seen.push(item.id);
        return null;
      },
    });
    const { id } = await store.inbox.insert({ source: 'generic', rawBody: '{}' });
    worker.kick();
    await worker.idle();
    expect(await store.inbox.get(id)).toMatchObject({
      status: 'failed',
      lastError: 'Slack is down',
      attempts: 1,
    });

    // Not due yet: nothing happens.
    fail = false;
    worker.kick();
    await worker.idle();
    expect(seen).toEqual([]);

    now = new Date(now.getTime() + retryDelayMs(1));
    worker.kick();
    await worker.idle();
    expect(seen).toEqual([id]);
    expect(await store.inbox.get(id)).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    worker.kick();
    await worker.idle();
    expect(seen).toEqual([id]);
    store.close();
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 20].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 3_600_000]);
  });
});
