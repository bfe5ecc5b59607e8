/**
 * Page to first step (issues 9 and 19): an Alertmanager POST to the bot until the first step's message is
 * answered, the fake Slack answering every call after 50 ms. The bot runs compiled in its own process
 * (as its `npm start` runs it: `node --max-semi-space-size=2 dist/index.js`, production settings); the fake Slack and the load
 * generator run here, so the fake's own work never holds the bot's event loop.
 *
 * Reports, min / median / max of BENCH_RUNS pages (default 7) after a warm-up each:
 * - the time, the Slack calls on the way and how many were sequential (a call that started only after
 *   another was answered is one round trip further down the chain);
 * - the bot's own work: the time minus the Slack time on that chain (each call from its request reaching
 *   the fake to its answer), and the goal's measure, the time minus 2 x 50 ms;
 * - where it goes: POST -> 202, 202 -> conversations.create request, create answered -> each post's request;
 * - the fake Slack's own overhead, measured alone: the same three requests replayed with no bot running;
 * - the bot's CPU per page (every job, until the calls settle), from /proc: unlike the times, it hardly moves
 *   with the machine's load, so builds compare on a busy machine too.
 * With BENCH_BEFORE naming a folder holding another build (see bench/memory.ts), that build takes pages
 * too, alternating with this one. BENCH_CPU_PROF=DIR writes a CPU profile of this build's process there.
 * Run `npm run build` first (`npm run bench:first-step` does). Also: cold start to "started" and /healthz.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET } from '../test/e2e/testBot.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../test/support/fakeSlack.ts';
import { freePort } from '../test/support/realServers.ts';
import { sequentialRoundTrips } from '../test/support/roundTrips.ts';
import { runbooksDir, TEST_WORKSPACE } from '../test/support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../test/support/webhooks.ts';

// Pages are paced to a burst of 10 channels: the warm-up and the runs stay within it.
const RUNS = Math.min(9, Number(process.env.BENCH_RUNS ?? 7));
const LATENCY_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
const range = (v: number[], digits = 0) =>
  `${Math.min(...v).toFixed(digits)} / ${median(v).toFixed(digits)} / ${Math.max(...v).toFixed(digits)}`;

/** One page's timeline, in Date.now() ms of this machine (the bot and the fake share its clock). */
interface PageTimes {
  total: number;
  slack: number;
  depth: number;
  chain: string[];
  calls: number;
  accepted: number;
  toCreate: number;
  toStep: number;
  toHeader: number;
  fakeExtra: number;
  /** The bot's CPU over the whole page (every job, until Slack calls settle), ms. */
  cpu: number;
}

/** `npm start` of the build in `cwd`, without npm: the node arguments of its package.json's start script. */
function startArgs(cwd: string): string[] {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).slice(1);
}

