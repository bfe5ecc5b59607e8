import { expect, it } from 'vitest';
import { ChannelPacer, channelBudget, PacedError, queuedNotice } from '../../src/slack/channelPacing.ts';
import { isTransient } from '../../src/slack/errors.ts';

it('lets a burst through, then gives each waiting incident its own slot, in order, one interval apart', () => {
  let now = 0;
  const pacer = new ChannelPacer({ perMinute: 20, capacity: 2 }, () => now); // one every 3 s
  expect(pacer.admit(1)).toEqual({ waitMs: 0, firstWait: false });
  expect(pacer.admit(2)).toEqual({ waitMs: 0, firstWait: false });
  expect(pacer.admit(3)).toEqual({ waitMs: 3_000, firstWait: true });
  expect(pacer.admit(4)).toEqual({ waitMs: 6_000, firstWait: true });
  // Asking again keeps the slot: no second notice, no slot lost.
  now = 1_000;
  expect(pacer.admit(3)).toEqual({ waitMs: 2_000, firstWait: false });
  now = 3_000;
  expect(pacer.admit(3)).toEqual({ waitMs: 0, firstWait: false });
  expect(pacer.waiting).toBe(1);
  now = 6_000;
  expect(pacer.admit(4)).toEqual({ waitMs: 0, firstWait: false });
  expect(pacer.waiting).toBe(0);
  // Idle for a minute: the burst is back, no more.
  now = 66_000;
  expect([pacer.admit(5).waitMs, pacer.admit(6).waitMs, pacer.admit(7).waitMs]).toEqual([0, 0, 3_000]);
});

it('pages take from the same budget and wait for their slot', async () => {
  let now = 0;
  const slept: number[] = [];
  const pacer = new ChannelPacer(
    { perMinute: 20, capacity: 1 },
    () => now,
    async (ms) => {
      slept.push(ms);
      now += ms;
    },
  );
  await pacer.take();
  expect(pacer.admit(1)).toEqual({ waitMs: 3_000, firstWait: true });
  await pacer.take();
  expect(slept).toEqual([6_000]);
  const shared = channelBudget({ perMinute: 20, capacity: 1 });
  expect(shared.pages).toBe(shared.pacer);
  const own = { take: async () => undefined };
  expect(channelBudget(own).pages).toBe(own);
});

it('a paced create is a transient failure that asks to come back at its slot', () => {
  const error = new PacedError(2_500);
  expect(isTransient(error)).toBe(true);
  expect(error.retryAfterMs).toBe(2_500);
  expect(queuedNotice(7, 2_500)).toBe(
    'Incident #7 is queued, opening in 3 s: Slack lets a workspace open about 20 channels a minute and many incidents are opening now. The link to its channel follows here.',
  );
  expect(() => new ChannelPacer({ perMinute: 0, capacity: 1 })).toThrow(RangeError);
});
