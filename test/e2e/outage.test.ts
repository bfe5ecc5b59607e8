import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../support/botProcess.ts';
import type { FakeSlack } from '../support/fakeSlack.ts';
import { type ProcessRig, processRig } from '../support/processRig.ts';
import { slashCommand } from '../support/slackRequests.ts';
import { DECLARER, GENERAL } from '../support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook } from '../support/webhooks.ts';

/**
 * The outage, Slack answering HTTP 500 to everything for 25 s, replayed 5 times faster: the outage
 * and every interval of the bot that meets it (Slack call retries, side-effect backoff and tick, the probe
 * asking Slack whether it is back, the /readyz window) are divided by SCALE, so the bot goes through the
 * same retries, backoffs and catch-up as in 25 s, and the recovery bound is scaled the same way.
 */
const SCALE = 5;
const OUTAGE_MS = 25_000 / SCALE;
/** Each incident has its channel and first step within this long after Slack answers again (40 s unscaled). */
const RECOVERY_MS = 40_000 / SCALE;
const SECRET = 'outage-signing-secret';
/** The bot's intervals at 1/SCALE of the ones the figures used (BENCHMARKS.md, issue 14). */
const TUNABLES = {
  SLACK_READY_WINDOW_SECONDS: String(5 / SCALE),
  JOB_BACKOFF_MAX_SECONDS: String(5 / SCALE),
  JOB_TICK_MS: String(250 / SCALE),
  SLACK_RETRY_MIN_MS: String(250 / SCALE),
  SLACK_PROBE_MS: String(5_000 / SCALE),
};

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function rig(): Promise<ProcessRig> {
  return processRig(cleanup, {
    name: 'outage',
    secret: SECRET,
    env: { SCHEDULER_TICK_SECONDS: '3600', ...TUNABLES },
  });
}

async function readyz(port: number): Promise<{ status: number; slack: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  const body = (await res.json()) as { checks: { slack: string | null } };
  return { status: res.status, slack: body.checks.slack };
}

/** Two declares and one page, all while Slack is down: each is acknowledged at once. */
async function declareDuringOutage(url: string, slack: FakeSlack): Promise<void> {
  for (const text of ['declare P1 Payments failing', 'declare P2 Search results stale']) {
    const res = await slashCommand(url, SECRET, {
      text,
      user_id: DECLARER,
      channel_id: GENERAL,
      response_url: slack.responseUrl(),
    });
    expect(res.status).toBe(200);
  }
  const page = await postWebhook(
    url,
    'alertmanager',
    alertmanagerGroup({ alertname: 'DiskFull', group: 'outage', alerts: 2 }),
  );
  expect(page.status).toBe(202);
}

/** When each incident's "Step 1" message reached Slack (Date.now() of the successful call). */
function firstStepAt(slack: FakeSlack, channel: string): number[] {
  return slack
    .callsTo('chat.postMessage')
    .filter(
      (c) => c.status === 200 && c.args.channel === channel && String(c.args.text).startsWith('Step 1 '),
    )
    .map((c) => c.at);
}

