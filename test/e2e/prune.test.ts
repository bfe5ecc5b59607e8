import { afterEach, expect, it } from 'vitest';
import { PRUNE_KIND } from '../../src/scheduler/handlers/prune.ts';
import { startTestBot, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
});

it('forgets seen requests older than 30 days once a day, keeps recent ones, and plans one prune across restarts', async () => {
  const T0 = Date.parse('2026-11-22T12:00:00.000Z');
  let clock = T0;
  t = await startTestBot({ now: () => new Date(clock) });
  const seen = t.bot.store.idempotency;
  clock = T0 - 40 * 86_400_000;
  expect(await seen.firstTime('event:old')).toBe(true);
  clock = T0;
  expect(await seen.firstTime('event:recent')).toBe(true);

  await t.restart();
  expect((await t.bot.store.timers.listOpenGlobal(PRUNE_KIND)).map((x) => x.dueAt)).toEqual([
    '2026-11-23T12:00:00.000Z',
  ]);

  clock = T0 + 86_400_000 + 1_000;
  await t.bot.scheduler.tick();
  expect(await t.bot.store.idempotency.firstTime('event:old')).toBe(true);
  expect(await t.bot.store.idempotency.firstTime('event:recent')).toBe(false);
  expect((await t.bot.store.timers.listOpenGlobal(PRUNE_KIND)).map((x) => x.dueAt)).toEqual([
    '2026-11-24T12:00:01.000Z',
  ]);
});
