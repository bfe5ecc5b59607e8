import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { HeldLeases, maxHoldMs } from '../../src/usecases/leases.ts';

const LEASE_MS = 30_000;

/** A renewal the test answers: each call records the ids it was asked to renew. */
function leases(answer: (ids: number[]) => Promise<readonly number[]> = async (ids) => ids, clock = () => 0) {
  const asked: number[][] = [];
  const held = new HeldLeases<{ id: number }>({
    what: 'job',
    leaseMs: LEASE_MS,
    clock,
    log: createLogger('silent'),
    renew: (claims) => {
      const ids = claims.map((c) => c.id);
      asked.push(ids);
      return answer(ids);
    },
  });
  return { held, asked };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HeldLeases', () => {
  it('renews what is held every third of a lease, in one call, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { held, asked } = leases();
    held.start();
    await vi.advanceTimersByTimeAsync(LEASE_MS / 3);
    // Nothing held: nothing asked of the database.
    expect(asked).toEqual([]);
    held.hold([{ id: 4 }, { id: 9 }]);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 3 - 1);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([[4, 9]]);
    expect(held.settle(4)).toBe(true);
    held.release(4);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 3);
    expect(asked).toEqual([[4, 9], [9]]);
    held.stop();
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    expect(asked).toEqual([[4, 9], [9]]);
  });

  it('keeps a settled claim in flight until released, and skips it in renewals meanwhile', async () => {
    const { held, asked } = leases();
    held.hold([{ id: 1 }, { id: 2 }]);
    expect(held.settle(1)).toBe(true);
    expect(held.inFlight()).toEqual([1, 2]);
    await held.renew();
    expect(asked).toEqual([[2]]);
    held.release(1);
    held.release(2);
    expect(held.inFlight()).toEqual([]);
    await held.renew();
    expect(asked).toEqual([[2]]);
  });

  it('marks a claim the renewal did not keep as lost, unless it was settled while the renewal ran', async () => {
    let settleDuring = () => undefined as unknown;
    const { held } = leases(async () => {
      settleDuring();
      return [3];
    });
    held.hold([{ id: 1 }, { id: 2 }, { id: 3 }]);
    settleDuring = () => held.settle(2);
    await held.renew();
    expect([held.settle(1), held.settle(2), held.settle(3)]).toEqual([false, true, true]);
    // Claimed again later (after release), a lost id starts afresh.
    held.release(1);
    held.hold([{ id: 1 }]);
    expect(held.settle(1)).toBe(true);
  });

  it('keeps its claims when a renewal fails, and joins a renewal already under way', async () => {
    let fail = true;
    let answered = 0;
    const { held, asked } = leases(async (ids) => {
      answered += 1;
      if (fail) throw new Error('connection terminated');
      return ids;
    });
    held.hold([{ id: 5 }]);
    await held.renew();
    expect(held.settle(5)).toBe(true);
    held.hold([{ id: 5 }]);
    fail = false;
    await Promise.all([held.renew(), held.renew()]);
    expect([answered, asked]).toEqual([2, [[5], [5]]]);
    expect(held.settle(5)).toBe(true);
  });

  it('lets go of work held longer than ten leases or 15 minutes, so a stuck process does not keep it for ever', async () => {
    expect([maxHoldMs(5_000), maxHoldMs(120_000), maxHoldMs(3_600_000)]).toEqual([
      900_000, 1_200_000, 36_000_000,
    ]);
    let now = 0;
    const { held, asked } = leases(undefined, () => now);
    held.hold([{ id: 1 }]);
    now = 60_000;
    held.hold([{ id: 2 }]);
    now = maxHoldMs(LEASE_MS) - 1;
    await held.renew();
    now += 1;
    await held.renew();
    now += 60_000;
    await held.renew();
    // The third renewal held nothing renewable, so it asked the database nothing.
    expect(asked).toEqual([[1, 2], [2]]);
    // Let go is not lost: nobody was seen taking it over, so its outcome is still written here.
    expect([held.settle(1), held.settle(2), held.inFlight()]).toEqual([true, true, [1, 2]]);
  });
});
