import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { validateView } from '../support/blockLimits.ts';
import { FAKE_BOT, type StoredMessage } from '../support/fakeSlack.ts';
import { appHomeOpenedEvent, buttonClick, event } from '../support/slackRequests.ts';
import {
  ANNOUNCE,
  ESCALATIONS,
  IC,
  LEADS,
  ONCALL,
  OTHER,
  SECRET,
  startTestBot,
  type TestBot,
} from './testBot.ts';

/** Post-mortem durations of seconds, and working hours (UTC, Mon-Fri 09-17) that cover the test clock. */
const POLICY = `
timezone: UTC
business_hours: { start: '09:00', end: '17:00', days: [mon, tue, wed, thu, fri] }
postmortem: { due_after: 60s, remind_before: 30s, remind_every: 60s }
channels: { announce: ${ANNOUNCE}, status: C0STATUS01, executive: C0EXECUTIV, escalation: ${ESCALATIONS} }
severities:
  P0: { name: Critical, meaning: down, response_time: 10s, update_every: 30s, executive_brief: true, escalate_after: 60s,
        escalate_to: leadership, repeat_every: 30s, team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01] } } }
  P1: { name: High, meaning: major, response_time: 30s, update_every: none, escalate_after: 120s, escalate_to: leadership,
        repeat_every: 60s, team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01] } } }
  P2: { name: Medium, meaning: minor, response_time: 4h, update_every: 2h, escalate_after: next_business_day, escalate_to: leadership }
  P3: { name: Low, meaning: cosmetic, response_time: 2d, update_every: none, escalate_after: none, escalate_to: null }
targets:
  leadership: { label: Leadership, users: [${LEADS[0]}], groups: [S0LEADS001] }
  dba-oncall: { label: Database on-call, groups: [S0ONCALL01] }
`;

/** Monday 2026-11-23 15:00 UTC: within working hours. */
const T0 = Date.parse('2026-11-23T15:00:00.000Z');
let clock = T0;
const at = (seconds: number) => {
  clock = T0 + seconds * 1000;
};
const DM_IC = `D${IC.slice(1)}`;
const DM_OTHER = `D${OTHER.slice(1)}`;

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

async function start(startAt = T0) {
  clock = startAt;
  t = await startTestBot({
    policy: POLICY,
    now: () => new Date(clock),
    env: { SCHEDULER_TICK_SECONDS: '3600' },
  });
  for (const [id, name] of [
    ['C0STATUS01', 'status'],
    ['C0EXECUTIV', 'exec-briefs'],
  ] as const)
    t.slack.addChannel({ id, name, members: [FAKE_BOT.userId] });
}

async function declareAndResolve(severity = 'P3') {
  await t.command(`declare ${severity} Checkout errors`);
  const incident = (await t.bot.service.listOpen()).at(-1);
  if (!incident?.channelId) throw new Error('no incident channel');
  const channel = incident.channelId;
  await t.command(`commander <@${IC}|ic>`, { channel_id: channel });
  await t.command('resolve fixed', { channel_id: channel, user_id: IC });
  return { incident, channel };
}

const reminders = (messages: StoredMessage[]) => messages.filter((m) => m.text.startsWith('Post-mortem of'));

