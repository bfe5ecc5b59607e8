import { afterEach, describe, expect, it } from 'vitest';
import { BRIEF_FIELDS, UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { FAKE_BOT, type StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, inputValue } from '../support/slackRequests.ts';
import { ANNOUNCE, DECLARER, ESCALATIONS, IC, LEADS, startTestBot, type TestBot } from './testBot.ts';

const STATUS = 'C0STATUS01';
const EXEC = 'C0EXECUTIV';

/** The test policy with durations of seconds, so timers come due within a test. */
const FAST_POLICY = `
timezone: UTC
channels: { announce: ${ANNOUNCE}, status: ${STATUS}, executive: ${EXEC}, escalation: ${ESCALATIONS} }
severities:
  P0: { name: Critical, meaning: down, response_time: 10s, update_every: 30s, executive_brief: true, escalate_after: 60s,
        escalate_to: leadership, repeat_every: 30s, team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01] } } }
  P1: { name: High, meaning: major, response_time: 30s, update_every: 60s, escalate_after: 120s, escalate_to: leadership,
        repeat_every: 60s, team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01] } } }
  P2: { name: Medium, meaning: minor, response_time: 4h, update_every: 2h, escalate_after: next_business_day, escalate_to: leadership }
  P3: { name: Low, meaning: cosmetic, response_time: 2d, update_every: none, escalate_after: none, escalate_to: null }
targets:
  leadership: { label: Leadership, users: [${LEADS[0]}], groups: [S0LEADS001] }
  dba-oncall: { label: Database on-call, groups: [S0ONCALL01] }
`;

const T0 = Date.parse('2026-11-23T15:00:00.000Z');
let clock = T0;
const at = (seconds: number) => {
  clock = T0 + seconds * 1000;
};

let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

/** A bot on the fake clock whose cron never fires during a test: the test ticks it. */
async function start(policy = FAST_POLICY) {
  clock = T0;
  t = await startTestBot({ policy, now: () => new Date(clock), env: { SCHEDULER_TICK_SECONDS: '3600' } });
  for (const [id, name] of [
    [STATUS, 'status'],
    [EXEC, 'exec-briefs'],
  ] as const)
    t.slack.addChannel({ id, name, members: [FAKE_BOT.userId] });
}

function declare(severity = 'P1', title = 'Checkout errors') {
  return t.declare(`declare ${severity} ${title}`);
}

function escalations(): StoredMessage[] {
  return t.slack.messages(ESCALATIONS).filter((m) => m.text.startsWith('Escalation'));
}

function submitView(
  user: string,
  callbackId: string,
  privateMetadata: string,
  values: Record<string, unknown>,
) {
  return t.submitView(user, callbackId, privateMetadata, values);
}

const dateTime = (ms: number) => ({ type: 'datetimepicker', selected_date_time: Math.floor(ms / 1000) });

describe('severity escalation timers', () => {
  it('escalates once, at the due time, with the brief, the target invited and an Acknowledge button', async () => {
    await start();
    const { incident, channel } = await declare();
    at(119);
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(0);

    at(120);
    expect(await t.bot.scheduler.tick()).toBeGreaterThan(0);
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(1);
    const brief = JSON.stringify(escalations()[0]);
    expect(brief).toContain('P1 unresolved after 2 min');
    expect(brief).toContain('<!subteam^S0LEADS001>');
    expect(brief).toContain(`<#${channel}>`);
    expect(brief).not.toContain('fired');
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining(LEADS));
    const entry = (await t.bot.service.timeline(incident.id)).find((e) => e.kind === 'escalation');
    expect(entry).toMatchObject({ actor: 'bot', at: new Date(T0 + 120_000).toISOString() });
    expect(entry?.text).toBe('Escalated to Leadership: P1 unresolved after 2 min');
  });

  it('during a Slack outage: recorded once, the target invited and briefed once when Slack returns (issue 14)', async () => {
    await start();
    const { incident, channel } = await declare();
    at(120);
    t.slack.outage(60_000);
    await t.bot.scheduler.tick();
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(0);
    const queued = (await t.bot.store.jobs.forIncident(incident.id)).filter((j) => j.status === 'queued');
    expect(queued.map((j) => j.kind)).toEqual(['incident.invite-people', 'incident.post', 'incident.post']);
    t.slack.outage(0);
    expect(await t.bot.store.jobs.wakeRetrying()).toBe(1);
    await t.bot.jobs.runIncident(incident.id);
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(1);
    expect(t.slack.messages(channel).filter((m) => m.text.startsWith('Escalation'))).toHaveLength(1);
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining(LEADS));
    expect((await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'escalation')).toHaveLength(
      1,
    );
  });

  it('still fires once when the bot restarts before the due time', async () => {
    await start();
    await declare();
    at(60);
    await t.restart();
    at(120);
    await t.bot.scheduler.tick();
    await t.restart();
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(1);
    expect(JSON.stringify(escalations()[0])).not.toContain('fired');
  });

  it('fires once on start, late, and says so, when the due time passed while the bot was down', async () => {
    await start();
    const { incident } = await declare();
    // The bot is down across the due time: the clock moves on, then it starts again.
    at(120 + 10 * 60);
    await t.restart();
    expect(escalations()).toHaveLength(1);
    expect(JSON.stringify(escalations()[0])).toContain('P1 unresolved after 2 min (fired 10 min late)');
    await t.bot.scheduler.tick();
    await t.restart();
    expect(escalations()).toHaveLength(1);
    const entry = (await t.bot.service.timeline(incident.id)).find((e) => e.kind === 'escalation');
    expect(entry?.text).toBe('Escalated to Leadership: P1 unresolved after 2 min (fired 10 min late)');
  });

  it('cancels pending escalations on resolve', async () => {
    await start();
    const { incident, channel } = await declare();
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => x.kind)).toEqual(
      expect.arrayContaining(['unclaimed', 'escalate', 'update_due']),
    );
    await t.command('resolve fixed by restart', { channel_id: channel });
    // What stays planned is the post-mortem's reminders (days ahead), nothing that escalates.
    expect((await t.bot.store.timers.listOpen(incident.id)).map((x) => x.kind)).toEqual([
      'postmortem_reminder',
      'postmortem_overdue',
    ]);
    at(600);
    expect(await t.bot.scheduler.tick()).toBe(0);
    expect(escalations()).toHaveLength(0);
  });

  it('re-plans on a severity change: raised escalates on the new timer, lowered drops it', async () => {
    await start();
    const { incident, channel } = await declare();
    const due = async (kind: string) =>
      (await t.bot.store.timers.listOpen(incident.id)).filter((x) => x.kind === kind).map((x) => x.dueAt);
    expect(await due('escalate')).toEqual([new Date(T0 + 120_000).toISOString()]);
    at(45);
    await t.command('severity P0', { channel_id: channel });
    // P0 escalates after 60 s from the declaration, and gets an executive brief reminder.
    expect(await due('escalate')).toEqual([new Date(T0 + 60_000).toISOString()]);
    expect(await due('exec_brief_due')).toEqual([new Date(T0 + 30_000).toISOString()]);
    await t.command('severity P3', { channel_id: channel });
    expect(await due('escalate')).toEqual([]);
    expect(await due('exec_brief_due')).toEqual([]);
    await t.command('severity P0', { channel_id: channel });
    at(61);
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(1);
    expect(JSON.stringify(escalations()[0])).toContain('P0 unresolved after 1 min');
  });

  it('repeats an escalation until someone acknowledges it', async () => {
    await start();
    const { incident, channel } = await declare();
    at(120);
    await t.bot.scheduler.tick();
    at(180);
    await t.bot.scheduler.tick();
    expect(escalations().map((m) => m.text.endsWith('(reminder 2)'))).toEqual([false, true]);

    const message = escalations().at(-1) as StoredMessage;
    await t.act(LEADS[0] as string, message, buttonClick(message, ACTIONS.ackEscalation));
    const updated = t.slack.message(ESCALATIONS, message.ts) as StoredMessage;
    expect(JSON.stringify(updated.blocks)).toContain(`Acknowledged by <@${LEADS[0]}>`);
    expect(JSON.stringify(updated.blocks)).not.toContain(ACTIONS.ackEscalation);
    expect(t.slack.messages(channel).at(-1)?.text).toBe(`Escalation acknowledged by <@${LEADS[0]}>`);

    at(600);
    await t.bot.scheduler.tick();
    expect(escalations()).toHaveLength(2);
    const kinds = (await t.bot.service.timeline(incident.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'escalation_ack')).toHaveLength(1);
  });

  it("escalates on the runbook's own delay to the target its front matter names", async () => {
    await start();
    // RUN-001's front matter: escalation after 30m to dba-oncall.
    const { incident } = await declare('P1', 'Database connection pool exhausted --runbook RUN-001');
    at(30 * 60 - 1);
    await t.bot.scheduler.tick();
    const fromRunbook = () => escalations().filter((m) => JSON.stringify(m).includes('RUN-001: escalate'));
    expect(fromRunbook()).toHaveLength(0);
    at(30 * 60);
    await t.bot.scheduler.tick();
    expect(fromRunbook()).toHaveLength(1);
    const brief = JSON.stringify(fromRunbook()[0]);
    expect(brief).toContain('Called in: Database on-call');
    expect(brief).toContain('<!subteam^S0ONCALL01>');
    expect(brief).toContain('*Runbook says contact:* @dba-oncall, then the Backend Team lead');
    const texts = (await t.bot.service.timeline(incident.id)).map((e) => e.text);
    expect(texts).toContain('Escalated to Database on-call: RUN-001: escalate if it persists after 30 min');
  });

  it('pages the team again when nobody claims command within the response time', async () => {
    await start();
    const { incident, channel } = await declare();
    at(30);
    await t.bot.scheduler.tick();
    const repage = t.slack.messages(channel).find((m) => m.text.includes('Paging the response team again'));
    expect(repage?.text).toBe(
      `P1 incident #${incident.id}: Paging the response team again: no commander has claimed this P1 after 30 s`,
    );
    expect(JSON.stringify(repage?.blocks)).toContain(`<@${IC}>`);
    await t.act(IC, repage as StoredMessage, buttonClick(repage as StoredMessage, ACTIONS.claimCommander));
    expect((await t.bot.service.get(incident.id)).commanderId).toBe(IC);

    // Claimed in time: no page.
    const second = await declare('P1', 'Search is slow');
    await t.command(`commander <@${IC}>`, { channel_id: second.channel, user_id: IC });
    at(60);
    await t.bot.scheduler.tick();
    expect(t.slack.messages(second.channel).some((m) => m.text.includes('Paging the response team'))).toBe(
      false,
    );
  });
});

