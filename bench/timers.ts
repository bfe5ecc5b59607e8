/**
 * The scheduler tick's cost with 10,000 open incidents and 100,000 timers (`npm run bench`; figures in
 * BENCHMARKS.md under "Issue 4"). A tick is one indexed query when nothing is due, which is almost always.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/log.ts';
import { Scheduler } from '../src/scheduler/scheduler.ts';
import { createStore } from '../src/store/sql/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const INCIDENTS = 10_000;
const TIMERS_PER_INCIDENT = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function report(name: string, times: number[]): void {
  console.log(
    `${name.padEnd(58)} median ${median(times).toFixed(3).padStart(9)} ms  (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)}, ${times.length} runs)`,
  );
}

async function measure(name: string, fn: () => unknown, runs = RUNS): Promise<void> {
  await fn(); // warm-up: statement cache, page cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  report(name, times);
}

const dir = mkdtempSync(join(tmpdir(), 'incident-bot-bench-'));
const start = Date.parse('2026-11-23T00:00:00Z');
let clock = start;
const store = await createStore({ databasePath: join(dir, 'bench.db'), now: () => new Date(clock) });
const file = store.sqlite;
if (!file) throw new Error('the timer bench reads query plans of a SQLite file');

const setupStart = performance.now();
await store.transaction(async (tx) => {
  for (let i = 0; i < INCIDENTS; i++) {
    // Spread over days, as real incidents are (channel names number them per day).
    clock = start - (i % 365) * 86_400_000;
    const incident = await tx.incidents.create({
      title: `Incident ${i}`,
      severity: 'P1',
      declaredBy: 'U0BENCH001',
      source: 'slash',
    });
    for (let k = 0; k < TIMERS_PER_INCIDENT; k++) {
      // All in the future (1 min to 30 days), as open timers are between ticks.
      await tx.timers.schedule({
        incidentId: incident.id,
        kind: `kind_${k}`,
        dueAt: new Date(start + 60_000 + ((i * TIMERS_PER_INCIDENT + k) % 43_200) * 60_000),
      });
    }
  }
});
console.log(
  `setup: ${INCIDENTS} incidents, ${INCIDENTS * TIMERS_PER_INCIDENT} open timers in ${(performance.now() - setupStart).toFixed(0)} ms; node ${process.version}`,
);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
console.log(
  `resident memory with the database open and populated: rss ${mib(process.memoryUsage().rss)}, heap used ${mib(process.memoryUsage().heapUsed)}`,
);

const plan = file
  .prepare(
    `EXPLAIN QUERY PLAN SELECT id FROM timers
     WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT 100`,
  )
  .all(new Date(start).toISOString()) as { detail: string }[];
console.log(`claim query plan: ${plan.map((p) => p.detail).join('; ')}`);

clock = start;
await measure('claimDue: nothing due (the usual tick)', () => store.timers.claimDue(new Date(clock)), 101);

let fired = 0;
const scheduler = new Scheduler({
  store,
  handlers: Object.fromEntries(
    Array.from({ length: TIMERS_PER_INCIDENT }, (_, k) => [
      `kind_${k}`,
      async () => {
        fired += 1;
      },
    ]),
  ),
  log: createLogger('silent'),
  now: () => new Date(clock),
  tickSeconds: 15,
  isRetryable: () => false,
});
await measure('Scheduler.tick: nothing due', () => scheduler.tick(), 101);

// Each run moves the clock on by 10 minutes; the 100,000 timers spread over 30 days make ~2-3 due a minute.
const tickTimes: number[] = [];
const firedPerTick: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  clock = start + 60_000 + i * 600_000;
  const before = fired;
  const t0 = performance.now();
  await scheduler.tick();
  tickTimes.push(performance.now() - t0);
  firedPerTick.push(fired - before);
}
report(`Scheduler.tick: ~${median(firedPerTick)} timers due (no-op handlers)`, tickTimes);

clock = start + 60_000 + 3 * 86_400_000;
const t0 = performance.now();
const backlog = await scheduler.tick();
report(`Scheduler.tick: catching up ${backlog} timers after a 3-day outage`, [performance.now() - t0]);

console.log(`resident memory after the ticks: rss ${mib(process.memoryUsage().rss)}`);
await scheduler.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
