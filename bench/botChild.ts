/**
 * The bot in its own process for the event-loop bench (issue 19): compiled as the tests compile it, started
 * with `npm start`'s node flags, with bench/loopProbe.mjs preloaded to measure that process's event loop
 * alone. The fake Slack, the seeding and the requests stay in the bench's process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET } from '../test/e2e/testBot.ts';
import { compiledEntry, compileSources } from '../test/support/compiledBot.ts';
import { freePort } from '../test/support/realServers.ts';
import { runbooksDir } from '../test/support/testRunbooks.ts';
import type { Profile } from './blockProfile.ts';
import { seed } from './memory.ts';

export interface LoopWindow {
  /** The longest event-loop delay of the bot's process in the window (monitorEventLoopDelay, 5 ms resolution). */
  maxMs: number;
  /** The most CPU the main thread used between two 5 ms ticks: the longest the bot's own work held it. */
  maxCpuMs: number;
  /** Every block of 50 ms or more: its wall time, the main thread's time on a CPU and waiting for one. */
  blocks: { ms: number; cpuMs: number; waitMs: number; gcMs: number }[];
  /** Whether /proc gave the thread's schedstat (Linux); without it the CPU figures are 0. */
  schedstat: boolean;
  gcs: { ms: number; kind: string }[];
  profile: Profile | null;
}

export interface BotChild {
  url: string;
  pid: number;
  /** Opens a measuring window in the bot's process; `profile` also samples its stacks. */
  startWindow(profile: boolean): Promise<void>;
  stopWindow(): Promise<LoopWindow>;
  stop(): Promise<void>;
}

/** The node flags of package.json's start script (what `npm start` runs), without the entry point. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

/** Builds the bot once (esbuild, .test-dist/) unless the build is current. */
export async function compiledBot(): Promise<string> {
  const current = compiledEntry();
  if (current) return current;
  await compileSources();
  const entry = compiledEntry();
  if (!entry) throw new Error('the bot did not compile to .test-dist/: run npx tsc --noEmit for the error');
  return entry;
}

function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${what} within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before ${what}:\n${out}`)));
  });
}

/** Starts the bot on a fresh database holding `seeded` open incidents, against the fake Slack at `slackUrl`. */
export async function startBotChild(slackUrl: string, seeded: number): Promise<BotChild> {
  const entry = await compiledBot();
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-loop-'));
  const runbooks = runbooksDir();
  const dbPath = join(dir, 'db.sqlite');
  if (seeded > 0) await seed(dbPath, seeded);
  const port = await freePort();
  // BENCH_NODE_FLAGS: node flags to try beside npm start's (e.g. a GC setting), without editing package.json.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...startFlags(), ...extra, entry], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: `--import=${new URL('./loopProbe.mjs', import.meta.url).href}`,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackUrl,
      DATABASE_PATH: dbPath,
      RUNBOOKS_DIR: runbooks,
      // One parse cache for every start, as a restarted bot keeps its own.
      INCIDENT_BOT_CACHE_DIR: join(tmpdir(), 'incident-bot-loop-bench-cache'),
      PORT: String(port),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    rmSync(runbooks, { recursive: true, force: true });
  };
  try {
    const probe = waitFor(child, /loop-probe port (\d+)/, 'loop probe');
    await waitFor(child, /incident-bot started/, 'start-up');
    const probeUrl = `http://127.0.0.1:${(await probe)[1]}`;
    // Past the start line, the bot's output is not read: drop it so its pipe never fills.
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid as number,
      async startWindow(profile) {
        const res = await fetch(`${probeUrl}/start${profile ? '?profile=1' : ''}`, { method: 'POST' });
        if (!res.ok) throw new Error(`loop probe: ${await res.text()}`);
      },
      async stopWindow() {
        const res = await fetch(`${probeUrl}/stop`, { method: 'POST' });
        if (!res.ok) throw new Error(`loop probe: ${await res.text()}`);
        return (await res.json()) as LoopWindow;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
