import { afterEach, expect, it } from 'vitest';
import { until } from '../support/botProcess.ts';
import { fixture, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { startTestBot, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

it('a page and slash declares share one conversations.create budget; past it the declarer hears when the channel opens, and it opens', async () => {
  // A burst of 2, then one create every 3 s: room for a slow machine, where the two declares took 0.6 s at
  // most under load; jobs polled every 50 ms.
  t = await startTestBot({
    channelRate: { perMinute: 20, capacity: 2 },
    env: { WEBHOOK_TOKEN, JOB_TICK_MS: '50' },
  });
  const bot = t;
  expect((await postWebhook(bot.url, 'alertmanager', fixture('alertmanager-firing.json'))).status).toBe(202);
  await until('the page to open its channel', () => bot.slack.callsTo('conversations.create').length === 1);

  await bot.command('declare P1 Checkout errors');
  await bot.command('declare P2 Search slow');
  const [paged, first, second] = (await bot.bot.service.listOpen()).sort((a, b) => a.id - b.id);
  expect(paged?.source).toBe('alertmanager');
  expect(first?.channelId).toMatch(/^C/);
  // The page used the burst's first slot, the first declare the second: this one waits for its slot.
  expect(second?.channelId).toBeNull();
  expect(bot.slack.callsTo('conversations.create')).toHaveLength(2);
  const toSecond = () => bot.slack.responses.filter((r) => String(r.body.text).includes(`#${second?.id}`));
  const notice = toSecond().map((r) => String(r.body.text));
  expect(notice).toHaveLength(1);
  // The wait is the slot's distance: at most the 3 s interval, however long the declares took.
  const seconds = Number(/^Incident #\d+ is queued, opening in (\d) s: /.exec(notice[0] ?? '')?.[1]);
  expect([1, 2, 3]).toContain(seconds);
  expect(notice[0]).toBe(
    `Incident #${second?.id} is queued, opening in ${seconds} s: Slack lets a workspace open about 20 channels a minute and many incidents are opening now. The link to its channel follows here.`,
  );

  // The create is a durable job: it runs at the slot without anyone asking again.
  await until(
    'the queued channel to open',
    async () => (await bot.bot.service.get(second?.id ?? 0)).channelId !== null,
  );
  expect(bot.slack.callsTo('conversations.create')).toHaveLength(3);
  const channel = (await bot.bot.service.get(second?.id ?? 0)).channelId;
  await until('the declarer to get the link', () => toSecond().length === 2);
  expect(toSecond()[1]?.body.text).toBe(`Incident #${second?.id} declared: <#${channel}>`);
});