/** After the outage: one channel and one first step per incident, each within 40 s of Slack's return. */
async function expectRecovered(r: ProcessRig, slackBack: number): Promise<void> {
  await until(
    'three incidents with a channel and a first step',
    () => {
      const rows = r.query<{ channel_id: string | null }>('SELECT channel_id FROM incidents');
      return (
        rows.length === 3 && rows.every((i) => i.channel_id && firstStepAt(r.slack, i.channel_id).length > 0)
      );
    },
    RECOVERY_MS + 5_000,
  );
  const incidents = r.query<{ id: number; channel_id: string; in_fallback: number }>(
    'SELECT id, channel_id, in_fallback FROM incidents ORDER BY id',
  );
  expect(incidents.map((i) => i.in_fallback)).toEqual([0, 0, 0]);
  for (const incident of incidents) {
    const steps = firstStepAt(r.slack, incident.channel_id);
    expect(steps).toHaveLength(1);
    expect((steps[0] ?? Number.POSITIVE_INFINITY) - slackBack).toBeLessThan(RECOVERY_MS);
    if (process.env.OUTAGE_FIGURES)
      console.log(
        `incident ${incident.id}: first step ${(steps[0] ?? 0) - slackBack} ms after Slack's return`,
      );
  }
  expect(r.slack.callsTo('conversations.create').filter((c) => c.status === 200)).toHaveLength(3);
  expect(r.slack.channels().filter((c) => c.name?.startsWith('inc-'))).toHaveLength(3);
  // Both declarers hear where their incident runs, once Slack can carry the reply.
  await until(
    'both replies',
    () => r.slack.callsTo('response_url').filter((c) => c.status === 200).length === 2,
  );
  const replies = r.slack
    .callsTo('response_url')
    .filter((c) => c.status === 200)
    .map((c) => String(c.args.text));
  expect(replies.sort()).toEqual([
    `Incident #1 declared: <#${incidents[0]?.channel_id}>`,
    `Incident #2 declared: <#${incidents[1]?.channel_id}>`,
  ]);
}

describe.concurrent('Slack down for 25 s (replayed at 1/5 scale: 5 s)', { timeout: 60_000 }, () => {
  it('two declares and a page made during it each open once when Slack returns; /readyz is 503 meanwhile', async () => {
    const r = await rig();
    const bot = await r.start();
    const url = `http://127.0.0.1:${bot.port}`;
    expect((await readyz(bot.port)).status).toBe(200);
    r.slack.outage(OUTAGE_MS);
    const slackBack = Date.now() + OUTAGE_MS;
    await declareDuringOutage(url, r.slack);
    await until('the three incidents recorded', () => r.query('SELECT id FROM incidents').length === 3);
    expect(r.query("SELECT id FROM jobs WHERE status = 'queued'").length).toBeGreaterThanOrEqual(3);

    let unready: { status: number; slack: string | null } = { status: 0, slack: null };
    while (r.slack.down && unready.status !== 503) {
      unready = await readyz(bot.port);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(unready.status).toBe(503);
    expect(unready.slack).toMatch(
      /^Slack API calls are failing \(last answer: http_500\), none succeeded for \d+ s; \d+ Slack side effects wait and will run when Slack answers$/,
    );
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(
      Number(/^incident_bot_side_effects\{state="queued"\} (\d+)$/m.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(3);
    expect(r.query('SELECT id FROM incidents WHERE channel_id IS NOT NULL')).toHaveLength(0);

    await expectRecovered(r, slackBack);
    // The calls that opened the incidents succeeded: Slack counts as up again.
    expect(await readyz(bot.port)).toEqual({ status: 200, slack: null });
    expect(await bot.stop()).toBe(0);
  });

  it('the same with kill -9 of the bot during the outage and a restart while Slack is still down', async () => {
    const r = await rig();
    let bot = await r.start();
    const outageStart = Date.now();
    // Down until the restarted bot is up (a start on a loaded machine can outlast the scaled outage), then
    // for the rest of the outage.
    r.slack.outage(60_000);
    await declareDuringOutage(`http://127.0.0.1:${bot.port}`, r.slack);
    await until('the three incidents recorded', () => r.query('SELECT id FROM incidents').length === 3);
    await until(
      'their jobs queued',
      () => r.query("SELECT id FROM jobs WHERE kind = 'incident.channel'").length === 3,
    );
    await bot.kill9();

    // The restart meets Slack still down: it starts with the remembered identity, and the queue survives.
    expect(r.slack.down).toBe(true);
    bot = await r.start();
    expect(bot.output()).toContain('Slack is unreachable: starting with the bot identity of the last run');
    // The restarted bot meets at least a second (5 s unscaled) more of the outage before Slack returns.
    const slackBack = Math.max(outageStart + OUTAGE_MS, Date.now() + 1_000);
    r.slack.outage(slackBack - Date.now());
    expect(r.slack.down).toBe(true);
    await expectRecovered(r, slackBack);
    expect(await bot.stop()).toBe(0);
  });
});
