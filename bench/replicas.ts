/**
 * The whole bot on SQLite next to PostgreSQL (issue 16), run by `npm run bench` or
 * `node --import tsx bench/replicas.ts`; figures go to BENCHMARKS.md ("Issue 16"). In one run, the same bot
 * (production mode: ack first, work after) against a fake Slack on 127.0.0.1, once on a SQLite file and once
 * on a throwaway PostgreSQL on 127.0.0.1 (fsync off, as in the tests):
 * - ack latency: the HTTP round trip of a signed `/incident declare` as the responder sees it;
 * - page to first step: an Alertmanager webhook posted until the incident's first step is in its channel.
 * Each run is a fresh bot on a fresh database; min / median / max over the runs.
 */
import pg from 'pg';
import { SECRET, startTestBot, type TestBot } from '../test/e2e/testBot.ts';
import { type RunningPostgres, startPostgres } from '../test/support/realServers.ts';
import { slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL } from '../test/support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../test/support/webhooks.ts';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const ACKS = 40;
const PAGES = 5;

type Kind = 'sqlite' | 'postgres';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function freshDatabase(server: RunningPostgres, n: number): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE bench_${n}`);
  await admin.end();
  return server.url.replace(/\/postgres$/, `/bench_${n}`);
}

/** Median ack of ACKS declares sent one after another (each ack is what a responder waits for). */
async function ackMs(t: TestBot): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ACKS; i++) {
    const start = performance.now();
    const res = await slashCommand(t.url, SECRET, {
      text: `declare P2 Bench ack ${i}`,
      user_id: DECLARER,
      channel_id: GENERAL,
      response_url: t.slack.responseUrl(),
    });
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`ack answered ${res.status}`);
  }
  return median(times);
}

/** Median time from a page's POST to its incident's first step in the channel, PAGES pages one at a time. */
async function pageToStepMs(t: TestBot): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < PAGES; i++) {
    const start = performance.now();
    const group = alertmanagerGroup({ alertname: `BenchAlert${i}`, group: `bench-${i}`, alerts: 1 });
    const res = await postWebhook(t.url, 'alertmanager', group, { authorization: `Bearer ${WEBHOOK_TOKEN}` });
    if (res.status >= 300) throw new Error(`page answered ${res.status}`);
    for (;;) {
      const incident = (await t.bot.store.incidents.listOpen()).find((x) =>
        x.title.startsWith(`BenchAlert${i}:`),
      );
      const channel = incident?.channelId;
      if (channel && t.slack.messages(channel).some((m) => m.text.startsWith('Step 1 '))) break;
      if (performance.now() - start > 30_000) throw new Error(`page ${i} reached no first step in 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    times.push(performance.now() - start);
  }
  return median(times);
}

async function once(kind: Kind, server: RunningPostgres, n: number): Promise<[number, number]> {
  const env: Record<string, string> = { WEBHOOK_TOKEN };
  if (kind === 'postgres') env.DATABASE_URL = await freshDatabase(server, n);
  const t = await startTestBot({ processBeforeResponse: false, env });
  try {
    return [await ackMs(t), await pageToStepMs(t)];
  } finally {
    await t.stop();
  }
}

function row(what: string, values: number[]): string {
  const f = (v: number) => v.toFixed(1);
  return `${what.padEnd(34)} min ${f(Math.min(...values)).padStart(7)}  median ${f(median(values)).padStart(7)}  max ${f(Math.max(...values)).padStart(7)} ms`;
}

export async function replicasBench(): Promise<void> {
  const server = await startPostgres();
  try {
    const results: Record<Kind, { ack: number[]; page: number[] }> = {
      sqlite: { ack: [], page: [] },
      postgres: { ack: [], page: [] },
    };
    // Interleaved, so a burst of load on the shared machine hits both databases alike.
    for (let run = 0; run < RUNS; run++) {
      for (const kind of ['sqlite', 'postgres'] as const) {
        const [ack, page] = await once(kind, server, run);
        results[kind].ack.push(ack);
        results[kind].page.push(page);
      }
    }
    console.log(
      `bot on SQLite next to PostgreSQL: ${RUNS} runs each, median of ${ACKS} acks / ${PAGES} pages a run`,
    );
    for (const kind of ['sqlite', 'postgres'] as const) {
      console.log(row(`ack of /incident declare, ${kind}`, results[kind].ack));
      console.log(row(`page to first step, ${kind}`, results[kind].page));
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await replicasBench();
