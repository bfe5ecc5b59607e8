import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../src/domain/records.ts';
import { alertmanager } from '../../src/intake/alertmanager.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { RecordedCall, StoredMessage } from '../support/fakeSlack.ts';
import { sequentialRoundTrips } from '../support/roundTrips.ts';
import { checkboxChange, findElement } from '../support/slackRequests.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { ANNOUNCE, OTHER, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
  vi.restoreAllMocks();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isStep1 = (args: Record<string, unknown>) => String(args.text ?? '').startsWith('Step 1 ');

/** An Alertmanager page whose runbook (DiskFull) starts with its Step 1; returns once it is processed. */
async function page(bot: TestBot, group: string): Promise<void> {
  const body = alertmanagerGroup({ alertname: 'DiskFull', group, alerts: 1 });
  expect((await postWebhook(bot.url, 'alertmanager', body)).status).toBe(202);
  await bot.bot.intake.worker.idle();
}

/** The incident opened last, with its channel, header and first step message as the fake Slack holds them. */
async function opened(bot: TestBot) {
  const incident = (await bot.bot.service.listOpen()).at(-1);
  if (!incident?.channelId) throw new Error('no incident channel was recorded');
  const messages = bot.slack.messages(incident.channelId);
  return {
    incident,
    channel: incident.channelId,
    headers: messages.filter((m) => m.ts === incident.headerTs),
    steps: messages.filter((m) => m.text.startsWith('Step 1 ')),
  };
}

describe('a page reaches its first step', () => {
  it('in 2 sequential Slack round trips: the channel, then the header and the step side by side', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN } });
    // Slack answering after 40 ms makes "started after the other was answered" unambiguous.
    t.slack.on('*', async () => {
      await sleep(40);
      return undefined;
    });
    const from = t.slack.calls.length;
    await page(t, 'round-trips');

    const step = t.slack.callsTo('chat.postMessage').find((c) => isStep1(c.args)) as RecordedCall;
    const before = t.slack.calls.slice(from).filter((c) => c.at <= step.at);
    const trips = sequentialRoundTrips(before, step);
    expect(trips.chain).toEqual(['conversations.create', 'chat.postMessage']);
    expect(trips.depth).toBe(2);
    // The header went out beside the step, not before it: both started once the channel was answered.
    const { incident, headers, steps } = await opened(t);
    const header = t.slack
      .callsTo('chat.postMessage')
      .find((c) => c.response && c.args.text === headers[0]?.text);
    const create = t.slack.callsTo('conversations.create')[0] as RecordedCall;
    expect(header?.at).toBeGreaterThanOrEqual(create.answeredAt as number);
    expect(header?.answeredAt).toBeGreaterThan(step.at);
    // Still one pinned header and one step message, as before.
    expect(headers).toHaveLength(1);
    expect(headers[0]?.pinned).toBe(true);
    expect(steps).toHaveLength(1);
    expect(steps[0]?.ts).not.toBe(incident.headerTs);
  });

  it('keeps the step its own message: ticking a box updates that message, not the header', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN } });
    await page(t, 'ticks');
    const { channel, incident, steps } = await opened(t);
    const step = steps[0] as StoredMessage;
    const options = findElement(step.blocks, ACTIONS.toggleChecks)?.element.options as { value: string }[];
    const click = checkboxChange(step, ACTIONS.toggleChecks, { check: [options[0]?.value ?? 'none'] });
    expect((await t.act(OTHER, step, click)).status).toBe(200);
    await t.bot.jobs.idle();
    const updates = t.slack.callsTo('chat.update').filter((c) => c.args.channel === channel);
    expect(updates.map((c) => c.args.ts)).toContain(step.ts);
    expect(updates.map((c) => c.args.ts)).not.toContain(incident.headerTs);
    const ticked = t.slack.message(channel, step.ts) as StoredMessage;
    const shown = findElement(ticked.blocks, ACTIONS.toggleChecks)?.element.initial_options;
    expect(shown).toEqual([expect.objectContaining({ value: options[0]?.value })]);
  });
});

describe('the work before the channel', () => {
  it('parses the page once, in the route, and records the declare and the page in order', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN } });
    const parse = vi.spyOn(alertmanager, 'parse');
    await page(t, 'parsed-once');
    expect(parse).toHaveBeenCalledTimes(1);
    const { incident, steps } = await opened(t);
    expect(steps).toHaveLength(1);
    const entries = await t.bot.store.timeline.list(incident.id);
    expect(entries.slice(0, 3).map((e) => [e.actor, e.kind, e.text])).toEqual([
      [t.bot.botUserId, 'declared', `Declared P1: ${incident.title}`],
      ['bot', 'page', 'Opened by alertmanager alert DiskFull'],
      ['bot', 'channel', `Channel #${incident.channelName} created`],
    ]);
    // Its timers were planned with the declare, as a re-plan of the incident plans them.
    const timers = await t.bot.store.timers.listOpen(incident.id);
    expect(timers.length).toBeGreaterThan(0);
    await t.bot.timekeeper.replan(incident.id);
    expect(await t.bot.store.timers.listOpen(incident.id)).toEqual(timers);
  });
});

