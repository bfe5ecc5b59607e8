/**
 * The store on SQLite next to PostgreSQL, run with `npm run bench:store`; figures go to BENCHMARKS.md
 * ("Issue 16"). The store alone (no Slack, no HTTP): the database work behind a declare, a tick, a page
 * stored before its 202, and a side effect claimed and finished. PostgreSQL is a throwaway cluster on
 * 127.0.0.1 (fsync off, as in the tests), so its figures are the protocol round trips, not a disk.
 */
import type { AsyncStore } from '../src/store/sql/index.ts';
import { declare, sideBySide, timed } from './storeSideBySide.ts';

// A page's declare: 10 steps x 2 checks, its three timers and six Slack jobs.
const PAGE = {
  steps: 10,
  timers: [
    ['escalation', 120],
    ['status_update', 30],
    ['postmortem_reminder', 2880],
  ],
  jobs: ['channel', 'header', 'step', 'pin', 'invite', 'announce'],
} as const;

async function measure(store: AsyncStore): Promise<[string, number[]][]> {
  const incidentIds: number[] = [];
  const results = [
    await timed(
      'declare (incident, link, timeline, 3 timers, 10 steps x 2 checks, 6 jobs; one transaction)',
      async (i) => {
        incidentIds.push(await declare(store, i, PAGE));
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

await sideBySide('store', measure);
