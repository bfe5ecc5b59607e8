import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/botProcess.ts';
import type { FakeSlack } from '../support/fakeSlack.ts';
import { type ProcessRig, processRig } from '../support/processRig.ts';
import { slashCommand } from '../support/slackRequests.ts';
import { DECLARER, ESCALATIONS, GENERAL } from '../support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';
import { startTestBot } from './testBot.ts';

const SECRET = 'restart-signing-secret';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function setup(): Promise<ProcessRig> {
  return processRig(cleanup, {
    name: 'kill',
    secret: SECRET,
    // Timers fire at start-up (catch-up) only: the test decides when they are due.
    env: { SCHEDULER_TICK_SECONDS: '3600' },
  });
}

function stepMessages(slack: FakeSlack, channel: string): number {
  return slack.messages(channel).filter((m) => m.text.startsWith('Step 1 ')).length;
}

// Each start is a whole Node process: a second or more each on a busy machine, so one
// scenario covers both crash points with three starts.
describe('kill -9 and restart on the same database', { timeout: 90_000 }, () => {
  it('pages in the inbox (one mid-declare) and timers due: nothing lost, nothing doubled', async () => {
    const s = await setup();
    // While `hang` is set, channel creation never answers: the bot is killed while declaring.
    let hang = false;
    s.slack.on('conversations.create', () => (hang ? new Promise(() => {}) : undefined));
    let bot = await s.start();
    let url = `http://127.0.0.1:${bot.port}`;

    // 1. An incident declared by hand, fully open, with its timers planned.
    await slashCommand(url, SECRET, {
      text: 'declare P1 Payments failing',
      user_id: DECLARER,
      channel_id: GENERAL,
    });
    await until(
      'the first incident',
      () => s.query('SELECT id FROM incidents WHERE header_ts IS NOT NULL').length === 1,
    );
    const [manual] = s.query<{ id: number; channel_id: string }>('SELECT id, channel_id FROM incidents');
    if (!manual) throw new Error('no incident');
    await until('its first step', () => stepMessages(s.slack, manual.channel_id) === 1);

    // 2. A page whose channel creation hangs, and two more stored behind it.
    hang = true;
    const page = (group: string) =>
      postWebhook(url, 'alertmanager', alertmanagerGroup({ alertname: 'DiskFull', group, alerts: 2 }));
    expect((await page('a')).status).toBeLessThan(300);
    await until("the page's channel creation", () => s.slack.callsTo('conversations.create').length === 2);
    expect((await page('b')).status).toBeLessThan(300);
    expect((await page('c')).status).toBeLessThan(300);
    await bot.kill9();

    expect(s.query('SELECT id FROM inbox')).toHaveLength(3);
    expect(s.query('SELECT id FROM incidents WHERE channel_id IS NOT NULL')).toHaveLength(1);
    // While the bot is down, time passes: the claimed page's lease (2 min) runs out and every timer of the
    // manual incident comes due. The test moves those times instead of waiting (distinct times keep the
    // timer plan unique).
    s.run("UPDATE inbox SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE status <> 'done'");
    const pending = s.query<{ id: number }>(
      'SELECT id FROM timers WHERE incident_id = ? AND fired_at IS NULL AND cancelled_at IS NULL',
      manual.id,
    );
    expect(pending.length).toBeGreaterThan(0);
    for (const [i, timer] of pending.entries())
      s.run(
        'UPDATE timers SET due_at = ? WHERE id = ?',
        new Date(Date.now() - 60_000 - i * 1000).toISOString(),
        timer.id,
      );
    hang = false;
    const posts = () => s.slack.callsTo('chat.postMessage').filter((c) => c.status === 200).length;
    const timeline = () => s.query('SELECT id FROM timeline').length;
    const beforeTimers = { posts: posts(), timeline: timeline() };

    // 3. Restart: "started" is logged after the catch-up tick fired what was due; then the inbox drains.
    bot = await s.start();
    url = `http://127.0.0.1:${bot.port}`;
    const fired = s.query(
      `SELECT id FROM timers WHERE fired_at IS NOT NULL AND id IN (${pending.map((p) => p.id).join(',')})`,
    );
    expect(fired).toHaveLength(pending.length);
    await until(
      'three incidents with channels and an empty inbox',
      () =>
        s.query('SELECT id FROM incidents WHERE channel_id IS NOT NULL AND header_ts IS NOT NULL').length ===
          4 && s.query("SELECT id FROM inbox WHERE status <> 'done'").length === 0,
    );
    // A late duplicate of the first page changes nothing.
    expect((await page('a')).status).toBeLessThan(300);
    const incidents = s.query<{ id: number; channel_id: string }>('SELECT id, channel_id FROM incidents');
    await until('every first step', () => incidents.every((i) => stepMessages(s.slack, i.channel_id) >= 1));
    await until(
      'the inbox drained',
      () => s.query("SELECT id FROM inbox WHERE status <> 'done'").length === 0,
    );
    await bot.kill9();

    expect(incidents).toHaveLength(4);
    expect(new Set(incidents.map((i) => i.channel_id)).size).toBe(4);
    for (const incident of incidents) expect(stepMessages(s.slack, incident.channel_id)).toBe(1);
    expect(s.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(4);
    expect(s.slack.channels().filter((c) => c.name?.startsWith('inc-'))).toHaveLength(4);
    const after = { posts: posts(), timeline: timeline() };
    expect(after.timeline).toBeGreaterThan(beforeTimers.timeline);
    const escalations = s.slack.messages(ESCALATIONS).length;

    // 4. Killed again and restarted: no timer fires a second time, no page is processed again.
    bot = await s.start();
    expect(await bot.stop()).toBe(0);
    expect({ posts: posts(), timeline: timeline() }).toEqual(after);
    expect(s.slack.messages(ESCALATIONS)).toHaveLength(escalations);
    expect(s.query('SELECT id FROM incidents')).toHaveLength(4);
  });
});

describe('a declaration interrupted before its channel was created', () => {
  it('is opened at the next start, once', async () => {
    const t = await startTestBot();
    cleanup.push(() => t.stop());
    // The database as a kill between "declared" and conversations.create leaves it.
    const { incident } = await t.bot.service.declare({
      title: 'Interrupted',
      severity: 'P2',
      declaredBy: DECLARER,
      source: 'slash',
    });
    expect((await t.bot.service.get(incident.id)).channelId).toBeNull();
    await t.restart();
    // Start-up queues the opening; the job runner does it without holding up the start.
    await t.bot.jobs.idle();
    const opened = await t.bot.service.get(incident.id);
    expect(opened.channelId).not.toBeNull();
    expect(opened.headerTs).not.toBeNull();
    expect(stepMessages(t.slack, opened.channelId as string)).toBe(1);
    await t.restart();
    expect(t.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(1);
  });
});
