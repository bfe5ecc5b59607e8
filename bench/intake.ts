/**
 * Page intake benchmarks, run with `npm run bench:intake`; figures go to BENCHMARKS.md ("Issue 5").
 * The real bot (HTTP routes, SQLite inbox, worker, Bolt's WebClient) against the fake Slack on 127.0.0.1,
 * so the figures are the bot's own cost plus loopback HTTP, not Slack's latency.
 */
import { startTestBot, type TestBot } from '../test/e2e/testBot.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../test/support/webhooks.ts';

const ENV = { WEBHOOK_TOKEN };

async function postAll(t: TestBot, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const res = await postWebhook(t.url, 'alertmanager', body);
      if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

function groups(count: number, alertsEach: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, g) =>
    JSON.stringify(
      alertmanagerGroup({
        alertname: g % 3 ? 'ApiLatencyHigh' : 'DiskFull',
        group: `${prefix}-${g}`,
        alerts: alertsEach,
      }),
    ),
  );
}

async function intakeThroughput(): Promise<void> {
  const t = await startTestBot({ env: ENV, processBeforeResponse: false });
  try {
    // Accepting only: the worker is stopped so the figure is read + auth + validate + inbox write + 202.
    await t.bot.intake.worker.stop();
    await postAll(t, groups(50, 10, 'warm'), 8);
    for (const [payloads, alertsEach, concurrency] of [
      [2_000, 5, 16],
      [200, 100, 16],
    ] as const) {
      const bodies = groups(payloads, alertsEach, `tp${alertsEach}`);
      const start = performance.now();
      await postAll(t, bodies, concurrency);
      const s = (performance.now() - start) / 1000;
      const bytes = bodies.reduce((n, b) => n + b.length, 0) / payloads;
      console.log(
        `intake: ${payloads} payloads x ${alertsEach} alerts (${(bytes / 1024).toFixed(1)} KiB each), ${concurrency} concurrent: ` +
          `${(payloads / s).toFixed(0)} payloads/s, ${((payloads * alertsEach) / s).toFixed(0)} alerts/s accepted`,
      );
    }
  } finally {
    await t.stop();
  }
}

async function storm(paced: boolean): Promise<void> {
  const t = await startTestBot({
    env: ENV,
    processBeforeResponse: false,
    ...(paced ? { channelRate: { perMinute: 20, capacity: 10 } } : {}),
  });
  try {
    const bodies = groups(100, 100, 'storm');
    const start = performance.now();
    await postAll(t, bodies, 8);
    const accepted = performance.now() - start;
    await t.bot.intake.worker.idle();
    const drained = performance.now() - start;
    const open = await t.bot.service.listOpen();
    const creates = t.slack.callsTo('conversations.create').length;
    const calls = t.slack.calls.filter((c) => c.method !== 'auth.test').length;
    const posts = t.slack.callsTo('chat.postMessage').length;
    console.log(
      `storm (10,000 alerts, 100 groups, default policy: threshold 20 / 10m; pacing ${paced ? '20/min, burst 10' : 'off'}): ` +
        `${open.length} incidents (${open.filter((i) => i.title.startsWith('Alert storm')).length} storm), ` +
        `${creates} conversations.create, ${calls} Slack calls (${posts} chat.postMessage), ` +
        `accepted in ${(accepted / 1000).toFixed(2)} s, drained in ${(drained / 1000).toFixed(2)} s`,
    );
  } finally {
    await t.stop();
  }
}

console.log(`node ${process.version}`);
await intakeThroughput();
await storm(false);
await storm(true);