interface RunningBot {
  name: string;
  url: string;
  /** CPU time (user + system) the bot's process has used so far, from /proc: 10 ms ticks. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** utime + stime of a process, in ms (Linux /proc/PID/stat fields 14 and 15, 100 ticks a second). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const isStep1 = (c: RecordedCall) =>
  c.method === 'chat.postMessage' && String(c.args.text ?? '').startsWith('Step 1 ');

async function startBotProcess(
  name: string,
  cwd: string,
  slackUrl: string,
  profileDir?: string,
): Promise<RunningBot> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-first-step-'));
  const runbooks = runbooksDir();
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, ...startArgs(cwd)], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackUrl,
      DATABASE_PATH: join(dir, 'db.sqlite'),
      RUNBOOKS_DIR: runbooks,
      INCIDENT_BOT_CACHE_DIR: join(dir, 'cache'),
      WEBHOOK_TOKEN,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((r) => child.on('exit', r));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 1_500 || child.exitCode !== null) throw new Error(`${name} did not start (${cwd})`);
    await sleep(20);
  }
  return {
    name,
    url,
    cpuMs: () => processCpuMs(child.pid as number),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      rmSync(runbooks, { recursive: true, force: true });
    },
  };
}

/** Waits until the bot has made no new Slack call for a while and every call is answered. */
async function settled(slack: FakeSlack): Promise<void> {
  let seen = -1;
  while (seen !== slack.calls.length || slack.calls.some((c) => c.answeredAt === undefined)) {
    seen = slack.calls.length;
    await sleep(300);
  }
}

async function onePage(bot: RunningBot, slack: FakeSlack, group: string): Promise<PageTimes> {
  const from = slack.calls.length;
  const cpuBefore = bot.cpuMs();
  const start = Date.now();
  const res = await postWebhook(
    bot.url,
    'alertmanager',
    alertmanagerGroup({ alertname: 'DiskFull', group, alerts: 1 }),
  );
  const accepted = Date.now();
  if (res.status !== 202) throw new Error(`${bot.name}: page answered ${res.status}`);
  let step: RecordedCall | undefined;
  for (let i = 0; !step; i++) {
    step = slack.calls.slice(from).find((c) => isStep1(c) && c.answeredAt !== undefined);
    if (i > 5_000) throw new Error(`${bot.name}: no first step within 10 s`);
    if (!step) await sleep(2);
  }
  await settled(slack);
  const cpu = bot.cpuMs() - cpuBefore;
  const calls = slack.calls.slice(from).filter((c) => c.at <= (step as RecordedCall).at);
  const trips = sequentialRoundTrips(calls, step);
  const create = calls.find((c) => c.method === 'conversations.create');
  const header = calls.find(
    (c) => c.method === 'chat.postMessage' && !isStep1(c) && c.args.channel === step?.args.channel,
  );
  if (!create?.answeredAt) throw new Error(`${bot.name}: no conversations.create before the first step`);
  // The chain's Slack time: each call from reaching the fake to its answer (the 50 ms and the fake's work).
  const chain = [create, step];
  const slackMs = chain.reduce((n, c) => n + ((c.answeredAt as number) - c.at), 0);
  return {
    total: (step.answeredAt as number) - start,
    slack: slackMs,
    depth: trips.depth,
    chain: trips.chain,
    calls: calls.length,
    accepted: accepted - start,
    toCreate: create.at - accepted,
    toStep: step.at - create.answeredAt,
    toHeader: header ? header.at - create.answeredAt : Number.NaN,
    fakeExtra: slackMs - chain.length * LATENCY_MS,
    cpu,
  };
}

/**
 * The fake Slack's own cost, alone: the create, header and step requests the bot sent, replayed as they
 * were (same method and form body) with no bot running. Its handling time beyond the 50 ms and the whole
 * round trip (fetch client and loopback included) are the fake's share, never the bot's.
 */
async function fakeAlone(recorded: RecordedCall[]): Promise<{ handling: number[]; roundTrip: number[] }> {
  const slack = await startFakeSlack(TEST_WORKSPACE);
  const handling: number[] = [];
  const roundTrip: number[] = [];
  try {
    slack.on('*', async () => {
      await sleep(LATENCY_MS);
      return undefined;
    });
    for (let r = 0; r <= RUNS; r++) {
      for (const call of recorded) {
        const form = new URLSearchParams();
        for (const [k, v] of Object.entries(call.args))
          form.set(k, typeof v === 'string' ? v : JSON.stringify(v));
        const began = performance.now();
        const res = await fetch(`${slack.url}${call.method}`, {
          method: 'POST',
          headers: {
            authorization: 'Bearer xoxb-test-token',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: form.toString(),
        });
        await res.text();
        const took = performance.now() - began;
        const replayed = slack.calls.at(-1) as RecordedCall;
        if (r === 0) continue;
        handling.push((replayed.answeredAt as number) - replayed.at - LATENCY_MS);
        roundTrip.push(took - LATENCY_MS);
      }
    }
  } finally {
    await slack.close();
  }
  return { handling, roundTrip };
}

function report(name: string, pages: PageTimes[]): void {
  const last = pages.at(-1) as PageTimes;
  const pick = (f: (p: PageTimes) => number) => range(pages.map(f), 1);
  console.log(
    `${name}: ${pages.length} pages, Slack answering after ${LATENCY_MS} ms; min / median / max\n` +
      `  page -> first step answered  ${pick((p) => p.total)} ms; ${last.calls} Slack calls before the step, ` +
      `${median(pages.map((p) => p.depth))} sequential round trips (${last.chain.join(' -> ')})\n` +
      `  goal's measure: time - 2 x ${LATENCY_MS} ms  ${pick((p) => p.total - 2 * LATENCY_MS)} ms (goal <= 20)\n` +
      `  own work: time - Slack time on the chain  ${pick((p) => p.total - p.slack)} ms\n` +
      `    POST -> 202 (seen by the sender)  ${pick((p) => p.accepted)} ms\n` +
      `    202 -> conversations.create request  ${pick((p) => p.toCreate)} ms\n` +
      `    create answered -> step 1 request  ${pick((p) => p.toStep)} ms; -> header request ${pick((p) => p.toHeader)} ms\n` +
      `  the fake's handling beyond ${LATENCY_MS} ms on the chain (in the Slack time, not charged)  ${pick((p) => p.fakeExtra)} ms\n` +
      `  the bot's CPU over the whole page (every job; /proc, 10 ms ticks)  ${pick((p) => p.cpu)} ms, ` +
      `mean ${(pages.reduce((n, p) => n + p.cpu, 0) / pages.length).toFixed(1)} ms`,
  );
}

export async function firstStepBench(): Promise<void> {
  const slack = await startFakeSlack(TEST_WORKSPACE);
  slack.on('*', async () => {
    await sleep(LATENCY_MS);
    return undefined;
  });
  const bots: RunningBot[] = [];
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0] as number), 5_000);
  try {
    bots.push(await startBotProcess('now (dist/)', process.cwd(), slack.url, process.env.BENCH_CPU_PROF));
    const before = process.env.BENCH_BEFORE;
    if (before) bots.push(await startBotProcess(`before (${before}/dist/)`, before, slack.url));
    loads.push(loadavg()[0] as number);
    const pages = new Map<RunningBot, PageTimes[]>(bots.map((b) => [b, []]));
    // The builds alternate page by page, so machine load hits them alike.
    for (let r = 0; r <= RUNS; r++) {
      for (const [i, bot] of bots.entries()) {
        const times = await onePage(bot, slack, `first-step-${i}-${r}`);
        if (r > 0) pages.get(bot)?.push(times);
      }
    }
    const fromNow = slack.calls.filter(
      (c) => c.method === 'conversations.create' || c.method === 'chat.postMessage',
    );
    const create = fromNow.find((c) => c.method === 'conversations.create');
    const step = fromNow.find(isStep1);
    const header = fromNow.find(
      (c) => c.method === 'chat.postMessage' && !isStep1(c) && c.args.channel === step?.args.channel,
    );
    for (const bot of bots) report(bot.name, pages.get(bot) ?? []);
    const alone = await fakeAlone([create, header, step].filter((c): c is RecordedCall => c !== undefined));
    console.log(
      `the fake Slack alone (create, header, step replayed, no bot): handling beyond ${LATENCY_MS} ms ` +
        `${range(alone.handling, 1)} ms, whole round trip beyond ${LATENCY_MS} ms ${range(alone.roundTrip, 1)} ms a call; ` +
        `load average during the run ${range(loads, 1)}`,
    );
  } finally {
    clearInterval(sampler);
    for (const bot of bots) await bot.stop();
    await slack.close();
  }
}