describe('the open jobs', () => {
  it('are claimed once: the page’s own claim takes the channel job, the runner’s drain the other lanes', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN } });
    const claim = vi.spyOn(t.bot.store.jobs, 'claim');
    await page(t, 'claimed-once');
    await t.bot.jobs.idle();
    const { incident } = await opened(t);
    const claims = await Promise.all(
      claim.mock.calls.map(async ([request], i) => ({
        forIncident: request.incidentId,
        kinds: (await (claim.mock.results[i] as { value: Promise<Job[]> }).value).map((j) => j.kind),
      })),
    );
    const handedOut = claims.flatMap((c) => c.kinds);
    // The first claim for this incident is the one on the way to its channel, and it is not empty.
    expect(claims.find((c) => c.forIncident === incident.id)?.kinds).toEqual(['incident.channel']);
    // Every open job was handed out exactly once.
    const jobs = await t.bot.store.jobs.forIncident(incident.id);
    expect([...handedOut].sort()).toEqual(jobs.map((j) => j.kind).sort());
    expect(jobs.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
  });
});

describe('a channel whose creation answer was lost', () => {
  it('is asked for again under the same name and adopted: one channel, one header, one step', async () => {
    t = await startTestBot({ env: { WEBHOOK_TOKEN } });
    // Slack makes the channel, stamped now as Slack does (the fake's own stamp is a fixed past time), but
    // its answer never reaches the bot.
    t.slack.on('conversations.create', (_args, index, ctx) => {
      if (index > 0) return undefined;
      const made = ctx.defaultResponse().channel as { id: string };
      const channel = ctx.fake.channel(made.id);
      if (channel) channel.created = Math.floor(Date.now() / 1000);
      return { status: 500, body: 'Internal Server Error' };
    });
    await page(t, 'lost-answer');
    const [lost] = t.slack.callsTo('conversations.create');
    const name = String(lost?.args.name);
    const incident = (await t.bot.service.listOpen()).at(-1);
    if (!incident) throw new Error('the page declared no incident');
    expect(incident.channelId).toBeNull();

    expect(await t.bot.store.jobs.wakeRetrying()).toBeGreaterThan(0);
    await t.bot.jobs.runIncident(incident.id);
    const creates = t.slack.callsTo('conversations.create');
    expect(creates.map((c) => c.args.name)).toEqual([name, name]);
    expect(creates[1]?.response).toMatchObject({ ok: false, error: 'name_taken' });
    const made = t.slack.channels().filter((c) => c.name === name);
    expect(made).toHaveLength(1);
    const after = await opened(t);
    expect(after.channel).toBe(made[0]?.id);
    expect(after.headers).toHaveLength(1);
    expect(after.steps).toHaveLength(1);
  });
});

describe('the header and the first step posted side by side', () => {
  /** Fails (HTTP 500) the first post to the incident channel that `which` picks; the other one succeeds. */
  function failFirst(bot: TestBot, which: 'header' | 'step'): () => boolean {
    let failed = false;
    bot.slack.on('chat.postMessage', (args) => {
      const inChannel = args.channel !== ANNOUNCE && String(args.channel).startsWith('C');
      if (failed || !inChannel || isStep1(args) !== (which === 'step')) return undefined;
      failed = true;
      return { status: 500, body: 'Internal Server Error' };
    });
    return () => failed;
  }

  for (const which of ['header', 'step'] as const) {
    it(`when the ${which} post fails, retries only that one: one header, pinned, and one step`, async () => {
      t = await startTestBot({ env: { WEBHOOK_TOKEN } });
      const didFail = failFirst(t, which);
      await page(t, `fails-${which}`);
      expect(didFail()).toBe(true);
      const first = await opened(t);
      // The other post of the pair landed and is recorded; the failed one waits for its retry.
      expect(first.headers.length + first.steps.length).toBe(1);
      expect(first.steps).toHaveLength(which === 'step' ? 0 : 1);

      expect(await t.bot.store.jobs.wakeRetrying()).toBeGreaterThan(0);
      await t.bot.jobs.runIncident(first.incident.id);
      const after = await opened(t);
      expect(after.headers).toHaveLength(1);
      expect(after.headers[0]?.pinned).toBe(true);
      expect(after.steps).toHaveLength(1);
      const posts = t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === after.channel);
      expect(posts.filter((c) => isStep1(c.args) && c.status === 200)).toHaveLength(1);
      expect((await t.bot.store.jobs.forIncident(after.incident.id)).every((j) => j.status === 'done')).toBe(
        true,
      );
    });
  }
});
