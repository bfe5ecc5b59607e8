import { describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../../src/store/sql/index.ts';
import { STORE_KINDS, type StoreKind, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';

const databases = storeDatabases();
const LEASE_MS = 60_000;

/** Two replicas on one database (on SQLite, two callers of one store: one process per file). */
async function replicas(kind: StoreKind, now: () => Date): Promise<[AsyncStore, AsyncStore]> {
  const database = await databases.fresh(kind);
  const first = await database.open(now);
  return [first, kind === 'postgres' ? await database.open(now) : first];
}

async function plan(store: AsyncStore, dueAt: string, kind = 'escalation') {
  const incident = await store.incidents.create({
    title: 'T',
    severity: 'P1',
    declaredBy: 'U1',
    source: 'slash',
  });
  return (await store.timers.schedule({ incidentId: incident.id, kind, dueAt: new Date(dueAt) })).timer;
}

describe.each(STORE_KINDS)('timer leases on %s', (kind) => {
  it('leases a due timer without firing it, and only the holder completes it', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const due = await plan(a, '2026-11-22T09:59:00.000Z');
    const later = await plan(a, '2026-11-22T10:30:00.000Z');

    const leased = await a.timers.claimDueLeased('replica-a', LEASE_MS);
    expect(leased.map((t) => [t.id, t.claimedAt, t.firedAt])).toEqual([
      [due.id, '2026-11-22T10:00:00.000Z', null],
    ]);
    // Leased, not fired: still open, and nobody else may take it while the lease lives.
    expect((await a.timers.listOpen(due.incidentId ?? 0)).map((t) => t.id)).toEqual([due.id]);
    expect(await b.timers.claimDueLeased('replica-b', LEASE_MS)).toEqual([]);
    expect(await b.timers.claimDue()).toEqual([]);

    expect(await b.timers.complete(due.id, 'replica-b')).toBe(false);
    expect(await a.timers.complete(due.id, 'replica-a')).toBe(true);
    expect(await a.timers.complete(due.id, 'replica-a')).toBe(false);
    expect((await a.timers.get(due.id))?.firedAt).toBe('2026-11-22T10:00:00.000Z');
    expect((await a.timers.get(later.id))?.claimedAt).toBeNull();
  });

  it('hands the timer of a replica that died holding it to another once the lease expires, once', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const due = await plan(a, '2026-11-22T09:59:00.000Z');
    expect((await a.timers.claimDueLeased('replica-a', LEASE_MS)).map((t) => t.id)).toEqual([due.id]);

    // replica-a is killed here. One millisecond before the lease ends the timer is still its.
    clock.advance(LEASE_MS - 1);
    expect(await b.timers.claimDueLeased('replica-b', LEASE_MS)).toEqual([]);
    clock.advance(1);
    const takenOver = await b.timers.claimDueLeased('replica-b', LEASE_MS);
    expect(takenOver.map((t) => [t.id, t.claimedAt])).toEqual([[due.id, '2026-11-22T10:01:00.000Z']]);
    expect(await a.timers.claimDueLeased('replica-a', LEASE_MS)).toEqual([]);

    // The dead replica's late completion (a paused VM waking up) cannot fire it a second time.
    expect(await a.timers.complete(due.id, 'replica-a')).toBe(false);
    expect(await b.timers.complete(due.id, 'replica-b')).toBe(true);
    clock.advance(10 * LEASE_MS);
    expect(await a.timers.claimDueLeased('replica-a', LEASE_MS)).toEqual([]);
    expect(await a.timers.claimDue()).toEqual([]);
  });

  it('leaves cancelled timers alone and claims many due timers exactly once between two replicas', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const cancelled = await plan(a, '2026-11-22T09:00:00.000Z');
    await a.timers.cancel(cancelled.incidentId ?? 0);
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push((await plan(a, `2026-11-22T09:${String(10 + i)}:00.000Z`)).id);

    const claims = await Promise.all(
      [a, b, a, b].map((store, i) => store.timers.claimDueLeased(`replica-${i}`, LEASE_MS, undefined, 4)),
    );
    const rest = await Promise.all([
      a.timers.claimDueLeased('replica-0', LEASE_MS),
      b.timers.claimDueLeased('replica-1', LEASE_MS),
    ]);
    const got = [...claims, ...rest].flat().map((t) => t.id);
    expect(got.length).toBe(new Set(got).size);
    expect([...got].sort((x, y) => x - y)).toEqual(ids);
    expect((await a.timers.get(cancelled.id))?.claimedAt).toBeNull();
  });

  it("lets a sole writer restarted after a crash free its predecessor's leases at once", async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [store] = await replicas(kind, clock.now);
    const mine = await plan(store, '2026-11-22T09:58:00.000Z');
    const theirs = await plan(store, '2026-11-22T09:59:00.000Z');
    const done = await plan(store, '2026-11-22T09:57:00.000Z');
    await store.timers.claimDueLeased('old', LEASE_MS, undefined, 1);
    expect(await store.timers.complete(done.id, 'old')).toBe(true);
    // A limit of one hands out one (PostgreSQL once ran the claim's subquery twice and handed out two).
    expect((await store.timers.claimDueLeased('new', LEASE_MS, undefined, 1)).map((t) => t.id)).toEqual([
      mine.id,
    ]);
    await store.timers.claimDueLeased('old', LEASE_MS);
    expect((await store.timers.get(theirs.id))?.claimedAt).not.toBeNull();

    expect(await store.timers.releaseOthers('new')).toBe(1);
    expect((await store.timers.claimDueLeased('new', LEASE_MS)).map((t) => t.id)).toEqual([theirs.id]);
    expect((await store.timers.get(mine.id))?.firedAt).toBeNull();
    expect((await store.timers.get(done.id))?.firedAt).toBe('2026-11-22T10:00:00.000Z');
  });

  it("writes a firing's timeline entry once per key, also when two replicas append it at once", async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const due = await plan(a, '2026-11-22T09:59:00.000Z');
    const incidentId = due.incidentId ?? 0;
    const entry = (text: string) => ({ incidentId, actor: 'bot', kind: 'escalation' as const, text });
    const key = `timer:${due.id}:escalation`;

    const first = await a.timeline.append({ ...entry('Escalated to lead'), onceKey: key });
    clock.advance(LEASE_MS);
    // The taking-over replica's append answers the first entry, unchanged.
    expect(await b.timeline.append({ ...entry('Escalated to lead (late)'), onceKey: key })).toEqual(first);
    const raced = await Promise.all([
      a.timeline.append({ ...entry('raced'), onceKey: 'timer:99:escalation' }),
      b.timeline.append({ ...entry('raced'), onceKey: 'timer:99:escalation' }),
    ]);
    expect(raced[0]).toEqual(raced[1]);
    // Entries without a key are never merged.
    await a.timeline.append(entry('by hand'));
    await a.timeline.append(entry('by hand'));
    expect((await b.timeline.list(incidentId)).map((e) => [e.text, e.at])).toEqual([
      ['Escalated to lead', '2026-11-22T10:00:00.000Z'],
      ['raced', '2026-11-22T10:01:00.000Z'],
      ['by hand', '2026-11-22T10:01:00.000Z'],
      ['by hand', '2026-11-22T10:01:00.000Z'],
    ]);
  });

  it('plans one sole timer of a kind when two replicas plan it at once (the daily prune), none while one is open', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const sole = (store: AsyncStore, dueAt: string) =>
      store.timers.scheduleSole({ incidentId: null, kind: 'prune', dueAt: new Date(dueAt) });
    // Different due times (each replica plans from its own start), so no unique index can decide.
    const planned = await Promise.all([
      sole(a, '2026-11-23T10:00:00.000Z'),
      sole(b, '2026-11-23T10:00:01.000Z'),
      sole(a, '2026-11-23T10:00:02.000Z'),
      sole(b, '2026-11-23T10:00:03.000Z'),
    ]);
    expect(planned.filter((t) => t !== null)).toHaveLength(1);
    expect(await a.timers.listOpenGlobal('prune')).toHaveLength(1);
    expect(await sole(b, '2026-11-24T10:00:00.000Z')).toBeNull();
    // Another kind is planned beside it.
    expect(
      await b.timers.scheduleSole({
        incidentId: null,
        kind: 'runbook_review',
        dueAt: new Date('2026-11-24T09:00:00.000Z'),
      }),
    ).toMatchObject({ kind: 'runbook_review', incidentId: null, dueAt: '2026-11-24T09:00:00.000Z' });
  });
});
