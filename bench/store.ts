/**
 * The store on SQLite next to PostgreSQL, run with `npm run bench:store`; figures go to BENCHMARKS.md
 * ("Issue 16"). The store alone (no Slack, no HTTP): the database work behind a declare, a tick, a page
 * stored before its 202, and a side effect claimed and finished. PostgreSQL is a throwaway cluster on
 * 127.0.0.1 (fsync off, as in the tests), so its figures are the protocol round trips, not a disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AsyncStore, createStore } from '../src/store/sql/index.ts';
import { startPostgres } from '../test/support/realServers.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);

async function declare(store: AsyncStore, n: number): Promise<number> {
  return store.transaction(async (tx) => {
    const incident = await tx.incidents.create({
      title: `Bench ${n}`,
      severity: 'P1',
      declaredBy: 'U1',
      source: 'alertmanager',
    });
    await tx.alertLinks.link({ source: 'alertmanager', dedupKey: `group-${n}`, incidentId: incident.id });
    await tx.timeline.append({ incidentId: incident.id, actor: 'bot', kind: 'declared', text: 'declared' });
    for (const [kind, minutes] of [
      ['escalation', 120],
      ['status_update', 30],
      ['postmortem_reminder', 2880],
    ] as const) {
      await tx.timers.schedule({
        incidentId: incident.id,
        kind,
        dueAt: new Date(Date.now() + minutes * 60_000),
      });
    }
    await tx.checklist.insertSteps(
      Array.from({ length: 10 }, (_, position) => ({
        incidentId: incident.id,
        position,
        section: 'step' as const,
        title: `Step ${position + 1}`,
        checks: ['first check', 'second check'],
      })),
    );
    await tx.jobs.enqueue(
      ['channel', 'header', 'step', 'pin', 'invite', 'announce'].map((kind) => ({
        incidentId: incident.id,
        kind,
        key: `${kind}-${incident.id}`,
      })),
    );
    return incident.id;
  });
}

async function timed(label: string, fn: (i: number) => Promise<unknown>): Promise<[string, number[]]> {
  for (let i = 0; i < 20; i++) await fn(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  return [label, ms.sort((a, b) => a - b)];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function measure(store: AsyncStore): Promise<[string, number[]][]> {
  const incidentIds: number[] = [];
  const results = [
    await timed(
      'declare (incident, link, timeline, 3 timers, 10 steps x 2 checks, 6 jobs; one transaction)',
      async (i) => {
        incidentIds.push(await declare(store, i));
      },
    ),
  ];
  const steps = await store.checklist.listSteps(incidentIds[0] ?? 0);
  results.push(
    await timed('tick one box (setChecks)', async (i) => {
      const step = steps[Math.abs(i) % steps.length];
      await store.checklist.setChecks(
        step?.id ?? 0,
        i % 2 === 0 ? { tick: [0], by: 'U2' } : { clear: [0], by: 'U2' },
      );
    }),
  );
  results.push(
    await timed('store a page before its 202 (inbox insert)', (i) =>
      store.inbox.insert({ source: 'alertmanager', rawBody: `{"n":${i}}`, deliveryId: `d${i}` }),
    ),
  );
  results.push(
    await timed('claim and finish one side effect (jobs.claim + complete)', async () => {
      const [job] = await store.jobs.claim({ owner: 'bench', leaseMs: 30_000, limit: 1 });
      if (job) await store.jobs.complete(job.id, 'bench');
    }),
  );
  return results;
}

const server = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'incident-bot-bench-store-'));
try {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const sqlite = await createStore({ databasePath: join(dir, 'bench.db') });
  const postgres = await createStore({
    databasePath: '',
    databaseUrl: server.url.replace(/\/postgres$/, '/bench'),
  });
  const rows = [await measure(sqlite), await measure(postgres)];
  await sqlite.close();
  await postgres.close();
  console.log(`Node ${process.version}, ${RUNS} runs each after 20 warm-up, median (p95) in ms\n`);
  console.log('| operation | SQLite | PostgreSQL |\n|---|---|---|');
  for (const [index, [label, ms]] of (rows[0] ?? []).entries()) {
    const pgMs = rows[1]?.[index]?.[1] ?? [];
    console.log(
      `| ${label} | ${pct(ms, 0.5).toFixed(2)} (${pct(ms, 0.95).toFixed(2)}) | ${pct(pgMs, 0.5).toFixed(2)} (${pct(pgMs, 0.95).toFixed(2)}) |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