export async function coldStartBench(): Promise<void> {
  const slack = await startFakeSlack();
  const runbooks = runbooksDir();
  const toStarted: number[] = [];
  const toHealthy: number[] = [];
  try {
    for (let r = 0; r <= RUNS; r++) {
      const dir = mkdtempSync(join(tmpdir(), 'incident-bot-cold-'));
      const start = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
        env: {
          PATH: process.env.PATH ?? '',
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: slack.url,
          DATABASE_PATH: join(dir, 'db.sqlite'),
          RUNBOOKS_DIR: runbooks,
          PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /"port":(\d+).*incident-bot started/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', () => reject(new Error(out)));
      });
      const started = performance.now() - start;
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status !== 200) throw new Error('not healthy');
      const healthy = performance.now() - start;
      child.kill('SIGTERM');
      await new Promise((r) => child.on('exit', r));
      rmSync(dir, { recursive: true, force: true });
      if (r === 0) continue;
      toStarted.push(started);
      toHealthy.push(healthy);
    }
    console.log(
      `cold start (node --import tsx src/index.ts, fresh database, shipped runbooks), ${RUNS} runs: ` +
        `"started" after median ${median(toStarted).toFixed(0)} ms (${range(toStarted)}), /healthz 200 after ${median(toHealthy).toFixed(0)} ms (${range(toHealthy)})`,
    );
  } finally {
    await slack.close();
    rmSync(runbooks, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`node ${process.version}`);
  await firstStepBench();
  // `npm run bench` runs the cold start too; alone it is `npm run bench:coldstart` (bench/coldStart.ts).
  if (process.env.BENCH_ONLY !== 'first-step') await coldStartBench();
}
