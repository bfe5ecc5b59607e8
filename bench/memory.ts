/**
 * Resident memory of the compiled bot (issue 19): `node dist/index.js` in its own process (what `npm start`
 * runs), with a fresh database and with 10,000 open incidents seeded before it starts, read from
 * /proc/<pid>/status once /healthz answers and the process has settled, and again after `/incident list`
 * and an App Home open. The fake Slack and the seeding run in this process, so they are not counted.
 * Side by side: this build as `npm start` runs it (the command is read from package.json), and, when
 * BENCH_BEFORE names a folder holding another build (e.g. main's: `git archive main src package.json
 * tsconfig*.json | tar -x -C DIR`, node_modules linked, `npx tsc -p tsconfig.build.json`), that one as its
 * own package.json starts it. Run `npm run build` first. BENCH_RUNS sets the starts per size (default 3).
 * The runbook parse cache is kept between the starts of a variant, as a restarted bot keeps it (one first,
 * uncounted start fills it); BENCH_PARSE_CACHE=cold gives every start an empty one (a first deploy).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../src/store/sql/index.ts';
import { SECRET } from '../test/e2e/testBot.ts';
import { startFakeSlack } from '../test/support/fakeSlack.ts';
import { freePort } from '../test/support/realServers.ts';
import { event, eventCallback, slashCommand } from '../test/support/slackRequests.ts';
import { DECLARER, GENERAL, IC, runbooksDir, TEST_WORKSPACE } from '../test/support/testRunbooks.ts';

const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3));
const COLD = process.env.BENCH_PARSE_CACHE === 'cold';
const SETTLE_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (kb: number) => kb / 1024;

function statusOf(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  return { rss: mib(kb('VmRSS')), hwm: mib(kb('VmHWM')) };
}

export async function seed(dbPath: string, open: number): Promise<void> {
  const store = await createStore({ databasePath: dbPath });
  await store.transaction(async (tx) => {
    for (let i = 0; i < open; i++) {
      // Opened incidents (a channel and a header each): rows without a channel are interrupted declares,
      // which the bot would queue to open at start.
      const incident = await tx.incidents.create({
        title: `Incident ${i}`,
        severity: 'P2',
        declaredBy: IC,
        source: 'slash',
      });
      await tx.incidents.update(incident.id, {
        channelId: `C${String(i).padStart(9, '0')}`,
        channelName: `inc-${i}`,
        headerTs: `${1_700_000_000 + i}.000100`,
      });
    }
  });
  await store.close();
}

interface Variant {
  cwd: string;
  args: string[];
  /** Where its starts keep the runbook parse cache (INCIDENT_BOT_CACHE_DIR). */
  cache: string;
}

/** `npm start` without npm: the node arguments of the start script of `dir`'s package.json. */
function startCommand(dir = '.'): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).slice(1);
}

async function measure(variant: Variant, open: number, slackUrl: string, responseUrl: () => string) {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-rss-'));
  const runbooks = runbooksDir();
  const dbPath = join(dir, 'db.sqlite');
  if (open > 0) await seed(dbPath, open);
  const port = await freePort();
  const child = spawn(process.execPath, variant.args, {
    cwd: variant.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackUrl,
      DATABASE_PATH: dbPath,
      RUNBOOKS_DIR: runbooks,
      INCIDENT_BOT_CACHE_DIR: COLD ? join(dir, 'cache') : variant.cache,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(20);
    }
    await sleep(SETTLE_MS);
    // VmHWM here is the peak of the start itself: modules, migrations, runbooks, start-up recovery.
    const idle = statusOf(child.pid as number);
    await slashCommand(`${url}`, SECRET, {
      text: 'list',
      user_id: IC,
      channel_id: GENERAL,
      response_url: responseUrl(),
    });
    await event(url, SECRET, eventCallback({ type: 'app_home_opened', user: DECLARER, tab: 'home' }));
    await sleep(SETTLE_MS);
    return { idle, used: statusOf(child.pid as number) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    rmSync(runbooks, { recursive: true, force: true });
  }
}

const f = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return `${s[0]?.toFixed(0)} / ${s[Math.floor(s.length / 2)]?.toFixed(0)} / ${s.at(-1)?.toFixed(0)} MiB`;
};

export async function memoryBench(): Promise<void> {
  const caches = mkdtempSync(join(tmpdir(), 'incident-bot-parse-cache-'));
  const variants: Record<string, Variant> = {
    [`now (node ${startCommand().join(' ')})`]: {
      cwd: process.cwd(),
      args: startCommand(),
      cache: join(caches, 'now'),
    },
  };
  const before = process.env.BENCH_BEFORE;
  if (before)
    variants[`before (${before}: node ${startCommand(before).join(' ')})`] = {
      cwd: before,
      args: startCommand(before),
      cache: join(caches, 'before'),
    };
  const slack = await startFakeSlack(TEST_WORKSPACE);
  try {
    if (!COLD)
      for (const variant of Object.values(variants))
        await measure(variant, 0, slack.url, () => slack.responseUrl());
    const results = new Map<string, { idle: number[]; used: number[]; startHwm: number[]; hwm: number[] }>();
    // The variants alternate, so machine load hits them alike.
    for (let r = 0; r < RUNS; r++) {
      for (const open of [0, 10_000]) {
        for (const [name, variant] of Object.entries(variants)) {
          const m = await measure(variant, open, slack.url, () => slack.responseUrl());
          const key = `${name}, ${open} open`;
          const entry = results.get(key) ?? { idle: [], used: [], startHwm: [], hwm: [] };
          entry.idle.push(m.idle.rss);
          entry.startHwm.push(m.idle.hwm);
          entry.used.push(m.used.rss);
          entry.hwm.push(m.used.hwm);
          results.set(key, entry);
        }
      }
    }
    console.log(
      `RSS of the compiled bot in its own process, min / median / max of ${RUNS} starts, ` +
        `${COLD ? 'empty' : 'warm'} runbook parse cache, load ${loadavg()[0]?.toFixed(1)}`,
    );
    for (const [key, e] of results) {
      console.log(
        `  ${key}: idle ${f(e.idle)}, start-up peak ${f(e.startHwm)}; after /incident list + App Home ${f(e.used)}; peak ${f(e.hwm)}`,
      );
    }
  } finally {
    await slack.close();
    rmSync(caches, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await memoryBench();
