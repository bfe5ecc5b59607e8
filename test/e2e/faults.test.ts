import { afterEach, describe, expect, it } from 'vitest';
import { chaos } from '../support/chaos.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { startTestBot, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

// Every 429 costs the client its full Retry-After (1 s, with its queue paused): a few incidents only.
describe('a flaky Slack (30% 429, 10% 500, some slow)', { timeout: 60_000 }, () => {
  it('every declared incident reaches its channel, header and first step, and none is created twice', async () => {
    const bot = await startTestBot({ retries: 3, env: { WEBHOOK_TOKEN } });
    t = bot;
    const tally = chaos(bot.slack, {
      seed: 20261122,
      rateLimited: 0.3,
      serverError: 0.1,
      slow: 0.1,
      slowMs: 200,
      retryAfter: 1,
      maxStreak: 2,
    });

    // Whatever the draw, the channel creation meets a 500 and the first post a 429.
    bot.slack.serverErrorNext('conversations.create', 500);
    bot.slack.rateLimitNext('chat.postMessage', 1);
    // One by hand, sent twice as a duplicated delivery would be, and one page, all at once.
    const [first] = await Promise.all([
      bot.command('declare P1 Checkout errors', { trigger_id: '1.2.dup' }),
      bot.command('declare P1 Checkout errors', { trigger_id: '1.2.dup' }),
      postWebhook(
        bot.url,
        'alertmanager',
        alertmanagerGroup({ alertname: 'DiskFull', group: 'db', alerts: 3 }),
      ),
    ]);
    expect(first.status).toBe(200);
    await bot.bot.intake.worker.idle();

    const incidents = await bot.bot.service.listOpen();
    expect(incidents.map((i) => i.title).sort()).toEqual([
      'Checkout errors',
      expect.stringContaining('DiskFull'),
    ]);
    for (const incident of incidents) {
      expect(incident.channelId, `incident ${incident.title} has a channel`).not.toBeNull();
      const channel = incident.channelId as string;
      const messages = bot.slack.messages(channel);
      expect(incident.headerTs, 'header recorded').not.toBeNull();
      expect(messages.filter((m) => m.ts === incident.headerTs)).toHaveLength(1);
      expect(messages.filter((m) => m.text.startsWith('Step 1 '))).toHaveLength(1);
    }
    // One channel per incident: no create that succeeded was repeated.
    const created = bot.slack.callsTo('conversations.create').filter((c) => c.status === 200);
    expect(created).toHaveLength(2);
    expect(bot.slack.channels().filter((c) => c.name?.startsWith('inc-'))).toHaveLength(2);
    // The faults really happened (the draw is the seed's, in the order the calls arrive).
    expect(tally.rateLimited + tally.serverError).toBeGreaterThan(2);
    expect(bot.slack.callsTo('conversations.create').map((c) => c.status)).toContain(500);
  });
});
