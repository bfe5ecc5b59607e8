/**
 * Cost follows what is shown (issue 19): ack latency of `/incident list`, `/incident help` and a checkbox
 * click with 10, 1,000 and 10,000 open incidents, side by side in one run; the event loop's longest block
 * while a declare and the App Home refreshes it causes run (6 tabs open, BENCH_DECLARES declares a size);
 * the process RSS. The real bot with its fake Slack on 127.0.0.1 (in this process: its work counts in the
 * blocks too), production mode (ack first). The extra open incidents are rows (no steps or timers): what
 * the list, the Home tab and the count read. BENCH_SIZES=10000 measures one size; BENCH_PROFILE=1 names
 * what ran in each declare's longest task. Run: `node --expose-gc --import tsx bench/scale.ts`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET, startTestBot, type TestBot } from '../test/e2e/testBot.ts';
import type { StoredMessage } from '../test/support/fakeSlack.ts';
import { event, eventCallback, findElement, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC, LEADS, ONCALL, OTHER } from '../test/support/testRunbooks.ts';
import { BlockProfiler, formatShares } from './blockProfile.ts';
import { clickStep } from './clicks.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10,1000,10000').split(',').map(Number);
const REQUESTS = Math.max(3, Number(process.env.BENCH_RUNS ?? 15));
/** Declares measured at each size; BENCH_PROFILE=1 also profiles each one to name what held the loop. */
const DECLARES = Math.max(5, Number(process.env.BENCH_DECLARES ?? 5));
const PROFILE = process.env.BENCH_PROFILE === '1';
/** People with their Home tab open: every change republishes each one's tab (a team, their lead, a bystander). */
const VIEWERS = [IC, DECLARER, OTHER, ...ONCALL, ...LEADS];

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

/** Opens each viewer's Home tab, as they would by looking at the bot. */
async function openHomes(t: TestBot): Promise<void> {
  for (const user of VIEWERS)
    await event(t.url, SECRET, eventCallback({ type: 'app_home_opened', user, tab: 'home' }));
  await t.bot.home.settled();
}

/**
 * The longest the event loop is held while a declare runs to its first step, with every App Home refresh
 * that follows (one per viewer per change). Waits on the fake Slack, not on the store, so the bench's own
 * probing adds no reads of the open incidents.
 */
async function declareBlocks(t: TestBot, open: number): Promise<string[]> {
  await openHomes(t);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const blocks: number[] = [];
  const rows: string[] = [];
  for (let i = 0; i < DECLARES; i++) {
    const creates = t.slack.callsTo('conversations.create').length;
    const publishes = t.slack.callsTo('views.publish').length;
    const profiler = PROFILE ? new BlockProfiler() : null;
    await profiler?.start();
    delay.reset();
    delay.enable();
    await declare(t, `Search slow ${i}`);
    const channel = await until(() => {
      const call = t.slack.callsTo('conversations.create')[creates];
      return (call?.response as { channel?: { id: string } } | undefined)?.channel?.id;
    });
    await until(() => t.slack.messages(channel).find((m) => findElement(m.blocks, ACTIONS.toggleChecks)));
    await until(() => t.slack.callsTo('views.publish').length >= publishes + VIEWERS.length || undefined);
    await t.bot.home.settled();
    await t.bot.scheduler.idle();
    await t.bot.home.settled();
    delay.disable();
    blocks.push(delay.max / 1e6);
    const published = t.slack.callsTo('views.publish').length - publishes;
    const found = await profiler?.stop();
    if (found)
      rows.push(
        `${open} open, declare ${i + 1}: loop max ${(delay.max / 1e6).toFixed(1)} ms, ${published} tabs published, ` +
          `longest busy stretch ${found.busy.ms.toFixed(1)} ms, longest GC ${found.longestGcMs.toFixed(1)} ms\n` +
          `      ran in: ${formatShares(found.busy.where)}\n      for: ${formatShares(found.busy.ours)}`,
      );
  }
  rows.push(
    `${open} open, event loop max block during a declare + Home refreshes (${VIEWERS.length} tabs open): ${fmt(blocks)}`,
  );
  return rows;
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
      // Warm-up; a keep-alive connection the server closed during the seeding is reset once: try again.
      await fn(0).catch(() => fn(0));
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
    rows.push(...(await declareBlocks(t, open)));
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
