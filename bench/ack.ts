import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET, startTestBot } from '../test/e2e/testBot.ts';
import type { StoredMessage } from '../test/support/fakeSlack.ts';
import { findElement, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC } from '../test/support/testRunbooks.ts';
import { clickStep, countStepUpdates, startBareBolt } from './clicks.ts';

const RESPONDERS = 50;
const PER_RESPONDER = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

type Send = (i: number) => Promise<{ status: number }>;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** 50 lanes, each sending PER_RESPONDER requests back to back; returns [p50, p99] in ms. */
async function load(send: Send): Promise<[number, number]> {
  const latencies: number[] = [];
  let n = 0;
  const lane = async () => {
    for (let k = 0; k < PER_RESPONDER; k++) {
      const i = n++;
      const start = performance.now();
      const res = await send(i);
      latencies.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`ack answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: RESPONDERS }, lane));
  latencies.sort((a, b) => a - b);
  return [pct(latencies, 50), pct(latencies, 99)];
}

async function bareApp(slackApiUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const { port, stop } = await startBareBolt(slackApiUrl);
  return { url: `http://127.0.0.1:${port}`, stop };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const range = (v: number[]) => `${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}`;

export async function ackBench(): Promise<void> {
  // Production mode: the HTTP reply is the ack; the work runs after it.
  const t = await startTestBot({ processBeforeResponse: false });
  const bare = await bareApp(t.slack.url);
  try {
    // One incident whose first step's checkboxes the responders click.
    await slashCommand(t.url, SECRET, {
      text: 'declare P1 Checkout errors',
      user_id: DECLARER,
      channel_id: GENERAL,
      response_url: t.slack.responseUrl(),
    });
    const start = Date.now();
    let step: StoredMessage | undefined;
    while (!step && Date.now() - start < 10_000) {
      const incident = (await t.bot.service.listOpen())[0];
      step = incident?.channelId
        ? t.slack.messages(incident.channelId).find((m) => findElement(m.blocks, ACTIONS.toggleChecks))
        : undefined;
      if (!step) await new Promise((r) => setTimeout(r, 20));
    }
    if (!step) throw new Error('no step message');
    const seen = step;
    const channel = seen.channel;
    const updates = countStepUpdates(t.slack);

    const command =
      (url: string): Send =>
      () =>
        slashCommand(url, SECRET, {
          text: 'list',
          user_id: IC,
          channel_id: channel,
          response_url: t.slack.responseUrl(),
        });
    const click =
      (url: string): Send =>
      (i) =>
        clickStep(url, seen, i, t.slack.responseUrl());

    for (const [name, make] of [
      ['slash command `/incident list`', command],
      ['checkbox click on a step', click],
    ] as const) {
      const results = {
        bare: { p50: [] as number[], p99: [] as number[] },
        bot: { p50: [] as number[], p99: [] as number[] },
      };
      await load(make(bare.url)); // warm-up
      await load(make(t.url));
      for (let r = 0; r < RUNS; r++) {
        // Alternate which goes first so neither always meets a cold or a busy machine.
        const order = r % 2 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const);
        for (const which of order) {
          const [p50, p99] = await load(make(which === 'bare' ? bare.url : t.url));
          results[which].p50.push(p50);
          results[which].p99.push(p99);
        }
        await t.bot.home.settled();
      }
      if (name.startsWith('checkbox')) {
        await new Promise((r) => setTimeout(r, 500)); // the last coalesced update lands
        const clicks = (RUNS + 1) * RESPONDERS * PER_RESPONDER;
        console.log(
          `chat.update of the step message: ${updates.calls} for ${clicks} clicks, at most ${updates.max} in flight per message`,
        );
      }
      const ratio50 = median(results.bot.p50) / median(results.bare.p50);
      const ratio99 = median(results.bot.p99) / median(results.bare.p99);
      console.log(
        `ack ${name}, ${RESPONDERS} concurrent x ${PER_RESPONDER}, ${RUNS} runs: ` +
          `bare Bolt p50 ${median(results.bare.p50).toFixed(1)} ms (${range(results.bare.p50)}), p99 ${median(results.bare.p99).toFixed(1)} ms (${range(results.bare.p99)}); ` +
          `incident-bot p50 ${median(results.bot.p50).toFixed(1)} ms (${range(results.bot.p50)}), p99 ${median(results.bot.p99).toFixed(1)} ms (${range(results.bot.p99)}); ` +
          `ratio p50 ${ratio50.toFixed(2)}x, p99 ${ratio99.toFixed(2)}x`,
      );
    }
  } finally {
    await bare.stop();
    await t.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`node ${process.version}`);
  await ackBench();
}