describe('post-mortem reminders', () => {
  it('reminds the commander and the channel before and after the due time, survives a restart, stops when done', async () => {
    await start();
    const { incident, channel } = await declareAndResolve();
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => [x.kind, x.dueAt])).toEqual([
      ['postmortem_reminder', new Date(T0 + 30_000).toISOString()],
      ['postmortem_overdue', new Date(T0 + 60_000).toISOString()],
    ]);

    at(29);
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC))).toHaveLength(0);

    at(30);
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC)).map((m) => m.text)).toEqual([
      `Post-mortem of incident #${incident.id} due in 30 s`,
    ]);
    expect(reminders(t.slack.messages(channel)).map((m) => m.text)).toEqual([
      `Post-mortem of incident #${incident.id} due in 30 s`,
    ]);
    // The DM points at the incident channel; the channel's copy need not.
    expect(JSON.stringify(reminders(t.slack.messages(DM_IC))[0]?.blocks)).toContain(`<#${channel}>`);

    at(60);
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC)).at(-1)?.text).toBe(
      `Post-mortem of incident #${incident.id} due now`,
    );

    at(120);
    await t.bot.scheduler.tick();
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC)).at(-1)?.text).toBe(
      `Post-mortem of incident #${incident.id} overdue by 1 min`,
    );
    expect(reminders(t.slack.messages(DM_IC))).toHaveLength(3);

    // Down across the next due time: it fires once at start, late, and the chain goes on.
    at(150);
    await t.restart();
    at(185);
    await t.restart();
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC))).toHaveLength(4);
    expect(reminders(t.slack.messages(DM_IC)).at(-1)?.text).toBe(
      `Post-mortem of incident #${incident.id} overdue by 2 min 5 s`,
    );
    expect(reminders(t.slack.messages(channel))).toHaveLength(4);
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => x.kind)).toEqual([
      'postmortem_overdue',
    ]);

    await t.command('postmortem done https://wiki.example.com/pm/1', { channel_id: channel, user_id: IC });
    expect((await t.bot.service.get(incident.id)).status).toBe('closed');
    // The reminders stop; what is left is the channel's archive, a while after the close (issue 18).
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => x.kind)).toEqual([
      'channel_archive_notice',
      'channel_archive',
    ]);
    at(24 * 3600);
    await t.bot.scheduler.tick();
    await t.restart();
    expect(reminders(t.slack.messages(DM_IC))).toHaveLength(4);
    expect(reminders(t.slack.messages(channel))).toHaveLength(4);
    const entries = (await t.bot.service.timeline(incident.id)).filter(
      (e) => e.kind === 'postmortem_reminder',
    );
    expect(entries).toHaveLength(4);
  });

  it('moves a reminder that falls outside working hours to the start of the next business day', async () => {
    // Friday 16:59:30 UTC: the post-mortem is due at 17:00:30, after hours.
    const friday = Date.parse('2026-11-27T16:59:30.000Z');
    await start(friday);
    const { incident, channel } = await declareAndResolve();
    // The reminder before it (17:00:00) is after hours too, and would land after the due time: dropped.
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => [x.kind, x.dueAt])).toEqual([
      ['postmortem_overdue', '2026-11-30T09:00:00.000Z'],
    ]);
    clock = Date.parse('2026-11-28T03:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(channel))).toHaveLength(0);
    clock = Date.parse('2026-11-30T09:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(channel)).map((m) => m.text)).toEqual([
      `Post-mortem of incident #${incident.id} overdue by 2 d 15 h 59 min`,
    ]);
  });

  it('does not remind about a reopened incident, and plans again when it is resolved again', async () => {
    await start();
    const { incident, channel } = await declareAndResolve();
    await t.command('status investigating', { channel_id: channel, user_id: IC });
    at(30);
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC))).toHaveLength(0);
    await t.command('resolve fixed again', { channel_id: channel, user_id: IC });
    // The first due time stands: the overdue reminder is planned at it, and fires.
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => x.kind)).toEqual([
      'postmortem_overdue',
    ]);
    at(60);
    await t.bot.scheduler.tick();
    expect(reminders(t.slack.messages(DM_IC)).map((m) => m.text)).toEqual([
      `Post-mortem of incident #${incident.id} due now`,
    ]);
  });
});

