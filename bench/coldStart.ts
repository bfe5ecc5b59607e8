/**
 * Cold start (issue 20): the compiled bot (`npm start`: node dist/index.js) against the TypeScript start
 * through tsx (`node --import tsx src/index.ts`, what `npm start` ran before), side by side in one run:
 * the two alternate, so machine load hits both alike. Measured from spawn to the first 200 of /healthz,
 * polled every 5 ms, with a fresh database, the shipped runbooks and a fake Slack on 127.0.0.1.
 * Run: `npm run bench:coldstart` (builds dist/ first). BENCH_RUNS sets the runs per variant (default 9).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../test/support/fakeSlack.ts';
import { freePort } from '../test/support/realServers.ts';
import { runbooksDir } from '../test/support/testRunbooks.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
/** `npm start` without npm: the node arguments of the start script of `dir`'s package.json. */
const startArgs = (dir = '.'): string[] =>
  (
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start
    .split(/\s+/)
    .slice(1);
type Variant = string;
// BENCH_BEFORE: a folder holding another build (e.g. main's, see bench/memory.ts), started as it was then.
const VARIANTS: Record<Variant, { args: readonly string[]; cwd?: string }> = {
  [`compiled, npm start (node ${startArgs().join(' ')})`]: { args: startArgs() },
  'tsx (node --import tsx src/index.ts)': { args: ['--import', 'tsx', 'src/index.ts'] },
  ...(process.env.BENCH_BEFORE
    ? {
        [`before (${process.env.BENCH_BEFORE}: node ${startArgs(process.env.BENCH_BEFORE).join(' ')})`]: {
          args: startArgs(process.env.BENCH_BEFORE),
          cwd: process.env.BENCH_BEFORE,
        },
      }
    : {}),
};

async function healthyAfter(
  { args, cwd }: { args: readonly string[]; cwd?: string },
  env: Record<string, string>,
  port: number,
): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  const gone = new Promise((resolve) => child.on('exit', resolve)).then(() => {
    exited = true;
  });
  try {
    for (;;) {
      if (exited) throw new Error(`the bot exited before /healthz answered: ${args.join(' ')}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return performance.now() - start;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await gone;
  }
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const ms = (v: number) => `${Math.round(v)} ms`;
  return `${ms(sorted[0] ?? 0)} / ${ms(median)} / ${ms(sorted.at(-1) ?? 0)}`;
}

export async function coldStartComparison(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const slack = await startFakeSlack();
  const runbooks = runbooksDir();
  const times = new Map<Variant, number[]>(Object.keys(VARIANTS).map((v) => [v as Variant, []]));
  try {
    // Run 0 warms the OS file cache for both and is not counted.
    for (let run = 0; run <= RUNS; run++) {
      for (const [variant, how] of Object.entries(VARIANTS)) {
        const dir = mkdtempSync(join(tmpdir(), 'incident-bot-cold-'));
        const port = await freePort();
        const env = {
          PATH: process.env.PATH ?? '',
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: slack.url,
          DATABASE_PATH: join(dir, 'db.sqlite'),
          RUNBOOKS_DIR: runbooks,
          PORT: String(port),
          LOG_LEVEL: 'warn',
        };
        const ms = await healthyAfter(how, env, port);
        rmSync(dir, { recursive: true, force: true });
        if (run > 0) times.get(variant)?.push(ms);
      }
    }
  } finally {
    await slack.close();
    rmSync(runbooks, { recursive: true, force: true });
  }
  console.log(
    `cold start to /healthz 200, ${RUNS} runs each, alternating; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log('| start | min / median / max |\n|---|---|');
  for (const [variant, values] of times) console.log(`| ${variant} | ${stats(values)} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`node ${process.version}`);
  await coldStartComparison();
}
