import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPDATE_FIELDS } from '../../src/slack/blocks/updates.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { checkboxChange, event, eventCallback, findElement, inputValue } from '../support/slackRequests.ts';
import { DECLARER, IC, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

const BOB = 'U0BOB00001';
const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const MIN = 60_000;

let clock = T0;
let t: TestBot;
beforeEach(async () => {
  clock = T0;
  t = await startTestBot({ now: () => new Date(clock) });
});
afterEach(async () => {
  await t.stop();
});

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The whole message as one string: what the asker reads, Slack date tokens included. */
function replyText(index = -1): string {
  const body = t.slack.responses.at(index)?.body as { text: string; blocks: unknown[] };
  return `${body.text}\n${JSON.stringify(body.blocks)}`;
}

async function tickAll(user: string, message: StoredMessage): Promise<void> {
  const element = findElement(message.blocks, ACTIONS.toggleChecks)?.element as unknown as {
    options: { value: string }[];
  };
  await t.act(
    user,
    message,
    checkboxChange(message, ACTIONS.toggleChecks, { check: element.options.map((o) => o.value) }),
  );
}

async function postUpdate(channel: string, impact: string): Promise<void> {
  await t.command('update', { channel_id: channel, user_id: IC });
  const view = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  await t.submitView(IC, VIEWS.statusUpdate, view.private_metadata, {
    [UPDATE_FIELDS.status.blockId]: {
      [UPDATE_FIELDS.status.actionId]: inputValue.staticSelect('identified'),
    },
    [UPDATE_FIELDS.impact.blockId]: { [UPDATE_FIELDS.impact.actionId]: inputValue.plainText(impact) },
    [UPDATE_FIELDS.action.blockId]: {
      [UPDATE_FIELDS.action.actionId]: inputValue.plainText('Killing idle sessions'),
    },
    [UPDATE_FIELDS.next.blockId]: {
      [UPDATE_FIELDS.next.actionId]: {
        type: 'datetimepicker',
        selected_date_time: seconds(clock + 30 * MIN),
      },
    },
  });
}

/** Forty minutes in: a commander, step 1 done, step 2 handed to Bob, the status update overdue. */
async function fortyMinutesIn() {
  const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
  clock = T0 + MIN;
  await t.command(`commander <@${IC}>`, { channel_id: channel, user_id: IC });
  await t.command('status investigating', { channel_id: channel, user_id: IC });
  clock = T0 + 5 * MIN;
  const step1 = t.slack
    .messages(channel)
    .filter((m) => findElement(m.blocks, ACTIONS.toggleChecks))
    .at(-1);
  await tickAll(OTHER, step1 as StoredMessage);
  await t.command(`assign step 2 <@${BOB}>`, { channel_id: channel, user_id: IC });
  clock = T0 + 40 * MIN;
  return { incident, channel };
}

describe('/incident catchup', () => {
  it('gives state, roles, elapsed, steps done and open, what is overdue and the next timer', async () => {
    const { incident, channel } = await fortyMinutesIn();
    await t.command('catchup', { channel_id: channel, user_id: OTHER });
    const reply = t.slack.responses.at(-1)?.body as { response_type: string };
    expect(reply.response_type).toBe('ephemeral');
    const text = replyText();
    expect(text).toContain(`Catch-up: incident #${incident.id} is Investigating, 40 min in`);
    expect(text).toContain(`Commander: <@${IC}>`);
    expect(text).toContain(`Declared by <@${DECLARER}>`);
    expect(text).toContain(`<@${BOB}> holds step 2`);
    expect(text).toContain('*Steps* · 1 done · 3 open · 0 skipped');
    expect(text).toContain(`✅ 1. Confirm pool saturation (by <@${OTHER}>)`);
    expect(text).toContain(`▶️ 2. Find who holds the connections (assigned to <@${BOB}>)`);
    expect(text).toContain('*Last status update*: none posted yet');
    expect(text).toContain(
      `⏰ Overdue: the runbook's escalation since <!date^${seconds(T0 + 30 * MIN)}^{date_short_pretty} {time}|2026-12-03 10:30 UTC>\\n⏰ Overdue: status update due since <!date^${seconds(T0 + 30 * MIN)}^`,
    );
    expect(text).toContain(`⏭️ Next: escalation <!date^${seconds(T0 + 120 * MIN)}^`);
    // Asked again at the same moment, it says exactly the same: it is computed, not written.
    await t.command('catchup', { channel_id: channel, user_id: IC });
    expect(replyText()).toBe(text);
  });

  it('shows the last status update once one is posted', async () => {
    const { channel } = await fortyMinutesIn();
    clock = T0 + 41 * MIN;
    await postUpdate(channel, 'Checkout slow for 20% of users');
    await t.command('catchup', { channel_id: channel, user_id: OTHER });
    const text = replyText();
    expect(text).toContain(`*Last status update* <!date^${seconds(T0 + 41 * MIN)}^`);
    expect(text).toContain('Checkout slow for 20% of users');
    // The update answered its reminder; the runbook's escalation is still overdue.
    expect(text).not.toContain('status update due since');
    expect(text).toContain("⏰ Overdue: the runbook's escalation since");
  });
});

describe('joining an incident channel late', () => {
  const joined = (user: string, channel: string) =>
    eventCallback({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: 'T0TEAM0001' });

  it('offers the catch-up, only to the person who joined', async () => {
    const { incident, channel } = await fortyMinutesIn();
    const before = t.slack.ephemerals(channel).length;
    await event(t.url, SECRET, joined(BOB, channel));
    const sent = t.slack.ephemerals(channel).slice(before);
    expect(sent.map((e) => e.user)).toEqual([BOB]);
    const shown = JSON.stringify(sent[0]);
    expect(shown).toContain('Welcome: where this incident stands');
    expect(shown).toContain(`incident #${incident.id} is Investigating, 40 min in`);
    expect(shown).toContain('`/incident catchup` shows it again');
  });

  it('stays quiet while nothing has happened yet, and for other channels', async () => {
    const { channel } = await t.declare('declare P1 Database connection pool exhausted');
    const before = t.slack.ephemerals().length;
    await event(t.url, SECRET, joined(BOB, channel));
    await event(t.url, SECRET, joined(BOB, 'C0GENERAL1'));
    expect(t.slack.ephemerals()).toHaveLength(before);
  });
});
