/**
 * Page to first step (issue 9): an Alertmanager POST to the bot, the fake Slack answering every call after
 * 50 ms, until the first step's message is answered. Reports the time, the Slack calls on the way and how
 * many of them were sequential (a call that started only after another was answered is one round trip
 * further down the chain). Also: cold start of the real process to "started" and to /healthz.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestBot } from '../test/e2e/testBot.ts';
import { type RecordedCall, startFakeSlack } from '../test/support/fakeSlack.ts';
import { sequentialRoundTrips } from '../test/support/roundTrips.ts';
import { runbooksDir } from '../test/support/testRunbooks.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../test/support/webhooks.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
const range = (v: number[], digits = 0) =>
  `${Math.min(...v).toFixed(digits)}-${Math.max(...v).toFixed(digits)}`;

export async function firstStepBench(): Promise<void> {
  const t = await startTestBot({ env: { WEBHOOK_TOKEN }, processBeforeResponse: false });
  try {
    t.slack.on('*', async () => {
      await sleep(LATENCY_MS);
      return undefined;
    });
    const times: number[] = [];
    const depths: number[] = [];
    let chain: string[] = [];
    let callsOnPath = 0;
    for (let r = 0; r <= RUNS; r++) {
      const from = t.slack.calls.length;
      const start = Date.now();
      const res = await postWebhook(
        t.url,
        'alertmanager',
        alertmanagerGroup({ alertname: 'DiskFull', group: `first-step-${r}`, alerts: 1 }),
      );
      if (res.status !== 202) throw new Error(`page answered ${res.status}`);
      let step: RecordedCall | undefined;
      while (!step) {
        step = t.slack.calls
          .slice(from)
          .find(
            (c) =>
              c.method === 'chat.postMessage' &&
              c.answeredAt !== undefined &&
              String(c.args.text ?? '').startsWith('Step 1 '),
          );
        if (!step) await sleep(2);
      }
      const elapsed = (step.answeredAt as number) - start;
      const calls = t.slack.calls.slice(from).filter((c) => c.at <= (step as RecordedCall).at);
      const d = sequentialRoundTrips(calls, step);
      await t.bot.intake.worker.idle();
      await t.bot.diagnostics.settled();
      if (r === 0) continue; // warm-up
      times.push(elapsed);
      depths.push(d.depth);
      chain = d.chain;
      callsOnPath = calls.length;
    }
    const ms = median(times);
    const trips = median(depths);
    console.log(
      `page -> first step, Slack answering after ${LATENCY_MS} ms, ${RUNS} runs: median ${ms} ms (${range(times)}); ` +
        `${callsOnPath} Slack calls before the step, ${trips} sequential round trips (${chain.join(' -> ')}); ` +
        `own work ~${Math.max(0, ms - trips * LATENCY_MS)} ms (time minus ${trips} x ${LATENCY_MS} ms)`,
    );
  } finally {
    await t.stop();
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
  await coldStartBench();
}
