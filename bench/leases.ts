/**
 * What lease renewal costs, on SQLite next to PostgreSQL: `node --import tsx bench/leases.ts`; figures go
 * to BENCHMARKS.md ("Lease renewal"). One renewal tick is one statement per kind of work held (20 jobs,
 * 10 timers, 10 pages: a full claim batch each), every LEASE_SECONDS / 3; the claims now skip the ids in
 * hand. PostgreSQL is a throwaway cluster on 127.0.0.1 (fsync off, as in the tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AsyncStore, createStore } from '../src/store/sql/index.ts';
import { startPostgres } from '../test/support/realServers.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LEASE_MS = 120_000;

async function timed(label: string, fn: () => Promise<unknown>): Promise<[string, number[]]> {
  for (let i = 0; i < 20; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return [label, ms.sort((a, b) => a - b)];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** A full batch of each kind claimed by `bench`, with 1,000 more of each waiting behind them. */
async function held(store: AsyncStore) {
  const incident = await store.incidents.create({
    title: 'B',
    severity: 'P1',
    declaredBy: 'U',
    source: 'slash',
  });
  const past = new Date(Date.now() - 60_000);
  for (let i = 0; i < 1_020; i++) {
    await store.jobs.enqueue([{ incidentId: incident.id, kind: 'post', key: `k${i}`, lane: `lane${i}` }]);
    await store.timers.schedule({ incidentId: incident.id, kind: `t${i}`, dueAt: past });
    await store.inbox.insert({ source: 'generic', rawBody: `{"n":${i}}` });
  }
  const jobs = await store.jobs.claim({ owner: 'bench', leaseMs: LEASE_MS, limit: 20 });
  const timers = await store.timers.claimDueLeased('bench', LEASE_MS, undefined, 10);
  const pages = await store.inbox.claim(10, LEASE_MS);
  return { jobs, timers, pages };
}

async function measure(store: AsyncStore): Promise<[string, number[]][]> {
  const { jobs, timers, pages } = await held(store);
  const jobIds = jobs.map((j) => j.id);
  const timerIds = timers.map((t) => t.id);
  const claims = pages.map(({ id, attempts }) => ({ id, attempts }));
  if (jobIds.length !== 20 || timerIds.length !== 10 || claims.length !== 10)
    throw new Error('the bench could not claim its batches');
  const renewal = async () => {
    await store.jobs.renew('bench', jobIds, LEASE_MS);
    await store.timers.renew('bench', timerIds, LEASE_MS);
    await store.inbox.renew(claims, LEASE_MS);
  };
  // Claims that find nothing new (leased rows only): the skip list is what changes in them.
  const other = { owner: 'other', leaseMs: LEASE_MS, limit: 0 };
  return [
    await timed('renew 20 jobs (one UPDATE)', () => store.jobs.renew('bench', jobIds, LEASE_MS)),
    await timed('renew 10 timers (one UPDATE)', () => store.timers.renew('bench', timerIds, LEASE_MS)),
    await timed('renew 10 pages (one UPDATE)', () => store.inbox.renew(claims, LEASE_MS)),
    await timed('one renewal tick (the three)', renewal),
    await timed('jobs claim, no skip list', () => store.jobs.claim({ ...other, limit: 1 })),
    await timed('jobs claim, skipping 20 in hand', () =>
      store.jobs.claim({ ...other, limit: 1, skip: jobIds }),
    ),
  ];
}

const server = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), 'incident-bot-bench-leases-'));
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
