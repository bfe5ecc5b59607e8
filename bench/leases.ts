/**
 * What lease renewal costs, on SQLite next to PostgreSQL: `node --import tsx bench/leases.ts`; figures go
 * to BENCHMARKS.md ("Lease renewal"). One renewal tick is one statement per kind of work held (20 jobs,
 * 10 timers, 10 pages: a full claim batch each), every LEASE_SECONDS / 3; the claims now skip the ids in
 * hand. PostgreSQL is a throwaway cluster on 127.0.0.1 (fsync off, as in the tests).
 */
import type { AsyncStore } from '../src/store/sql/index.ts';
import { sideBySide, timed } from './storeSideBySide.ts';

const LEASE_MS = 120_000;

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

await sideBySide('leases', measure);
