import { describe, expect, it } from 'vitest';
import { manualClock, tempDatabase } from './helpers.ts';

describe('IdempotencyRepository', () => {
  it('says true the first time a key is seen only, across restarts', () => {
    const tmp = tempDatabase();
    const store = tmp.open(manualClock().now);
    expect(store.idempotency.firstTime('slash:T1:trigger-1')).toBe(true);
    expect(store.idempotency.firstTime('slash:T1:trigger-1')).toBe(false);
    expect(store.idempotency.firstTime('slash:T1:trigger-2')).toBe(true);
    store.close();
    expect(tmp.open(manualClock().now).idempotency.firstTime('slash:T1:trigger-1')).toBe(false);
  });

  it('forgets keys older than the cut-off', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    store.idempotency.firstTime('old');
    clock.set('2026-11-23T10:00:00.000Z');
    store.idempotency.firstTime('new');
    expect(store.idempotency.prune(new Date('2026-11-23T00:00:00.000Z'))).toBe(1);
    expect(store.idempotency.firstTime('old')).toBe(true);
    expect(store.idempotency.firstTime('new')).toBe(false);
  });
});
