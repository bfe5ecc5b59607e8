/**
 * Cost follows what is shown (issue 19): ack latency of `/incident list`, `/incident help` and a checkbox
 * click with 10, 1,000 and 10,000 open incidents, side by side in one run; the event loop's longest block
 * while a declare (and its App Home refresh) runs; the process RSS. The real bot with its fake Slack on
 * 127.0.0.1, production mode (ack first). The extra open incidents are rows (no steps or timers): what
 * the list, the Home tab and the count read. Run: `node --expose-gc --import tsx bench/scale.ts`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET, startTestBot, type TestBot } from '../test/e2e/testBot.ts';
import type { StoredMessage } from '../test/support/fakeSlack.ts';
import { findElement, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC } from '../test/support/testRunbooks.ts';
import { clickStep } from './clicks.ts';

const SIZES = [10, 1_000, 10_000];
const REQUESTS = Math.max(3, Number(process.env.BENCH_RUNS ?? 15));

const fmt = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const f = (n: number | undefined) => (n ?? 0).toFixed(1);
  return `${f(s[0])} / ${f(s[Math.floor(s.length / 2)])} / ${f(s.at(-1))} ms`;
};

async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1_000; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

async function declare(t: TestBot, title: string): Promise<void> {
  await slashCommand(t.url, SECRET, {
    text: `declare P1 ${title}`,
    user_id: DECLARER,
    channel_id: GENERAL,
    response_url: t.slack.responseUrl(),
  });
}

async function atSize(open: number): Promise<string[]> {
  const t = await startTestBot({ processBeforeResponse: false });
  try {
    await declare(t, 'Checkout errors');
    const step = await until<StoredMessage>(async () => {
      const incident = (await t.bot.service.listOpen())[0];
      return incident?.channelId
        ? t.slack.messages(incident.channelId).find((m) => findElement(m.blocks, ACTIONS.toggleChecks))
        : undefined;
    });
    const store = t.bot.store;
    await store.transaction(async (tx) => {
      for (let i = 1; i < open; i++) {
        await tx.incidents.create({
          title: `Incident ${i}`,
          severity: 'P2',
          declaredBy: IC,
          source: 'slash',
        });
      }
    });
    await t.bot.home.settled();
    const send = {
      list: () =>
        slashCommand(t.url, SECRET, {
          text: 'list',
          user_id: IC,
          channel_id: step.channel,
          response_url: t.slack.responseUrl(),
        }),
      help: () =>
        slashCommand(t.url, SECRET, {
          text: 'help',
          user_id: IC,
          channel_id: step.channel,
          response_url: t.slack.responseUrl(),
        }),
      click: (i: number) => clickStep(t.url, step, i, t.slack.responseUrl()),
    };
    const rows: string[] = [];
    for (const [name, fn] of Object.entries(send)) {
      await fn(0); // warm-up
      const times: number[] = [];
      for (let i = 1; i <= REQUESTS; i++) {
        const start = performance.now();
        const res = await fn(i);
        times.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
      }
      rows.push(`${open} open, ack of ${name.padEnd(5)}: ${fmt(times)}`);
      await t.bot.home.settled();
    }
    // The longest the event loop is held while a declare and its App Home refresh run.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const blocks: number[] = [];
    for (let i = 0; i < 3; i++) {
      delay.reset();
      delay.enable();
      await declare(t, `Search slow ${i}`);
      await until(async () => (await t.bot.service.listOpen()).length >= open + i + 1 || undefined);
      await t.bot.home.settled();
      delay.disable();
      blocks.push(delay.max / 1e6);
    }
    rows.push(`${open} open, event loop max block during a declare + Home refresh: ${fmt(blocks)}`);
    (globalThis as { gc?: () => void }).gc?.();
    rows.push(
      `${open} open, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB (bench process: bot, fake Slack, load)`,
    );
    return rows;
  } finally {
    await t.stop();
  }
}

export async function scaleBench(): Promise<void> {
  console.log(`ack latency by open incidents, ${REQUESTS} sequential requests each, min / median / max`);
  for (const open of SIZES) for (const row of await atSize(open)) console.log(`  ${row}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await scaleBench();
