import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { createLogger } from '../../src/log.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { RecordedCall, StoredMessage } from '../support/fakeSlack.ts';
import { appHomeOpenedEvent, buttonClick, event, type HttpResult } from '../support/slackRequests.ts';
import {
  ANNOUNCE,
  DECLARER,
  ESCALATIONS,
  GENERAL,
  IC,
  OTHER,
  SECRET,
  startTestBot,
  type TestBot,
} from './testBot.ts';

/** Distinctive words so a leak anywhere is found by a plain substring search. */
const TITLE = 'Leaked AWS keys in build logs of zebrafish';
const SLUG = 'zebrafish';
const NOTE = 'rotated the keys of zebrafish';

let t: TestBot;
let incident: Incident;
const logs: string[] = [];
let listed: HttpResult;

beforeAll(async () => {
  // Info level, as in production: user text (and so private titles) must not reach it.
  const log = createLogger('info', { write: (line: string) => void logs.push(line) });
  t = await startTestBot({ log, env: { LOG_LEVEL: 'info' } });

  // A security runbook makes the incident private whatever the declarer chose.
  await t.command(`declare P1 ${TITLE} --runbook RUN-004`);
  const declared = (await t.bot.service.listOpen()).at(-1);
  if (!declared?.channelId) throw new Error('the private incident got no channel');
  incident = declared;
  const channel = declared.channelId;
  const header = t.slack.messages(channel)[0] as StoredMessage;

  // The team works it: commander, status, escalation, timeline, resolve.
  await t.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
  await t.command('status identified credentials found in a public CI log', {
    channel_id: channel,
    user_id: IC,
  });
  await t.command('timeline', { channel_id: channel, user_id: IC });
  await t.escalate(IC, header, ['data_breach'], `keys of ${SLUG} were public`);

  // Someone outside looks and tries to act from a public channel.
  listed = await t.command('list', { user_id: OTHER, channel_id: GENERAL });
  await t.command(`resolve #${incident.id} nothing to see`, { user_id: OTHER, channel_id: GENERAL });
  await t.command(`status #${incident.id} monitoring`, { user_id: OTHER, channel_id: GENERAL });
  await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
  await event(t.url, SECRET, appHomeOpenedEvent({ user: IC }));
  await t.bot.home.settled();
}, 30_000);

afterAll(async () => {
  await t.stop();
});

function channelOf(call: RecordedCall): string | undefined {
  const c = call.args.channel;
  return typeof c === 'string' ? c : undefined;
}

/** A channel everyone in the workspace can read: not private, not a DM (user IDs and D... are DMs). */
function isPublic(channel: string): boolean {
  if (/^[UWD]/.test(channel)) return false;
  const known = t.slack.channel(channel);
  return known !== undefined && !known.is_private && !known.is_im;
}

describe('a private incident', () => {
  it('runs in a private channel and is announced by severity only', () => {
    expect(incident.private).toBe(true);
    expect(t.slack.channel(incident.channelId ?? '')?.is_private).toBe(true);
    const announced = t.slack.messages(ANNOUNCE);
    expect(announced.map((m) => m.text)).toEqual(['A private P1 incident was declared']);
  });

  it('lets only its members act on it', async () => {
    const current = await t.bot.service.get(incident.id);
    expect(current.status).toBe('identified');
    expect(current.commanderId).toBe(IC);
    const replies = t.slack.responses.map((r) => JSON.stringify(r.body));
    expect(replies.filter((r) => r.includes(`Incident #${incident.id} is private`))).toHaveLength(2);
  });

  it('never puts its title or timeline into any call to a public channel (every recorded call)', () => {
    const publicCalls = t.slack.calls.filter((c) => {
      const channel = channelOf(c);
      return channel !== undefined && isPublic(channel);
    });
    // The announcement and the escalation brief did reach public channels: the check is not vacuous.
    expect(publicCalls.length).toBeGreaterThan(0);
    for (const call of publicCalls) {
      const body = JSON.stringify(call.args);
      expect(body, `${call.method} to ${channelOf(call)}`).not.toContain(SLUG);
      expect(body).not.toContain('credentials found');
    }
  });

  it('shows in the Home tab of a non-member as "a private incident" only, and in full to a member', () => {
    const outside = JSON.stringify(t.slack.homeView(OTHER)?.blocks);
    expect(outside).toContain('a private incident');
    expect(outside).not.toContain(SLUG);
    expect(outside).not.toContain(incident.channelId);
    const inside = JSON.stringify(t.slack.homeView(IC)?.blocks);
    expect(inside).toContain(SLUG);
    // Every Home tab published to someone outside the incident, over the whole run, kept it hidden.
    for (const call of t.slack.callsTo('views.publish')) {
      if (call.args.user_id === OTHER) expect(JSON.stringify(call.args)).not.toContain(SLUG);
    }
  });

  it('is listed to outsiders without its title, and never written to the logs at info level', () => {
    expect(listed.text).toContain('private incident');
    expect(listed.text).not.toContain(SLUG);
    for (const r of t.slack.responses) {
      const body = JSON.stringify(r.body);
      if (body.includes('is private') || body.includes('private incident')) expect(body).not.toContain(SLUG);
    }
    expect(logs.join('')).not.toContain(SLUG);
  });

  it('briefs the escalation channel without its title, and resolves', async () => {
    const brief = t.slack.messages(ESCALATIONS).map((m) => m.text);
    expect(brief).toEqual([expect.stringContaining('A private P1 incident was escalated')]);
    const channel = incident.channelId ?? '';
    await t.command(`resolve ${NOTE}`, { channel_id: channel, user_id: IC });
    expect((await t.bot.service.get(incident.id)).status).toBe('resolved');
    await t.bot.home.settled();
    for (const m of [
      ...t.slack.messages(ESCALATIONS),
      ...t.slack.messages(ANNOUNCE),
      ...t.slack.messages(GENERAL),
    ])
      expect(JSON.stringify(m)).not.toContain(SLUG);
    const outside = JSON.stringify(t.slack.homeView(OTHER)?.blocks);
    expect(outside).not.toContain(SLUG);
    expect(DECLARER).not.toBe(OTHER);
  });
});