describe('follow-up reminders', () => {
  it('reminds the owner of an overdue follow-up once a working day, across restarts', async () => {
    await start();
    const { channel } = await declareAndResolve();
    await t.command(`followup Alert on pool usage at 70% <@${OTHER}|bob> 2026-11-23`, {
      channel_id: channel,
      user_id: IC,
    });
    const followupReminders = () => t.slack.messages(DM_OTHER).filter((m) => m.text.startsWith('Follow-up'));
    await t.bot.scheduler.tick();
    expect(followupReminders()).toHaveLength(0);

    // Tuesday 09:00: the daily check; the item was due yesterday.
    clock = Date.parse('2026-11-24T09:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(followupReminders().map((m) => m.text)).toEqual(['Follow-up from incident #1 overdue by 1 day']);
    expect(JSON.stringify(followupReminders()[0]?.blocks)).toContain('Alert on pool usage at 70%');

    clock = Date.parse('2026-11-24T11:00:00.000Z');
    await t.restart();
    await t.bot.scheduler.tick();
    await t.restart();
    expect(followupReminders()).toHaveLength(1);
    // One check planned ahead, not one a restart.
    expect((await t.bot.store.timers.listOpenGlobal('followups_check')).map((x) => x.dueAt)).toEqual([
      '2026-11-25T09:00:00.000Z',
    ]);

    clock = Date.parse('2026-11-25T09:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(followupReminders().map((m) => m.text)).toEqual([
      'Follow-up from incident #1 overdue by 1 day',
      'Follow-up from incident #1 overdue by 2 days',
    ]);

    // The owner clicks Done on the reminder: recorded, and no reminder the next day.
    const latest = followupReminders().at(-1) as StoredMessage;
    await t.act(OTHER, latest, buttonClick(latest, ACTIONS.followupDone));
    expect(
      (await t.bot.service.timeline(1)).filter((e) => e.kind === 'followup_done').map((e) => e.actor),
    ).toEqual([OTHER]);
    clock = Date.parse('2026-11-26T09:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(followupReminders()).toHaveLength(2);
  });
});

describe('drills and timers', () => {
  it('a drill pages nobody when its re-page and escalation timers fire', async () => {
    await start();
    await t.command('drill RUN-001');
    const drill = (await t.bot.service.listOpen())[0];
    const channel = drill?.channelId as string;
    expect(drill?.drill).toBe(true);
    const before = t.slack.calls.length;
    at(30);
    await t.bot.scheduler.tick();
    at(30 * 60);
    await t.bot.scheduler.tick();
    at(2 * 3600);
    await t.bot.scheduler.tick();
    await t.bot.scheduler.tick();
    const calls = t.slack.calls.slice(before);
    const everything = JSON.stringify(calls.map((c) => c.args));
    for (const person of [...LEADS, ...ONCALL, IC]) expect(everything).not.toContain(person);
    expect(everything).not.toContain('<!subteam^');
    expect(calls.filter((c) => c.method === 'conversations.invite')).toEqual([]);
    expect(t.slack.messages(ESCALATIONS)).toEqual([]);
    const texts = t.slack.messages(channel).map((m) => m.text);
    expect(texts).toContain('DRILL: the response team would be paged again');
    expect(texts.filter((x) => x.startsWith('🧪 DRILL: this would escalate to'))).toEqual([
      '🧪 DRILL: this would escalate to Leadership. Nobody was paged.',
      '🧪 DRILL: this would escalate to Database on-call. Nobody was paged.',
    ]);
  });
});

describe('App Home after the fire', () => {
  it("shows the commander's unwritten post-mortem, the owner's overdue follow-up, and MTTA/MTTR", async () => {
    await start();
    const { incident, channel } = await declareAndResolve('P1');
    await t.command(`followup Add a pool alert <@${OTHER}|bob> 2026-11-20`, {
      channel_id: channel,
      user_id: IC,
    });
    await event(t.url, SECRET, appHomeOpenedEvent({ user: IC }));
    await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    const icView = t.slack.homeView(IC);
    const otherView = t.slack.homeView(OTHER);
    expect(validateView({ type: 'home', blocks: icView?.blocks ?? [] }, 'home')).toEqual([]);
    const ic = JSON.stringify(icView?.blocks);
    expect(ic).toContain(`Post-mortem of incident #${incident.id}`);
    expect(ic).toContain('Response times, last 30 days');
    expect(ic).toMatch(/\*P1\* · 1 · MTTD — · MTTA 0 s · MTTM — · MTTR 0 s/);
    const other = JSON.stringify(otherView?.blocks);
    expect(other).toContain('Follow-up from incident #1, due 2026-11-20: Add a pool alert');
    expect(other).not.toContain('Post-mortem of incident');

    // Still listed the next day, after its reminder went out.
    clock = Date.parse('2026-11-24T09:00:00.000Z');
    await t.bot.scheduler.tick();
    expect(t.slack.messages(DM_OTHER).filter((m) => m.text.startsWith('Follow-up'))).toHaveLength(1);
    await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    expect(JSON.stringify(t.slack.homeView(OTHER)?.blocks)).toContain('Add a pool alert');
  });
});
