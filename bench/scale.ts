/**
 * Cost follows what is shown (issue 19): ack latency of `/incident list`, `/incident help` and a checkbox
 * click with 10, 1,000 and 10,000 open incidents, side by side in one run; the longest block of the bot's
 * event loop while a declare and the App Home refreshes it causes run (6 tabs open, BENCH_DECLARES declares
 * a size). The bot runs compiled in its own process, as `npm start` runs it (bench/botChild.ts), and measures
 * its own event loop (bench/loopProbe.mjs): the fake Slack on 127.0.0.1 and the requests, here, are not
 * counted. The open incidents are seeded before it starts (rows with a channel, no steps or timers: what the
 * list, the Home tab and the count read). BENCH_SIZES=10000 measures one size; BENCH_PROFILE=1 also samples
 * the bot's stacks and names what ran in every block over 50 ms (Home refresh, declare, GC, other).
 * Run: `node --import tsx bench/scale.ts`.
 */
import { loadavg } from 'node:os';
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET } from '../test/e2e/testBot.ts';
import { type FakeSlack, type StoredMessage, startFakeSlack } from '../test/support/fakeSlack.ts';
import { event, eventCallback, findElement, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC, LEADS, ONCALL, OTHER, TEST_WORKSPACE } from '../test/support/testRunbooks.ts';
import { busyOver, formatShares, longestBusy } from './blockProfile.ts';
import { type BotChild, type LoopWindow, startBotChild } from './botChild.ts';
import { clickStep } from './clicks.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10,1000,10000').split(',').map(Number);
const REQUESTS = Math.max(3, Number(process.env.BENCH_RUNS ?? 15));
/** Declares measured at each size; BENCH_PROFILE=1 also profiles each one to name what held the loop. */
const DECLARES = Math.max(5, Number(process.env.BENCH_DECLARES ?? 5));
const PROFILE = process.env.BENCH_PROFILE === '1';
/** The goal: no block of the bot's event loop over this. */
const BLOCK_MS = 50;
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

/** The bot in its process and the fake Slack it talks to, for one size. */
interface Rig {
  bot: BotChild;
  slack: FakeSlack;
}

async function declare(rig: Rig, title: string): Promise<void> {
  await slashCommand(rig.bot.url, SECRET, {
    text: `declare P1 ${title}`,
    user_id: DECLARER,
    channel_id: GENERAL,
    response_url: rig.slack.responseUrl(),
  });
}

/** Resolves once the bot has made no Slack call for `ms`: the work a change caused is over. */
async function quiet(slack: FakeSlack, ms = 400): Promise<void> {
  let seen = -1;
  for (let i = 0; i < 500; i++) {
    const now = slack.methods().length;
    if (now === seen) return;
    seen = now;
    await new Promise((r) => setTimeout(r, ms));
  }
  throw new Error('the bot kept calling Slack for minutes');
}

/** Opens each viewer's Home tab, as they would by looking at the bot. */
async function openHomes(rig: Rig): Promise<void> {
  const publishes = rig.slack.callsTo('views.publish').length;
  for (const user of VIEWERS)
    await event(rig.bot.url, SECRET, eventCallback({ type: 'app_home_opened', user, tab: 'home' }));
  await until(() => rig.slack.callsTo('views.publish').length >= publishes + VIEWERS.length || undefined);
  await quiet(rig.slack);
}

/** One declare's window: to its first step, every tab republished, and the bot quiet again. */
async function declareWindow(rig: Rig, title: string): Promise<number> {
  const { slack } = rig;
  const creates = slack.callsTo('conversations.create').length;
  const publishes = slack.callsTo('views.publish').length;
  await declare(rig, title);
  const channel = await until(() => {
    const call = slack.callsTo('conversations.create')[creates];
    return (call?.response as { channel?: { id: string } } | undefined)?.channel?.id;
  });
  await until(() => slack.messages(channel).find((m) => findElement(m.blocks, ACTIONS.toggleChecks)));
  await until(() => slack.callsTo('views.publish').length >= publishes + VIEWERS.length || undefined);
  await quiet(slack);
  return slack.callsTo('views.publish').length - publishes;
}

/**
 * The longest the bot's event loop is held while a declare runs to its first step, with every App Home
 * refresh that follows (one per viewer per change). With BENCH_PROFILE=1, every busy stretch of 50 ms or
 * more, by what it served, and the window's GC pauses.
 */
