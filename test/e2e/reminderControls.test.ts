import { afterEach, describe, expect, it } from 'vitest';
import { slackDate } from '../../src/slack/blocks/mrkdwn.ts';
import { UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { FAKE_BOT, type StoredMessage } from '../support/fakeSlack.ts';
import {
  appHomeOpenedEvent,
  buttonClick,
  event,
  inputValue,
  reactionAddedEvent,
} from '../support/slackRequests.ts';
import { ANNOUNCE, ESCALATIONS, IC, LEADS, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

// Issue 18: a reminder can be snoozed or dismissed, stops at its cap, restarts from a posted update, and
// App Home shows an overdue update even though its re-armed reminder is due in the future.

const STATUS = 'C0STATUS01';
const EXEC = 'C0EXECUTIV';
const POLICY = `
timezone: UTC
reminders: { cap: 3 }
channels: { announce: ${ANNOUNCE}, status: ${STATUS}, executive: ${EXEC}, escalation: ${ESCALATIONS} }
severities:
  P0: { name: Critical, meaning: down, response_time: 10s, update_every: 30s, executive_brief: true, escalate_after: 60s,
        escalate_to: leadership, repeat_every: 30s, team: { incident_commander: { users: [${IC}] } } }
  P1: { name: High, meaning: major, response_time: 1h, update_every: 60s, escalate_after: 2h, escalate_to: leadership,
        repeat_every: 60s, team: { incident_commander: { users: [${IC}] } } }
  P2: { name: Medium, meaning: minor, response_time: 4h, update_every: 2h, escalate_after: next_business_day, escalate_to: leadership }
  P3: { name: Low, meaning: cosmetic, response_time: 2d, update_every: none, escalate_after: none, escalate_to: null }
targets:
  leadership: { label: Leadership, users: [${LEADS[0]}], groups: [S0LEADS001] }
`;

const T0 = Date.parse('2026-11-23T15:00:00.000Z');
let clock = T0;
let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

async function start() {
  clock = T0;
  t = await startTestBot({
    policy: POLICY,
    now: () => new Date(clock),
    env: { SCHEDULER_TICK_SECONDS: '3600' },
  });
  for (const id of [STATUS, EXEC])
    t.slack.addChannel({ id, name: id.toLowerCase(), members: [FAKE_BOT.userId] });
  return t.declare('declare P1 Checkout errors');
}

/** Moves the clock to `seconds` after T0 and runs a scheduler tick. */
async function tickAt(seconds: number) {
  clock = T0 + seconds * 1000;
  await t.bot.scheduler.tick();
  await t.bot.jobs.idle();
}

const reminders = (channel: string) =>
  t.slack.messages(channel).filter((m) => m.text.startsWith('Status update'));
const lastContext = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks.at(-1));
const updateTimers = async (incidentId: number) =>
  (await t.bot.store.timers.listOpen(incidentId)).filter((x) => x.kind === 'update_due');

describe('update reminders (issue 18)', () => {
  it('Snooze 15 min: no reminder until then, the message says who snoozed until when', async () => {
    const { incident, channel } = await start();
    await tickAt(60);
    const first = reminders(channel).at(-1) as StoredMessage;
    expect(lastContext(first)).toContain('Reminder 1 of 3. Posting the update resets the clock.');
    clock = T0 + 70_000;
    await t.act(IC, first, buttonClick(first, ACTIONS.snoozeReminder));
    const until = new Date(T0 + 70_000 + 15 * 60_000).toISOString();
    expect((await updateTimers(incident.id)).map((x) => x.dueAt)).toEqual([until]);
    const snoozed = t.slack.message(channel, first.ts) as StoredMessage;
    expect(lastContext(snoozed)).toContain(`:zzz: Snoozed by <@${IC}> until ${slackDate(until)}.`);
    expect(JSON.stringify(snoozed.blocks)).not.toContain(ACTIONS.snoozeReminder);
    await tickAt(130);
    expect(reminders(channel)).toHaveLength(1);
    await tickAt(70 + 15 * 60);
    expect(reminders(channel).map((m) => m.text)).toEqual([
      expect.stringMatching(/^Status update due: /),
      expect.stringMatching(/^Status update overdue by 15 min 10 s: /),
    ]);
    expect((await t.bot.service.timeline(incident.id)).map((e) => e.text)).toContain(
      `Status update reminder snoozed for 15 min by <@${IC}>`,
    );
  });

  it('stops at the cap, and a later status change does not restart the chain', async () => {
    const { incident, channel } = await start();
    for (const s of [60, 120, 180, 240, 300]) await tickAt(s);
    expect(reminders(channel)).toHaveLength(3);
    expect(lastContext(reminders(channel).at(-1))).toContain(
      'Reminder 3 of 3: the last one. No more reminders until an update is posted.',
    );
    expect(await updateTimers(incident.id)).toEqual([]);
    await t.command('status identified bad deploy', { channel_id: channel, user_id: IC });
    await tickAt(400);
    expect(reminders(channel)).toHaveLength(3);
    expect((await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'reminder_stopped')).toEqual([
      expect.objectContaining({
        text: 'Status update reminders stopped after 3: none until the next update is posted',
      }),
    ]);
  });

  it('Dismiss: no more reminders of this due update', async () => {
    const { incident, channel } = await start();
    await tickAt(60);
    const first = structuredClone(reminders(channel).at(-1) as StoredMessage);
    await t.act(IC, first, buttonClick(first, ACTIONS.dismissReminder));
    expect(await updateTimers(incident.id)).toEqual([]);
    expect(lastContext(t.slack.message(channel, first.ts))).toContain(`:no_bell: Dismissed by <@${IC}>`);
    await tickAt(600);
    expect(reminders(channel)).toHaveLength(1);
    // A second click on the old message says why nothing happens.
    await t.act(IC, first, buttonClick(first, ACTIONS.dismissReminder));
    expect(t.slack.ephemerals(channel).map((e) => e.text)).toEqual([
      `No status update reminder is running for incident #${incident.id}: the update was posted, the reminder dismissed, or the incident resolved.`,
    ]);
  });

  it('a status update posted from the form resets the clock: the next reminder is a first one', async () => {
    const { incident, channel } = await start();
    await tickAt(60);
    await tickAt(120);
    expect(lastContext(reminders(channel).at(-1))).toContain('Reminder 2 of 3');
    clock = T0 + 150_000;
    const second = reminders(channel).at(-1) as StoredMessage;
    await t.act(IC, second, buttonClick(second, ACTIONS.openStatusUpdate));
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    await t.submitView(IC, VIEWS.statusUpdate, view.private_metadata, {
      [UPDATE_FIELDS.status.blockId]: {
        [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('investigating'),
      },
      [UPDATE_FIELDS.impact.blockId]: {
        [UPDATE_FIELDS.impact.actionId]: inputValue.plainText('Checkout slow'),
      },
      [UPDATE_FIELDS.action.blockId]: {
        [UPDATE_FIELDS.action.actionId]: inputValue.plainText('Rolling back'),
      },
      [UPDATE_FIELDS.next.blockId]: {
        [UPDATE_FIELDS.next.actionId]: { type: 'datetimepicker', selected_date_time: (T0 + 210_000) / 1000 },
      },
    });
    expect((await updateTimers(incident.id)).map((x) => [x.dueAt, x.payload?.round])).toEqual([
      [new Date(T0 + 210_000).toISOString(), 1],
    ]);
    await tickAt(180);
    expect(reminders(channel)).toHaveLength(2);
    await tickAt(210);
    expect(reminders(channel).at(-1)?.text).toMatch(/^Status update due: /);
    expect(lastContext(reminders(channel).at(-1))).toContain('Reminder 1 of 3');
  });

  it('a status update posted by hand and marked with :loudspeaker: resets the clock, once', async () => {
    const { incident, channel } = await start();
    await tickAt(60);
    await tickAt(120);
    clock = T0 + 150_000;
    const posted = t.slack.postAsUser(channel, OTHER, 'Status: checkout recovering, rollback 80% done');
    const mark = (user: string) =>
      event(t.url, SECRET, reactionAddedEvent({ user, reaction: 'loudspeaker', channel, ts: posted.ts }));
    expect((await mark(IC)).status).toBe(200);
    expect((await mark(OTHER)).status).toBe(200);
    const updates = (await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'status_update');
    expect(updates.map((e) => [e.actor, e.text])).toEqual([
      [IC, 'Status update (posted by hand): Status: checkout recovering, rollback 80% done'],
    ]);
    const next = new Date(T0 + 210_000).toISOString();
    expect((await updateTimers(incident.id)).map((x) => [x.dueAt, x.payload?.round])).toEqual([[next, 1]]);
    expect(t.slack.ephemerals(channel).map((e) => [e.user, e.text])).toEqual([
      [
        IC,
        `:loudspeaker: Recorded as a status update on the timeline; the reminder's clock starts again. The next one is due ${slackDate(next)}.`,
      ],
    ]);
    await tickAt(180);
    expect(reminders(channel)).toHaveLength(2);
    await tickAt(210);
    expect(reminders(channel).at(-1)?.text).toMatch(/^Status update due: /);
  });

  it('App Home lists the overdue update although its re-armed reminder is due later', async () => {
    const { incident } = await start();
    await tickAt(60);
    await tickAt(90);
    expect((await updateTimers(incident.id)).map((x) => x.dueAt)).toEqual([
      new Date(T0 + 120_000).toISOString(),
    ]);
    await event(t.url, SECRET, appHomeOpenedEvent({ user: IC }));
    const home = JSON.stringify(t.slack.homeView(IC)?.blocks);
    expect(home).toContain(
      `⏰ status update overdue since ${slackDate(new Date(T0 + 60_000).toISOString())}`,
    );
  });
});