describe('status-page updates and executive briefs', () => {
  it('/incident update opens the prefilled form and posts the exact layout to the channel and #status', async () => {
    await start();
    const { incident, channel } = await declare('P1', 'Database connection pool exhausted');
    at(20);
    await t.command('update', { channel_id: channel, user_id: IC });
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string; element?: Record<string, unknown> }[];
    };
    expect(view.callback_id).toBe(VIEWS.statusUpdate);
    const element = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(element(UPDATE_FIELDS.status.blockId)?.initial_option).toMatchObject({ value: 'investigating' });
    expect(element(UPDATE_FIELDS.action.blockId)?.initial_value).toMatch(/^Step 1: /);
    // Next update prefilled from the P1 cadence (60 s here).
    expect(element(UPDATE_FIELDS.next.blockId)?.initial_date_time).toBe((T0 + 80_000) / 1000);

    await submitView(IC, VIEWS.statusUpdate, view.private_metadata, {
      [UPDATE_FIELDS.status.blockId]: {
        [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('identified'),
      },
      [UPDATE_FIELDS.impact.blockId]: {
        [UPDATE_FIELDS.impact.actionId]: inputValue.plainText('Checkout fails for 30% of users'),
      },
      [UPDATE_FIELDS.action.blockId]: {
        [UPDATE_FIELDS.action.actionId]: inputValue.plainText('Killing idle transactions'),
      },
      [UPDATE_FIELDS.next.blockId]: { [UPDATE_FIELDS.next.actionId]: dateTime(T0 + 20_000 + 900_000) },
    });
    const expected = [
      '<!date^1795446020^{date_short_pretty} {time}|2026-11-23 15:00 UTC> — api-db Incident',
      'Status: Identified',
      'Impact: Checkout fails for 30% of users',
      'Current action: Killing idle transactions',
      'Next update: <!date^1795446920^{date_short_pretty} {time}|2026-11-23 15:15 UTC>',
    ].join('\n');
    expect(t.slack.messages(STATUS).at(-1)?.text).toBe(expected);
    expect(t.slack.messages(channel).at(-1)?.text).toBe(expected);
    expect((await t.bot.service.get(incident.id)).status).toBe('identified');
    // The reminder moves to the time the update promised.
    const reminder = (await t.bot.store.timers.listOpen(incident.id)).filter((x) => x.kind === 'update_due');
    expect(reminder.map((x) => x.dueAt)).toEqual([new Date(T0 + 920_000).toISOString()]);
    expect((await t.bot.service.timeline(incident.id)).map((e) => e.kind)).toContain('status_update');
  });

  it('reminds when an update is due, then again saying how overdue, with a button to the form', async () => {
    await start();
    const { channel } = await declare();
    at(60);
    await t.bot.scheduler.tick();
    const due = t.slack.messages(channel).filter((m) => m.text.startsWith('Status update'));
    expect(due.map((m) => m.text)).toEqual([expect.stringMatching(/^Status update due: P1 incident/)]);
    at(120);
    await t.bot.scheduler.tick();
    const reminders = t.slack.messages(channel).filter((m) => m.text.startsWith('Status update'));
    expect(reminders.at(-1)?.text).toMatch(/^Status update overdue by 1 min: P1 incident/);
    const last = reminders.at(-1) as StoredMessage;
    await t.act(IC, last, buttonClick(last, ACTIONS.openStatusUpdate));
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as { callback_id: string };
    expect(view.callback_id).toBe(VIEWS.statusUpdate);
  });

  it('/incident exec posts the executive brief in the exact layout to the executive channel', async () => {
    await start();
    const { channel } = await declare('P0', 'Checkout down');
    await t.command('exec', { channel_id: channel, user_id: IC });
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe(VIEWS.execBrief);
    await submitView(IC, VIEWS.execBrief, view.private_metadata, {
      [BRIEF_FIELDS.situation.blockId]: {
        [BRIEF_FIELDS.situation.actionId]: inputValue.plainText('Checkout is down for all users'),
      },
      [BRIEF_FIELDS.cause.blockId]: {
        [BRIEF_FIELDS.cause.actionId]: inputValue.plainText('A bad <release> 1.4.3'),
      },
      [BRIEF_FIELDS.action.blockId]: { [BRIEF_FIELDS.action.actionId]: inputValue.plainText('Rolling back') },
      [BRIEF_FIELDS.eta.blockId]: { [BRIEF_FIELDS.eta.actionId]: inputValue.plainText('20 min') },
      [BRIEF_FIELDS.impact.blockId]: {
        [BRIEF_FIELDS.impact.actionId]: inputValue.plainText('All orders fail'),
      },
      [BRIEF_FIELDS.next.blockId]: { [BRIEF_FIELDS.next.actionId]: dateTime(T0 + 900_000) },
    });
    expect(t.slack.messages(EXEC).at(-1)?.text).toBe(
      [
        'INCIDENT BRIEF — <!date^1795446000^{date_short_pretty} {time}|2026-11-23 15:00 UTC>',
        'SITUATION: Checkout is down for all users',
        'CAUSE: A bad &lt;release&gt; 1.4.3',
        'ACTION: Rolling back — ETA 20 min',
        'IMPACT: All orders fail',
        'NEXT UPDATE: <!date^1795446900^{date_short_pretty} {time}|2026-11-23 15:15 UTC>',
      ].join('\n'),
    );
    expect(t.slack.messages(channel).at(-1)?.text).toBe(`Executive brief posted to <#${EXEC}> by <@${IC}>`);
  });

  it('refuses a next update in the past', async () => {
    await start();
    const { channel } = await declare();
    await t.command('update', { channel_id: channel });
    const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    const res = await submitView(DECLARER, VIEWS.statusUpdate, view.private_metadata, {
      [UPDATE_FIELDS.status.blockId]: {
        [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('investigating'),
      },
      [UPDATE_FIELDS.impact.blockId]: { [UPDATE_FIELDS.impact.actionId]: inputValue.plainText('x') },
      [UPDATE_FIELDS.action.blockId]: { [UPDATE_FIELDS.action.actionId]: inputValue.plainText('y') },
      [UPDATE_FIELDS.next.blockId]: { [UPDATE_FIELDS.next.actionId]: dateTime(T0 - 60_000) },
    });
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { [UPDATE_FIELDS.next.blockId]: 'Pick a time in the future.' },
    });
    expect(t.slack.messages(STATUS)).toHaveLength(0);
  });
});

describe('the real cron tick', () => {
  it('fires a due escalation by itself with a 1 s tick, once', async () => {
    const policy = FAST_POLICY.replace('escalate_after: 120s', 'escalate_after: 2s').replace(
      'repeat_every: 60s',
      'repeat_every: none',
    );
    t = await startTestBot({ policy, env: { SCHEDULER_TICK_SECONDS: '1' } });
    await t.command('declare P1 Checkout errors');
    const call = await t.slack.waitFor('chat.postMessage', (args) => args.channel === ESCALATIONS, 10_000);
    expect(String(call.args.text)).toMatch(/^Escalation: P1 incident/);
    const incident = (await t.bot.service.listOpen())[0];
    const entry = (await t.bot.service.timeline(incident?.id ?? 0)).find((e) => e.kind === 'escalation');
    // Never before it is due.
    expect(Date.parse(entry?.at ?? '') - Date.parse(incident?.declaredAt ?? '')).toBeGreaterThanOrEqual(2000);
    await t.bot.scheduler.tick();
    expect(t.slack.messages(ESCALATIONS).filter((m) => m.text.startsWith('Escalation'))).toHaveLength(1);
  });
});
