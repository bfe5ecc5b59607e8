import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHORTCUTS, VIEWS } from '../../src/slack/ids.ts';
import { interaction, newTriggerId, VERIFICATION_TOKEN } from '../support/slackRequests.ts';
import { ANNOUNCE, DECLARER, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

const TEAM = { id: 'T0TEAM0001', domain: 'acme' };

function globalShortcut(user: string) {
  return interaction(t.url, SECRET, {
    type: 'shortcut',
    token: VERIFICATION_TOKEN,
    action_ts: '1764700000.000100',
    team: TEAM,
    user: { id: user, username: user.toLowerCase(), team_id: TEAM.id },
    callback_id: SHORTCUTS.declare,
    trigger_id: newTriggerId(),
  });
}

function messageShortcut(user: string, channel: string, message: { ts: string; text: string; user: string }) {
  return interaction(t.url, SECRET, {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: '1764700000.000200',
    team: TEAM,
    user: { id: user, username: user.toLowerCase(), team_id: TEAM.id },
    channel: { id: channel, name: 'some-channel' },
    callback_id: SHORTCUTS.addToTimeline,
    trigger_id: newTriggerId(),
    message_ts: message.ts,
    message: { type: 'message', ...message },
    response_url: `${t.url}/unused-response-url`,
  });
}

describe('global shortcut: declare an incident', () => {
  it('opens the declare form, answering in the DM of whoever used it', async () => {
    const res = await globalShortcut(DECLARER);
    expect(res.status).toBe(200);
    const opened = t.slack.callsTo('views.open');
    expect(opened).toHaveLength(1);
    const view = opened[0]?.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEWS.declare);
    expect(view.private_metadata).toBe(DECLARER);
  });

  it('tells the user in a DM when Slack refuses to open the form, and what to type instead', async () => {
    t.slack.failNext('views.open', 'expired_trigger_id');
    const res = await globalShortcut(DECLARER);
    expect(res.status).toBe(200);
    const dms = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === DECLARER);
    expect(dms.map((c) => c.args.text)).toEqual([
      'Could not open the declare form (Slack said expired_trigger_id). Try the shortcut again, or type `/incident declare P1 <title>`.',
    ]);
  });
});

describe('message shortcut: add a message to the timeline', () => {
  const said = { ts: '1764700100.000300', text: 'db-2 is back, lag 0s', user: OTHER };

  it("adds the message to its channel's incident, once, and tells the user", async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    expect((await messageShortcut(DECLARER, channel, said)).status).toBe(200);
    expect((await messageShortcut(DECLARER, channel, said)).status).toBe(200);

    const pins = (await t.bot.service.timeline(incident.id)).filter((e) => e.kind === 'pin');
    expect(pins.map((e) => [e.actor, e.text])).toEqual([
      [DECLARER, `Pinned message from <@${OTHER}>: db-2 is back, lag 0s`],
    ]);
    const answers = t.slack.ephemerals(channel).filter((e) => e.user === DECLARER);
    expect(answers.map((e) => e.text).slice(-2)).toEqual([
      `Added this message to the timeline of incident #${incident.id}; it will be in the post-mortem.`,
      `This message is already on the timeline of incident #${incident.id}.`,
    ]);
  });

  it('explains, and records nothing, on a message outside an incident channel', async () => {
    const { incident } = await t.declare('declare P2 Search is slow');
    const before = (await t.bot.service.timeline(incident.id)).length;
    expect((await messageShortcut(DECLARER, ANNOUNCE, said)).status).toBe(200);
    expect(await t.bot.service.timeline(incident.id)).toHaveLength(before);
    expect(t.slack.ephemerals(ANNOUNCE).map((e) => e.text)).toEqual([
      "This channel is not an incident's channel, so there is no timeline to add the message to. Use the shortcut on a message in the incident's channel, or paste the message's link there and add that one.",
    ]);
  });
});
