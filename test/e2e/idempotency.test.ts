import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLARE_FIELDS } from '../../src/slack/blocks/modals.ts';
import { slackRequestKey } from '../../src/slack/dedupe.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { FAKE_TEAM } from '../support/fakeSlack.ts';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  checkboxChange,
  event,
  eventCallback,
  inputValue,
  interaction,
  newTriggerId,
  viewSubmissionPayload,
} from '../support/slackRequests.ts';
import {
  activeStepMessage,
  DECLARER,
  GENERAL,
  IC,
  OTHER,
  SECRET,
  startTestBot,
  type TestBot,
} from './testBot.ts';

// One bot for the file (starting one costs about a second): each test counts from where the last left off.
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t.stop();
});

const open = async () => (await t.bot.service.listOpen()).length;
const creates = () => t.slack.callsTo('conversations.create').length;

describe('a request Slack delivers twice is handled once', () => {
  it('a slash command arriving twice with the same trigger_id declares one incident', async () => {
    const before = { open: await open(), creates: creates() };
    const trigger = newTriggerId();
    const first = await t.command('declare P1 Checkout is down', { trigger_id: trigger });
    const again = await t.command('declare P1 Checkout is down', { trigger_id: trigger });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await open()).toBe(before.open + 1);
    expect(creates()).toBe(before.creates + 1);
    // A new gesture (new trigger_id) with the same text is a new request.
    await t.command('declare P1 Checkout is down');
    expect(await open()).toBe(before.open + 2);
  });

  it('the same command is still handled once after a restart (the key is in SQLite)', async () => {
    const before = await open();
    const trigger = newTriggerId();
    await t.command('declare P2 Search slow', { trigger_id: trigger });
    await t.restart();
    await t.command('declare P2 Search slow', { trigger_id: trigger });
    expect(await open()).toBe(before + 1);
  });

  it('a read-only command (help, list) writes no key: a repeat answers again, a declare is keyed', async () => {
    const key = (trigger: string) =>
      slackRequestKey({ command: '/incident', trigger_id: trigger, team_id: FAKE_TEAM.id }) ?? '';
    const help = newTriggerId();
    const first = await t.command('help', { trigger_id: help });
    const again = await t.command('help', { trigger_id: help });
    expect(again.text).toBe(first.text);
    expect(first.text).toContain('/incident declare');
    const list = newTriggerId();
    await t.command('list', { trigger_id: list });
    const declare = newTriggerId();
    await t.command('declare P3 Typo on the status page', { trigger_id: declare });
    const seen = t.bot.store.idempotency;
    expect([await seen.seen(key(help)), await seen.seen(key(list)), await seen.seen(key(declare))]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('an event retried with X-Slack-Retry-Num and the same event_id is acted on once', async () => {
    const body = appHomeOpenedEvent({ user: OTHER });
    const published = () => t.slack.callsTo('views.publish').length;
    expect((await event(t.url, SECRET, body)).status).toBe(200);
    await t.bot.home.settled();
    const once = published();
    expect(once).toBeGreaterThan(0);
    for (const retryNum of [1, 2, 3]) {
      expect((await event(t.url, SECRET, body, { retryNum })).status).toBe(200);
    }
    await t.bot.home.settled();
    expect(published()).toBe(once);
    // A new event (new event_id) is handled.
    await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
    await t.bot.home.settled();
    expect(published()).toBeGreaterThan(once);
  });

  it('a checkbox click delivered twice writes one timeline entry', async () => {
    await t.command('declare P1 Pool exhausted');
    const incident = (await t.bot.service.listOpen()).at(-1);
    if (!incident?.channelId) throw new Error('no channel');
    const seen = activeStepMessage(t.slack, incident.channelId);
    const payload = blockActionsPayload({
      user: IC,
      channel: incident.channelId,
      message: seen,
      actions: [checkboxChange(seen, ACTIONS.toggleChecks, { check: ['0'] })],
      response_url: t.slack.responseUrl(),
    });
    const before = (await t.bot.service.timeline(incident.id)).length;
    await interaction(t.url, SECRET, payload);
    const afterFirst = (await t.bot.service.timeline(incident.id)).length;
    expect(afterFirst).toBeGreaterThan(before);
    expect((await interaction(t.url, SECRET, payload)).status).toBe(200);
    expect(await t.bot.service.timeline(incident.id)).toHaveLength(afterFirst);
  });

  it('a modal submission delivered twice declares one incident', async () => {
    const before = { open: await open(), creates: creates() };
    const payload = viewSubmissionPayload({
      user: DECLARER,
      view: {
        callback_id: VIEWS.declare,
        private_metadata: JSON.stringify({ channelId: GENERAL }),
        state: {
          values: {
            [DECLARE_FIELDS.title.blockId]: {
              [DECLARE_FIELDS.title.actionId]: inputValue.plainText('Webhooks'),
            },
            [DECLARE_FIELDS.severity.blockId]: {
              [DECLARE_FIELDS.severity.actionId]: inputValue.staticSelect('P2'),
            },
            [DECLARE_FIELDS.visibility.blockId]: {
              [DECLARE_FIELDS.visibility.actionId]: inputValue.radio('public'),
            },
          },
        },
      },
    });
    await interaction(t.url, SECRET, payload);
    await interaction(t.url, SECRET, payload);
    expect(await open()).toBe(before.open + 1);
    expect(creates()).toBe(before.creates + 1);
  });
});

describe('slackRequestKey', () => {
  it('keys what Slack repeats and nothing else', () => {
    const ev = eventCallback({ type: 'app_home_opened', user: 'U1' }, { event_id: 'Ev1', team_id: 'T1' });
    expect(slackRequestKey(ev)).toBe('slack:event:T1:Ev1');
    expect(slackRequestKey({ command: '/incident', trigger_id: 'x.y', team_id: 'T1' })).toBe(
      'slack:command:T1:x.y',
    );
    expect(
      slackRequestKey({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U1' },
        actions: [{ action_id: 'a', action_ts: '1.2' }],
      }),
    ).toBe('slack:action:T1:U1:a:1.2');
    expect(
      slackRequestKey({ type: 'view_submission', team: { id: 'T1' }, view: { id: 'V1', hash: 'h' } }),
    ).toBe('slack:view:T1:V1:h');
    // Nothing to key on: handled every time rather than dropped.
    expect(slackRequestKey({ type: 'url_verification' })).toBeNull();
    expect(slackRequestKey({ type: 'view_closed', view: { id: 'V1' } })).toBeNull();
    expect(slackRequestKey(null)).toBeNull();
    expect(slackRequestKey('payload')).toBeNull();
  });
});
