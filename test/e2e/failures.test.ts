import { afterEach, describe, expect, it } from 'vitest';
import { forgedSlashCommand, staleSlashCommand } from '../support/slackRequests.ts';
import { ANNOUNCE, DECLARER, GENERAL, IC, ONCALL, SECRET, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('when Slack says no', () => {
  it('retries a taken channel name with a suffix', async () => {
    t = await startTestBot();
    const { slack } = t;
    slack.failNext('conversations.create', 'name_taken', 2);
    await t.command('declare P2 Search is slow');
    const names = slack.callsTo('conversations.create').map((c) => c.args.name);
    expect(names).toEqual([
      expect.stringMatching(/^inc-\d{8}-1-search-is-slow$/),
      expect.stringMatching(/^inc-\d{8}-1-search-is-slow-2$/),
      expect.stringMatching(/^inc-\d{8}-1-search-is-slow-3$/),
    ]);
    const incident = (await t.bot.service.listOpen())[0];
    expect(incident?.channelName).toBe(names[2]);
    expect(incident?.inFallback).toBe(false);
  });

  it('runs the incident in the announce channel when channel creation is restricted, and says so', async () => {
    t = await startTestBot();
    t.slack.failNext('conversations.create', 'restricted_action');
    await t.command('declare P1 Login failures');
    const incident = (await t.bot.service.listOpen())[0];
    expect(incident).toMatchObject({ inFallback: true, channelId: ANNOUNCE, channelName: null });
    const texts = t.slack.messages(ANNOUNCE).map((m) => `${m.text} ${JSON.stringify(m.blocks)}`);
    expect(texts[0]).toContain('restricted_action');
    // One notice, not one from creating and another from opening.
    expect(texts.filter((x) => x.includes('restricted_action'))).toHaveLength(1);
    // The header and the first step follow in the announce channel: nothing is dropped.
    expect(texts.some((x) => x.includes('Login failures'))).toBe(true);
    expect(texts.some((x) => x.includes('Step 1 of'))).toBe(true);
    expect((await t.bot.service.timeline(incident?.id as number)).map((e) => e.kind)).toContain(
      'channel_fallback',
    );
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain('no dedicated channel');
  });

  it('skips people who cannot be invited, records them, and invites the rest', async () => {
    t = await startTestBot({ fake: { cantInvite: [ONCALL[0] as string] } });
    await t.command('declare P1 Payments failing');
    const incident = (await t.bot.service.listOpen())[0];
    const members = t.slack.members(incident?.channelId as string);
    expect(members).toEqual(expect.arrayContaining([DECLARER, IC, ONCALL[1]]));
    expect(members).not.toContain(ONCALL[0]);
    const skipped = (await t.bot.service.timeline(incident?.id as number)).filter(
      (e) => e.kind === 'invite_skipped',
    );
    expect(skipped.map((e) => e.text)).toEqual([`Not invited <@${ONCALL[0]}>: cant_invite`]);
  });

  it('rejects a forged or stale signature with 401 and stores nothing', async () => {
    t = await startTestBot();
    const opts = { text: 'declare P1 Forged', user_id: DECLARER, channel_id: GENERAL };
    expect((await forgedSlashCommand(t.url, SECRET, opts)).status).toBe(401);
    expect((await staleSlashCommand(t.url, SECRET, opts)).status).toBe(401);
    expect((await forgedSlashCommand(t.url, 'some-other-secret', opts)).status).toBe(401);
    expect(await t.bot.service.listOpen()).toEqual([]);
    expect(t.slack.callsTo('conversations.create')).toEqual([]);
  });

  it('waits out a 429 with Retry-After and completes the declaration', async () => {
    t = await startTestBot({ retries: 2 });
    t.slack.rateLimitNext('conversations.create', 1);
    await t.command('declare P2 Cache misses');
    const calls = t.slack.callsTo('conversations.create');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect((await t.bot.service.listOpen())[0]?.channelName).toMatch(/cache-misses$/);
  });

  it('acknowledges the slash command before the slow work (the 3-second rule)', async () => {
    t = await startTestBot({ processBeforeResponse: false });
    t.slack.delayNext('conversations.create', 1500);
    const res = await t.command('declare P2 Slow Slack');
    const ackedAt = Date.now();
    expect(res.status).toBe(200);
    expect(res.text).toContain('Declaring a P2 incident');
    const done = await t.slack.waitFor('response_url', undefined, 5000);
    expect(JSON.stringify(done.args)).toContain('declared');
    // The ack reached Slack before Slack had even answered the channel creation.
    const create = t.slack.callsTo('conversations.create');
    expect(create).toHaveLength(1);
    expect(create[0]?.answeredAt).toBeGreaterThan(ackedAt);
  });

  it('answers /healthz', async () => {
    t = await startTestBot();
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