async function declareBlocks(rig: Rig, open: number): Promise<string[]> {
  await openHomes(rig);
  const walls: number[] = [];
  const cpus: number[] = [];
  const rows: string[] = [];
  /** Profiled busy stretches over the goal, by what they served (Home refresh, declare, GC, other). */
  const causes = new Map<string, number>();
  for (let i = 0; i < DECLARES; i++) {
    await rig.bot.startWindow(PROFILE);
    const published = await declareWindow(rig, `Search slow ${i}`);
    const window = await rig.bot.stopWindow();
    walls.push(window.maxMs);
    cpus.push(window.maxCpuMs);
    const split = window.blocks
      .map(
        (b) =>
          `${b.ms.toFixed(0)} ms (${b.cpuMs.toFixed(0)} on a CPU, ${b.waitMs.toFixed(0)} waiting for one, ` +
          `${Math.max(0, b.ms - b.cpuMs - b.waitMs).toFixed(0)} asleep in the kernel; ${b.gcMs.toFixed(0)} of it GC)`,
      )
      .join(', ');
    if (split) rows.push(`${open} open, declare ${i + 1}: blocks over ${BLOCK_MS} ms: ${split}`);
    if (window.profile) {
      rows.push(...profiled(window, open, i, published));
      for (const stretch of busyOver(window.profile, BLOCK_MS))
        causes.set(stretch.cause, (causes.get(stretch.cause) ?? 0) + 1);
    }
  }
  if (PROFILE)
    rows.push(
      `${open} open, busy stretches over ${BLOCK_MS} ms by what they served: ` +
        ([...causes].map(([cause, n]) => `${cause} ${n}`).join(', ') || 'none'),
    );
  const over = (v: number[]) => `${v.filter((b) => b > BLOCK_MS).length} of ${v.length} over ${BLOCK_MS} ms`;
  rows.push(
    `${open} open, bot's event loop during a declare + Home refreshes (${VIEWERS.length} tabs open): ` +
      `longest block ${fmt(walls)}, ${over(walls)}; most CPU of one block ${fmt(cpus)}, ${over(cpus)}` +
      (PROFILE ? ' (profiled: slower)' : ''),
  );
  return rows;
}

/** What ran in every block over the goal (or the longest, under it), and the window's GC pauses. */
function profiled(window: LoopWindow, open: number, i: number, published: number): string[] {
  if (!window.profile) return [];
  const gc = [...window.gcs].sort((a, b) => b.ms - a.ms)[0];
  const rows = [
    `${open} open, declare ${i + 1}: loop max ${window.maxMs.toFixed(1)} ms, ${published} tabs published, ` +
      `${window.gcs.length} GC pauses, longest ${gc ? `${gc.ms.toFixed(1)} ms (${gc.kind})` : 'none'}`,
  ];
  // Every block over the goal; under it, the longest, so the figure always has its cause beside it.
  const over = busyOver(window.profile, BLOCK_MS);
  for (const stretch of over.length > 0 ? over : [longestBusy(window.profile)])
    rows.push(
      `      busy ${stretch.ms.toFixed(1)} ms, ${stretch.cause}: ${formatShares(stretch.groups)}\n` +
        `        ran in: ${formatShares(stretch.where)}\n        for: ${formatShares(stretch.ours)}`,
    );
  return rows;
}

async function acks(rig: Rig, step: StoredMessage, open: number): Promise<string[]> {
  const { bot, slack } = rig;
  const command = (text: string) => () =>
    slashCommand(bot.url, SECRET, {
      text,
      user_id: IC,
      channel_id: step.channel,
      response_url: slack.responseUrl(),
    });
  const send = {
    list: command('list'),
    help: command('help'),
    click: (i: number) => clickStep(bot.url, step, i, slack.responseUrl()),
  };
  const rows: string[] = [];
  for (const [name, fn] of Object.entries(send)) {
    await fn(0);
    const times: number[] = [];
    for (let i = 1; i <= REQUESTS; i++) {
      const start = performance.now();
      const res = await fn(i);
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
    }
    rows.push(`${open} open, ack of ${name.padEnd(5)}: ${fmt(times)}`);
    await quiet(slack);
  }
  return rows;
}

async function atSize(open: number): Promise<string[]> {
  const slack = await startFakeSlack(TEST_WORKSPACE);
  // The first declare below makes the last of `open`.
  const bot = await startBotChild(slack.url, open - 1);
  const rig = { bot, slack };
  try {
    await declare(rig, 'Checkout errors');
    const step = await until<StoredMessage>(() =>
      slack.allMessages().find((m) => findElement(m.blocks, ACTIONS.toggleChecks)),
    );
    await quiet(slack);
    const rows = await acks(rig, step, open);
    rows.push(...(await declareBlocks(rig, open)));
    return rows;
  } finally {
    await bot.stop();
    await slack.close();
  }
}

export async function scaleBench(): Promise<void> {
  console.log(
    `ack latency by open incidents, ${REQUESTS} sequential requests each, min / median / max; ` +
      `the bot in its own process; load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  for (const open of SIZES) for (const row of await atSize(open)) console.log(`  ${row}`);
  console.log(`  load at the end ${loadavg()[0]?.toFixed(1)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await scaleBench();
