import { describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../../src/store/sql/index.ts';
import { STORE_KINDS, type StoreKind, storeDatabases, twoReplicas } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';

const databases = storeDatabases();
const LEASE_MS = 60_000;

/** Two replicas on one database (on SQLite, two callers of one store: one process per file). */
async function replicas(kind: StoreKind) {
  const clock = manualClock('2026-11-22T10:00:00.000Z');
  return { clock, ...(await twoReplicas(databases, kind, clock)) };
}

async function jobs(store: AsyncStore, incidentId: number, lanes: readonly string[]) {
  await store.jobs.enqueue(lanes.map((lane) => ({ incidentId, kind: 'post', key: `k-${lane}`, lane })));
  return (await store.jobs.forIncident(incidentId)).map((job) => job.id);
}

describe.each(STORE_KINDS)('lease renewal on %s', (kind) => {
  it("renews a running job's lease for its holder only, and reports a job another replica took over", async () => {
    const { clock, a, b, incidentId } = await replicas(kind);
    const [first, second] = await jobs(a, incidentId, ['a', 'b']);
    if (first === undefined || second === undefined) throw new Error('two jobs expected');
    const held = await a.jobs.claim({ owner: 'replica-a', leaseMs: LEASE_MS, limit: 10 });
    expect(held.map((job) => job.id)).toEqual([first, second]);

    clock.advance(LEASE_MS / 3);
    // Only rows this owner holds are renewed: another owner's renewal of them changes nothing.
    expect(await b.jobs.renew('replica-b', [first, second], LEASE_MS)).toEqual([]);
    expect(await a.jobs.renew('replica-a', [first], LEASE_MS)).toEqual([first]);
    expect((await a.jobs.forIncident(incidentId)).map((job) => [job.id, job.leaseUntil])).toEqual([
      [first, '2026-11-22T10:01:20.000Z'],
      [second, '2026-11-22T10:01:00.000Z'],
    ]);

    // Past the first lease: the renewed job stays replica-a's, the other one is taken over.
    clock.advance(LEASE_MS - LEASE_MS / 3);
    const takenOver = await b.jobs.claim({ owner: 'replica-b', leaseMs: LEASE_MS, limit: 10 });
    expect(takenOver.map((job) => [job.id, job.claimedBy])).toEqual([[second, 'replica-b']]);
    expect(await a.jobs.renew('replica-a', [first, second], LEASE_MS)).toEqual([first]);
    expect(await a.jobs.renew('replica-a', [], LEASE_MS)).toEqual([]);

    // A finished job is no longer anyone's to renew.
    await a.jobs.complete(first, 'replica-a');
    expect(await a.jobs.renew('replica-a', [first], LEASE_MS)).toEqual([]);
  });

  it('claims no job, timer or page whose id the claimant says it is still running', async () => {
    const { clock, a, incidentId } = await replicas(kind);
    const [job] = await jobs(a, incidentId, ['a']);
    const timer = (
      await a.timers.schedule({ incidentId, kind: 'escalation', dueAt: new Date('2026-11-22T09:59:00.000Z') })
    ).timer;
    const page = await a.inbox.insert({ source: 'generic', rawBody: '{}' });
    if (job === undefined) throw new Error('a job expected');
    expect((await a.jobs.claim({ owner: 'me', leaseMs: LEASE_MS, limit: 10 })).map((j) => j.id)).toEqual([
      job,
    ]);
    expect((await a.timers.claimDueLeased('me', LEASE_MS)).map((t) => t.id)).toEqual([timer.id]);
    expect((await a.inbox.claim(10, LEASE_MS)).map((i) => i.id)).toEqual([page.id]);

    clock.advance(LEASE_MS);
    // Leases lapsed: claimable again, except by the process that says they are still in its hands.
    expect(await a.jobs.claim({ owner: 'me', leaseMs: LEASE_MS, limit: 10, skip: [job] })).toEqual([]);
    expect(await a.timers.claimDueLeased('me', LEASE_MS, undefined, 10, [timer.id])).toEqual([]);
    expect(await a.inbox.claim(10, LEASE_MS, [page.id])).toEqual([]);
    // Skipping other ids changes nothing.
    expect(
      (await a.timers.claimDueLeased('me', LEASE_MS, undefined, 10, [job + 1000])).map((t) => t.id),
    ).toEqual([timer.id]);
  });

  it('renews a timer being fired for its holder only, until it is fired or another replica has it', async () => {
    const { clock, a, b, incidentId } = await replicas(kind);
    const plan = async (dueAt: string) =>
      (await a.timers.schedule({ incidentId, kind: 'escalation', dueAt: new Date(dueAt) })).timer.id;
    const kept = await plan('2026-11-22T09:58:00.000Z');
    const lapsed = await plan('2026-11-22T09:59:00.000Z');
    expect((await a.timers.claimDueLeased('replica-a', LEASE_MS)).map((t) => t.id)).toEqual([kept, lapsed]);

    clock.advance(LEASE_MS / 2);
    expect(await b.timers.renew('replica-b', [kept, lapsed], LEASE_MS)).toEqual([]);
    expect(await a.timers.renew('replica-a', [kept], LEASE_MS)).toEqual([kept]);

    clock.advance(LEASE_MS / 2);
    expect((await b.timers.claimDueLeased('replica-b', LEASE_MS)).map((t) => t.id)).toEqual([lapsed]);
    expect(await a.timers.renew('replica-a', [kept, lapsed], LEASE_MS)).toEqual([kept]);
    expect(await a.timers.complete(kept, 'replica-a')).toBe(true);
    expect(await a.timers.renew('replica-a', [kept], LEASE_MS)).toEqual([]);
  });

  it('renews a page being processed for the claim that holds it, not for a later claim of it', async () => {
    const { clock, a, b } = await replicas(kind);
    const kept = await a.inbox.insert({ source: 'generic', rawBody: '{"n":1}' });
    const lapsed = await a.inbox.insert({ source: 'generic', rawBody: '{"n":2}' });
    const held = await a.inbox.claim(10, LEASE_MS);
    expect(held.map((item) => [item.id, item.attempts])).toEqual([
      [kept.id, 1],
      [lapsed.id, 1],
    ]);

    clock.advance(LEASE_MS / 2);
    expect(await a.inbox.renew([{ id: kept.id, attempts: 1 }], LEASE_MS)).toEqual([kept.id]);
    expect((await a.inbox.get(kept.id))?.nextAttemptAt).toBe('2026-11-22T10:01:30.000Z');

    clock.advance(LEASE_MS / 2);
    const takenOver = await b.inbox.claim(10, LEASE_MS);
    expect(takenOver.map((item) => [item.id, item.attempts])).toEqual([[lapsed.id, 2]]);
    // The first claim of the taken-over page is stale: renewing it neither succeeds nor shortens the new lease.
    expect(
      await a.inbox.renew(
        [
          { id: kept.id, attempts: 1 },
          { id: lapsed.id, attempts: 1 },
        ],
        LEASE_MS,
      ),
    ).toEqual([kept.id]);
    expect(await b.inbox.renew([{ id: lapsed.id, attempts: 2 }], LEASE_MS)).toEqual([lapsed.id]);
    await a.inbox.markDone(kept.id);
    expect(await a.inbox.renew([{ id: kept.id, attempts: 1 }], LEASE_MS)).toEqual([]);
  });
});
