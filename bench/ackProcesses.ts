/**
 * Ack latency with the bot and a bare Bolt app each in its own process (issue 19): 50 responders click
 * checkboxes on one step (and send `/incident help`) over HTTP on 127.0.0.1, the load generator and the
 * fake Slack in this process. The fake answers every chat.update after 50 ms; the number of updates and
 * the most in flight for one message are counted. Beside the latencies, the CPU each process spent per request
 * (utime + stime from /proc, the work after the acks included): on a shared machine it moves far less with
 * the load than p99 does. Run: `node --import tsx bench/ackProcesses.ts`.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { ACTIONS } from '../src/slack/ids.ts';
import { SECRET } from '../test/e2e/testBot.ts';
import type { StoredMessage } from '../test/support/fakeSlack.ts';
import { processRig } from '../test/support/processRig.ts';
import { findElement, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC } from '../test/support/testRunbooks.ts';
import { clickStep, countStepUpdates } from './clicks.ts';
import { cpuMs } from './procCpu.ts';

const RESPONDERS = 50;
const PER_RESPONDER = 20;
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
/** `BENCH_PROFILE_DIR=/tmp/p`: both processes write a CPU profile there when the bench ends (bench/cpuProfile.mjs). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const profiling: Record<string, string> = PROFILE_DIR
  ? {
      NODE_OPTIONS: `--import=${new URL('./cpuProfile.mjs', import.meta.url).href}`,
      CPU_PROFILE_DIR: PROFILE_DIR,
    }
  : {};
/** `BENCH_ONLY=click` or `help`: one kind of request, for a profile of it alone. */
const ONLY = process.env.BENCH_ONLY;

async function load(send: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const latencies: number[] = [];
  let n = 0;
  const lane = async () => {
    for (let k = 0; k < PER_RESPONDER; k++) {
      const start = performance.now();
      const res = await send(n++);
      latencies.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`ack answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: RESPONDERS }, lane));
  return latencies.sort((a, b) => a - b);
}
/** After a run, time for the work that follows its acks (redraws, timeline) to finish in the process measured. */
const SETTLE_MS = 300;

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
const mmm = (v: number[], digits = 0) => {
  const s = [...v].sort((a, b) => a - b);
  const f = (x: number | undefined) => (x ?? 0).toFixed(digits);
  return `${f(s[0])} / ${f(s[Math.floor(s.length / 2)])} / ${f(s.at(-1))} ms`;
};
const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function ackProcessesBench(): Promise<void> {
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    const rig = await processRig(cleanup, { name: 'ack', secret: SECRET, env: profiling });
    const bot = await rig.start();
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/bareBolt.ts'], {
      env: { ...process.env, SLACK_API_URL: rig.slack.url, ...profiling },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanup.push(() => void bare.kill('SIGTERM'));
    const barePort = await new Promise<number>((resolve) => {
      let out = '';
      bare.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    const urls = { bare: `http://127.0.0.1:${barePort}`, bot: `http://127.0.0.1:${bot.port}` };
    const pids = { bare: bare.pid ?? 0, bot: bot.child.pid ?? 0 };
    await slashCommand(urls.bot, SECRET, {
      text: 'declare P1 Checkout errors',
      user_id: DECLARER,
      channel_id: GENERAL,
      response_url: rig.slack.responseUrl(),
    });
    const posted = await rig.slack.waitFor('chat.postMessage', (a) =>
      JSON.stringify(a.blocks ?? '').includes(ACTIONS.toggleChecks),
    );
    const seen = rig.slack
      .messages(String(posted.args.channel))
      .find((m) => findElement(m.blocks, ACTIONS.toggleChecks));
    if (!seen) throw new Error('no step message');
    const step: StoredMessage = seen;
    const updates = countStepUpdates(rig.slack);
    const sends = {
      'checkbox click': (url: string) => (i: number) => clickStep(url, step, i, rig.slack.responseUrl()),
      '/incident help': (url: string) => () =>
        slashCommand(url, SECRET, {
          text: 'help',
          user_id: IC,
          channel_id: step.channel,
          response_url: rig.slack.responseUrl(),
        }),
    };
    const requests = RESPONDERS * PER_RESPONDER;
    if (PROFILE_DIR) for (const pid of Object.values(pids)) process.kill(pid, 'SIGUSR2');
    console.log(
      `ack in separate processes, ${RESPONDERS} concurrent x ${PER_RESPONDER}, ${RUNS} runs (min / median / max); load average ${loads()}`,
    );
    for (const [name, make] of Object.entries(sends)) {
      if (ONLY && !name.includes(ONLY)) continue;
      const p99 = { bare: [] as number[], bot: [] as number[] };
      const p50 = { bare: [] as number[], bot: [] as number[] };
      const cpu = { bare: [] as number[], bot: [] as number[] };
      await load(make(urls.bare));
      await load(make(urls.bot));
      for (let r = 0; r < RUNS; r++) {
        for (const which of r % 2 ? (['bot', 'bare'] as const) : (['bare', 'bot'] as const)) {
          const before = cpuMs(pids[which]);
          const s = await load(make(urls[which]));
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          cpu[which].push((cpuMs(pids[which]) - before) / requests);
          p50[which].push(pct(s, 50));
          p99[which].push(pct(s, 99));
        }
      }
      const ratios = p99.bot.map((b, i) => b / (p99.bare[i] ?? 1));
      console.log(
        `  ${name}: bare p50 ${mmm(p50.bare)}, p99 ${mmm(p99.bare)}; bot p50 ${mmm(p50.bot)}, p99 ${mmm(p99.bot)}; ` +
          `p99 ratio per run ${ratios.map((x) => x.toFixed(2)).join(', ')}x`,
      );
      const cpuRatios = cpu.bot.map((b, i) => b / (cpu.bare[i] || 1));
      console.log(
        `  ${name}: CPU a request bare ${mmm(cpu.bare, 2)}, bot ${mmm(cpu.bot, 2)}; ` +
          `CPU ratio per run ${cpuRatios.map((x) => x.toFixed(2)).join(', ')}x; load average ${loads()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 1_000));
    console.log(
      `  chat.update: ${updates.calls} for ${(RUNS + 1) * RESPONDERS * PER_RESPONDER} clicks, at most ${updates.max} in flight per message`,
    );
    // A profile is written on a clean exit only (the rig's cleanup kills with SIGKILL).
    if (PROFILE_DIR) {
      await bot.stop();
      bare.kill('SIGTERM');
      await new Promise((r) => bare.once('exit', r));
    }
  } finally {
    for (const c of cleanup.reverse()) await c();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await ackProcessesBench();
