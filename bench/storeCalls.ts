/**
 * CPU a store call costs on the hot paths (issue 19, sixth part), SQLite in-process: the guard's read of a
 * channel's incident, a step read, a tick, a timeline entry, a job claimed and finished, a page's declare
 * transaction. CPU (user + system of this process) per call over BENCH_CALLS calls after a warm-up, min /
 * median / max of BENCH_RUNS runs: on a shared machine CPU moves far less with the load than wall time.
 * Run: `node --import tsx bench/storeCalls.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../src/store/sql/index.ts';
import { declare as declareIncident } from './storeSideBySide.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));

const dir = mkdtempSync(join(tmpdir(), 'incident-bot-bench-calls-'));
const store = await createStore({ databasePath: join(dir, 'bench.db') });

// A page's declare with 8 steps of a command and 2 checks each, one escalation timer, three Slack jobs.
const declare = (n: number) =>
  declareIncident(store, n, {
    steps: 8,
    timers: [['escalation', 120]],
    jobs: ['channel', 'header', 'invite'],
    commands: true,
  });

const incidentId = await declare(0);
await store.incidents.update(incidentId, { channelId: 'C-BENCH' });
const [step] = await store.checklist.listSteps(incidentId);
if (!step) throw new Error('the bench incident has no step');
let declared = 1;
// The declare's jobs are taken once, so the claims below find nothing due.
for (const job of await store.jobs.claim({ owner: 'bench', leaseMs: 30_000, limit: 10 }))
  await store.jobs.complete(job.id, 'bench');

const CASES: [string, (i: number) => Promise<unknown>][] = [
  ['incident of a channel (click guard)', () => store.incidents.getByChannel('C-BENCH')],
  ['incident by id', () => store.incidents.get(incidentId)],
  ['step with its checks', () => store.checklist.getStep(step.id)],
  [
    'tick: transaction, step read, check update, timeline entry',
    (i) =>
      store.transaction(async (tx) => {
        await tx.checklist.getStep(step.id);
        const change = i % 2 === 0 ? { tick: [0], by: 'U2' } : { clear: [0], by: 'U2' };
        await tx.checklist.setChecks(step.id, change);
        await tx.timeline.append({
          incidentId,
          actor: 'U2',
          kind: 'check',
          text: 'first check',
          data: { stepId: step.id },
        });
      }),
  ],
  // Nothing due, so the table stays as it is from run to run: the statements' cost, not a growing queue's.
  [
    'job claim (nothing due) and a complete',
    async () => {
      await store.jobs.claim({ owner: 'bench', leaseMs: 30_000, limit: 1 });
      await store.jobs.complete(-1, 'bench');
    },
  ],
  ['inbox claim (nothing due)', () => store.inbox.claim(10, 60_000)],
  ['declare transaction (8 steps x 2 checks)', () => declare(declared++)],
];

const mmm = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return `${s[0]?.toFixed(1)} / ${s[Math.floor(s.length / 2)]?.toFixed(1)} / ${s.at(-1)?.toFixed(1)}`;
};

console.log(
  `store call CPU (µs a call, min / median / max of ${RUNS} runs of ${CALLS}); load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [label, call] of CASES) {
  const calls = label.startsWith('declare') ? Math.ceil(CALLS / 20) : CALLS;
  for (let i = 0; i < Math.min(500, calls); i++) await call(i);
  const perCall: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) await call(i);
    const used = process.cpuUsage(before);
    perCall.push((used.user + used.system) / calls);
  }
  console.log(`  ${label.padEnd(58)} ${mmm(perCall)}`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });
