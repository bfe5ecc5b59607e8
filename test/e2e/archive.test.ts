import { afterEach, describe, expect, it } from 'vitest';
import { slackDate } from '../../src/slack/blocks/mrkdwn.ts';
import { DECLARER, startTestBot, type TestBot } from './testBot.ts';

// Issue 18: an incident's channel is archived a while after the incident is over, announced first.

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T15:00:00.000Z');
let clock = T0;
let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

async function start(env: Record<string, string> = {}) {
  clock = T0;
  t = await startTestBot({ now: () => new Date(clock), env: { SCHEDULER_TICK_SECONDS: '3600', ...env } });
}

/** Moves the clock to `ms` after T0, runs a scheduler tick and the jobs it queued. */
async function tickAt(ms: number) {
  clock = T0 + ms;
  await t.bot.scheduler.tick();
  await t.bot.jobs.idle();
}

/** Declares, resolves and closes (post-mortem done) an incident; returns it with its channel. */
async function closed(declare = 'declare P3 Checkout errors') {
  const { incident, channel } = await t.declare(declare);
  await t.command('resolve fixed', { channel_id: channel, user_id: DECLARER });
  await t.command('postmortem done https://wiki.example.com/pm/1', {
    channel_id: channel,
    user_id: DECLARER,
  });
  expect((await t.bot.service.get(incident.id)).status).toBe('closed');
  return { incident, channel };
}

const archiveTimers = async (incidentId: number) =>
  (await t.bot.store.timers.listOpen(incidentId))
    .filter((x) => x.kind.startsWith('channel_archive'))
    .map((x) => [x.kind, x.dueAt]);
const notes = async (incidentId: number) =>
  (await t.bot.service.timeline(incidentId))
    .filter((e) => e.kind === 'channel_archived' || e.kind === 'archive_failed')
    .map((e) => e.text);

describe('incident channels are archived after the incident is closed (issue 18)', () => {
  it('30 days after close by default, announced in the channel a day before', async () => {
    await start();
    const { incident, channel } = await closed();
    const closedAt = Date.parse((await t.bot.service.get(incident.id)).closedAt ?? '');
    const archiveAt = new Date(closedAt + 30 * DAY).toISOString();
    expect(await archiveTimers(incident.id)).toEqual([
      ['channel_archive_notice', new Date(closedAt + 29 * DAY).toISOString()],
      ['channel_archive', archiveAt],
    ]);
    await tickAt(28 * DAY);
    expect(
      t.slack.messages(channel).filter((m) => m.text.startsWith('This channel will be archived')),
    ).toEqual([]);
    await tickAt(29 * DAY + 60_000);
    const notice = t.slack.messages(channel).at(-1);
    expect(JSON.stringify(notice?.blocks)).toContain(
      `:file_cabinet: This channel of incident #${incident.id} will be archived ${slackDate(archiveAt)}.`,
    );
    expect(t.slack.channel(channel)?.is_archived).toBe(false);
    await tickAt(30 * DAY + 60_000);
    expect(t.slack.channel(channel)?.is_archived).toBe(true);
    expect(await notes(incident.id)).toEqual(['Channel archived']);
  });

  it('ARCHIVE_AFTER_DAYS overrides the default; a private incident is archived too', async () => {
    await start({ ARCHIVE_AFTER_DAYS: '2' });
    const { incident, channel } = await closed('declare P1 Leaked keys --runbook RUN-004');
    expect(t.slack.channel(channel)?.is_private).toBe(true);
    await tickAt(2 * DAY + 60_000);
    expect(t.slack.channel(channel)?.is_archived).toBe(true);
    expect(await notes(incident.id)).toEqual(['Channel archived']);
  });

  it('a drill channel is archived counting from its resolve (it has no post-mortem)', async () => {
    await start({ ARCHIVE_AFTER_DAYS: '1' });
    await t.command('drill RUN-001');
    const drill = (await t.bot.service.listOpen())[0];
    const channel = drill?.channelId as string;
    await t.command('resolve drill over', { channel_id: channel, user_id: DECLARER });
    await tickAt(DAY + 60_000);
    expect(t.slack.channel(channel)?.is_archived).toBe(true);
  });

  it('an archive Slack refuses is recorded, never retried for ever; a channel archived by hand is fine', async () => {
    await start({ ARCHIVE_AFTER_DAYS: '1' });
    const first = await closed('declare P1 Leaked keys --runbook RUN-004');
    const second = await closed('declare P3 Slow search');
    // The bot was removed from the private channel; someone archived the public one by hand.
    t.slack.failNext('conversations.archive', 'not_in_channel');
    await tickAt(DAY + 60_000);
    expect(await notes(first.incident.id)).toEqual([
      'Channel not archived: the bot is no longer in it. Archive it in Slack by hand, or invite the bot back.',
    ]);
    expect(await notes(second.incident.id)).toEqual(['Channel archived']);
    expect(await t.bot.store.jobs.counts()).toMatchObject({ queued: 0, retrying: 0 });
  });

  it('a public channel the bot left is joined again and archived; one already archived is recorded', async () => {
    await start({ ARCHIVE_AFTER_DAYS: '1' });
    const left = await closed('declare P3 Slow search');
    const byHand = await closed('declare P3 Broken avatars');
    t.slack.failNext('conversations.archive', 'not_in_channel');
    const archivedByHand = t.slack.channel(byHand.channel);
    if (!archivedByHand) throw new Error('no channel for the second incident');
    archivedByHand.is_archived = true;
    await tickAt(DAY + 60_000);
    expect(t.slack.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([left.channel]);
    expect(t.slack.channel(left.channel)?.is_archived).toBe(true);
    expect(await notes(left.incident.id)).toEqual(['Channel archived']);
    expect(await notes(byHand.incident.id)).toEqual(['Channel was already archived']);
  });
});
