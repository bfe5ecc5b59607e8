import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { BRIEF_FIELDS, UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { FAKE_BOT, type RecordedCall, type StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, inputValue } from '../support/slackRequests.ts';
import { IC, OTHER, sqliteOf, startTestBot, type TestBot } from './testBot.ts';

/** The policy's status and executive channels (test/support/testRunbooks.ts): public, as in most workspaces. */
const STATUS = 'C0STATUS01';
const EXEC = 'C0EXECUTIV';
/** A distinctive word so any leak is found by a substring search over every call. */
const SLUG = 'pangolin';

let t: TestBot;
let secret: Incident;
let drill: Incident;

const dateTime = (ms: number) => ({ type: 'datetimepicker', selected_date_time: Math.floor(ms / 1000) });

async function postUpdate(channel: string, impact: string): Promise<void> {
  await t.command('update', { channel_id: channel, user_id: IC });
  const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  await t.submitView(IC, VIEWS.statusUpdate, view.private_metadata, {
    [UPDATE_FIELDS.status.blockId]: {
      [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('identified'),
    },
    [UPDATE_FIELDS.impact.blockId]: {
      [UPDATE_FIELDS.impact.actionId]: inputValue.plainText(impact),
    },
    [UPDATE_FIELDS.action.blockId]: {
      [UPDATE_FIELDS.action.actionId]: inputValue.plainText('Rotating keys'),
    },
    [UPDATE_FIELDS.next.blockId]: { [UPDATE_FIELDS.next.actionId]: dateTime(Date.now() + 900_000) },
  });
}

async function postBrief(channel: string, situation: string): Promise<void> {
  await t.command('exec', { channel_id: channel, user_id: IC });
  const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  const text = (value: string) => inputValue.plainText(value);
  await t.submitView(IC, VIEWS.execBrief, view.private_metadata, {
    [BRIEF_FIELDS.situation.blockId]: { [BRIEF_FIELDS.situation.actionId]: text(situation) },
    [BRIEF_FIELDS.cause.blockId]: { [BRIEF_FIELDS.cause.actionId]: text('A public CI log') },
    [BRIEF_FIELDS.action.blockId]: { [BRIEF_FIELDS.action.actionId]: text('Rotating') },
    [BRIEF_FIELDS.eta.blockId]: { [BRIEF_FIELDS.eta.actionId]: text('1 h') },
    [BRIEF_FIELDS.impact.blockId]: { [BRIEF_FIELDS.impact.actionId]: text('None known') },
    [BRIEF_FIELDS.next.blockId]: { [BRIEF_FIELDS.next.actionId]: dateTime(Date.now() + 900_000) },
  });
}

beforeAll(async () => {
  t = await startTestBot({ env: { SCHEDULER_TICK_SECONDS: '3600' } });
  t.slack.addChannel({ id: STATUS, name: 'status', members: [FAKE_BOT.userId] });
  t.slack.addChannel({ id: EXEC, name: 'exec-briefs', members: [FAKE_BOT.userId] });
  // A security runbook makes the incident private.
  secret = (await t.declare(`declare P0 Breach of ${SLUG} customer data --runbook RUN-004`)).incident;
  const channel = secret.channelId ?? '';
  const header = t.slack.messages(channel)[0] as StoredMessage;
  await t.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
  await postUpdate(channel, `${SLUG} data exposed`);
  await postBrief(channel, `${SLUG} keys leaked`);
  await t.escalate(IC, header, ['data_breach'], `${SLUG} records in the dump`);
  // The severity timer's escalation, made due now.
  sqliteOf(t.bot)
    .prepare(
      "UPDATE timers SET due_at = ? WHERE incident_id = ? AND kind LIKE 'escalat%' AND fired_at IS NULL",
    )
    .run(new Date(Date.now() - 1_000).toISOString(), secret.id);
  await t.bot.scheduler.tick();

  drill = (await t.declare('drill RUN-001')).incident;
  await postUpdate(drill.channelId ?? '', 'Drill: checkout slow');
  await postBrief(drill.channelId ?? '', 'Drill: checkout slow');
}, 60_000);

afterAll(async () => {
  await t.stop();
});

function isPublic(call: RecordedCall): boolean {
  const channel = call.args.channel ?? call.args.channel_id;
  if (typeof channel !== 'string' || /^[UWD]/.test(channel)) return false;
  const known = t.slack.channel(channel);
  return known !== undefined && !known.is_private && !known.is_im;
}

describe('issue 14: private incidents and drills stay where they belong', () => {
  it('nothing of the private incident reaches a public channel, over every recorded call', () => {
    const publicCalls = t.slack.calls.filter(isPublic);
    // The announcement and the escalation notice did reach public channels: the check is not vacuous.
    expect(publicCalls.length).toBeGreaterThan(2);
    for (const call of publicCalls) expect(JSON.stringify(call.args), `${call.method}`).not.toContain(SLUG);
    expect(t.slack.messages(STATUS)).toEqual([]);
    expect(t.slack.messages(EXEC)).toEqual([]);
  });

  it('keeps the status update and the brief in its own channel, saying why', async () => {
    const texts = t.slack.messages(secret.channelId ?? '').map((m) => m.text);
    expect(
      texts.filter((x) => x.startsWith(':lock: Private incident: not posted to the status channel')),
    ).toHaveLength(1);
    expect(
      texts.filter((x) => x.startsWith(':lock: Private incident: not posted to the executive channel')),
    ).toHaveLength(1);
    expect((await t.bot.service.timeline(secret.id)).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['status_update', 'exec_brief', 'escalation']),
    );
  });

  it('a drill posts nothing to the status or executive channels, and marks what it would have said', () => {
    expect(drill.drill).toBe(true);
    const texts = t.slack.messages(drill.channelId ?? '').map((m) => m.text);
    expect(
      texts.filter((x) => x.startsWith(':construction: DRILL: not posted to the status channel')),
    ).toHaveLength(1);
    expect(
      texts.filter((x) => x.startsWith(':construction: DRILL: not posted to the executive channel')),
    ).toHaveLength(1);
    for (const call of t.slack.calls) {
      const channel = call.args.channel ?? call.args.channel_id;
      if (channel === STATUS || channel === EXEC) throw new Error(`${call.method} reached ${channel}`);
    }
  });

  it('refuses a click from someone outside the private channel, even with the right channel id', async () => {
    const channel = secret.channelId ?? '';
    const header = t.slack.messages(channel)[0] as StoredMessage;
    const before = t.slack.callsTo('chat.postEphemeral').length;
    await t.act(OTHER, header, buttonClick(header, ACTIONS.resolve));
    await t.act(OTHER, header, buttonClick(header, ACTIONS.claimCommander));
    expect(await t.bot.service.get(secret.id)).toMatchObject({ status: 'identified', commanderId: IC });
    const refusals = t.slack
      .callsTo('chat.postEphemeral')
      .slice(before)
      .map((c) => [c.args.user, String(c.args.text)]);
    expect(refusals).toEqual([
      [
        OTHER,
        `Incident #${secret.id} is private: only the people in its channel can see or change it. Ask its commander to invite you.`,
      ],
      [
        OTHER,
        `Incident #${secret.id} is private: only the people in its channel can see or change it. Ask its commander to invite you.`,
      ],
    ]);
  });
});
