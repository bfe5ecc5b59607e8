import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.ts';
import { manualClock, tempDatabase } from './helpers.ts';

const T0 = '2026-11-22T10:00:00.000Z';
const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000);

function newIncident(store: Store): number {
  return store.incidents.create({ title: 'x', severity: 'P1', declaredBy: 'U01', source: 'slash' }).id;
}

describe('TimerRepository', () => {
  it('schedules idempotently: the same plan twice is one timer', () => {
    const store = tempDatabase().open(manualClock(T0).now);
    const id = newIncident(store);
    const first = store.timers.schedule({
      incidentId: id,
      kind: 'escalation',
      dueAt: minutes(120),
      payload: { to: 'lead' },
    });
    const again = store.timers.schedule({
      incidentId: id,
      kind: 'escalation',
      dueAt: minutes(120),
      payload: { to: 'x' },
    });
    expect(first.created).toBe(true);
    expect(again).toEqual({ timer: first.timer, created: false });
    expect(first.timer).toEqual({
      id: first.timer.id,
      incidentId: id,
      kind: 'escalation',
      dueAt: '2026-11-22T12:00:00.000Z',
      firedAt: null,
      cancelledAt: null,
      claimedAt: null,
      payload: { to: 'lead' },
      createdAt: T0,
    });
    // Timers of no incident are deduplicated too (NULLs never collide in a plain unique index).
    const global = store.timers.schedule({ incidentId: null, kind: 'review', dueAt: minutes(5) });
    expect(store.timers.schedule({ incidentId: null, kind: 'review', dueAt: minutes(5) })).toEqual({
      timer: global.timer,
      created: false,
    });
    expect(store.timers.listOpen(id)).toHaveLength(1);
  });

  it('hands out due timers oldest first, each exactly once even when claimed twice', () => {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const id = newIncident(store);
    store.timers.schedule({ incidentId: id, kind: 'status_update', dueAt: minutes(30) });
    store.timers.schedule({ incidentId: id, kind: 'status_update', dueAt: minutes(15) });
    store.timers.schedule({ incidentId: id, kind: 'escalation', dueAt: minutes(120) });

    expect(store.timers.claimDue(minutes(14))).toEqual([]);
    const due = store.timers.claimDue(minutes(30));
    expect(due.map((t) => t.dueAt)).toEqual(['2026-11-22T10:15:00.000Z', '2026-11-22T10:30:00.000Z']);
    expect(due.every((t) => t.firedAt === minutes(30).toISOString() && t.claimedAt === t.firedAt)).toBe(true);
    expect(store.timers.claimDue(minutes(30))).toEqual([]);
    expect(store.timers.claimDue(minutes(119))).toEqual([]);
    expect(store.timers.listOpen(id).map((t) => t.kind)).toEqual(['escalation']);
    // Fired timers stay fired: re-planning one does not make it fire again.
    expect(store.timers.schedule({ incidentId: id, kind: 'status_update', dueAt: minutes(15) }).created).toBe(
      false,
    );
    expect(store.timers.claimDue(minutes(60))).toEqual([]);
  });

  it('respects the limit and leaves the rest for the next tick', () => {
    const store = tempDatabase().open(manualClock(T0).now);
    const id = newIncident(store);
    for (let n = 1; n <= 5; n++) store.timers.schedule({ incidentId: id, kind: 'k', dueAt: minutes(n) });
    expect(store.timers.claimDue(minutes(10), 2).map((t) => t.dueAt)).toEqual([
      minutes(1).toISOString(),
      minutes(2).toISOString(),
    ]);
    expect(store.timers.claimDue(minutes(10), 10)).toHaveLength(3);
  });

  it('loses none and fires none twice across a close and reopen', () => {
    const tmp = tempDatabase();
    const before = tmp.open(manualClock(T0).now);
    const id = newIncident(before);
    store3(before, id);
    expect(before.timers.claimDue(minutes(10)).map((t) => t.kind)).toEqual(['a']);
    before.close();

    const after = tmp.open(manualClock(T0).now);
    expect(after.timers.claimDue(minutes(10))).toEqual([]);
    expect(after.timers.claimDue(minutes(60)).map((t) => t.kind)).toEqual(['b', 'c']);
    after.close();

    const again = tmp.open(manualClock(T0).now);
    expect(again.timers.claimDue(minutes(600))).toEqual([]);
  });

  it('splits due timers between two connections without overlap', () => {
    const tmp = tempDatabase();
    const a = tmp.open(manualClock(T0).now);
    const b = tmp.open(manualClock(T0).now);
    const id = newIncident(a);
    for (let n = 1; n <= 20; n++) a.timers.schedule({ incidentId: id, kind: 'k', dueAt: minutes(n) });
    const claimed = [];
    for (let round = 0; round < 6; round++) {
      claimed.push(...a.timers.claimDue(minutes(30), 2), ...b.timers.claimDue(minutes(30), 2));
    }
    const ids = claimed.map((t) => t.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('cancels open timers of an incident, all or some kinds, and allows planning them again', () => {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const id = newIncident(store);
    const other = newIncident(store);
    store.timers.schedule({ incidentId: id, kind: 'escalation', dueAt: minutes(30) });
    store.timers.schedule({ incidentId: id, kind: 'status_update', dueAt: minutes(15) });
    store.timers.schedule({ incidentId: id, kind: 'postmortem_reminder', dueAt: minutes(60) });
    store.timers.schedule({ incidentId: other, kind: 'escalation', dueAt: minutes(30) });

    expect(store.timers.cancel(id, ['escalation', 'status_update'])).toBe(2);
    expect(store.timers.listOpen(id).map((t) => t.kind)).toEqual(['postmortem_reminder']);
    expect(store.timers.cancel(id, [])).toBe(0);
    expect(store.timers.cancel(id)).toBe(1);
    expect(store.timers.listOpen(id)).toEqual([]);
    expect(store.timers.listOpen(other)).toHaveLength(1);
    expect(store.timers.claimDue(minutes(600)).map((t) => t.incidentId)).toEqual([other]);

    // Reopening the incident re-plans the same escalation: a cancelled plan does not block it.
    const replanned = store.timers.schedule({ incidentId: id, kind: 'escalation', dueAt: minutes(30) });
    expect(replanned.created).toBe(true);
    expect(store.timers.claimDue(minutes(600)).map((t) => t.id)).toEqual([replanned.timer.id]);
  });
});

function store3(store: Store, id: number) {
  store.timers.schedule({ incidentId: id, kind: 'a', dueAt: minutes(5) });
  store.timers.schedule({ incidentId: id, kind: 'b', dueAt: minutes(20) });
  store.timers.schedule({ incidentId: id, kind: 'c', dueAt: minutes(45) });
}

describe('TimerRepository leases (the synchronous SQLite store behind the port)', () => {
  function leased() {
    const clock = manualClock(T0);
    const store = tempDatabase().open(clock.now);
    const id = newIncident(store);
    const { timer } = store.timers.schedule({ incidentId: id, kind: 'escalate', dueAt: minutes(5) });
    clock.set(minutes(6).toISOString());
    return { store, clock, timer };
  }

  it('leases a due timer without firing it; only the holder completes it, once', () => {
    const { store, timer } = leased();
    expect(store.timers.claimDueLeased('replica-a', 60_000).map((t) => t.id)).toEqual([timer.id]);
    // Held under a live lease: neither a second lease nor the plain claim hands it out again.
    expect(store.timers.claimDueLeased('replica-b', 60_000)).toEqual([]);
    expect(store.timers.claimDue()).toEqual([]);
    expect(store.timers.complete(timer.id, 'replica-b')).toBe(false);
    expect(store.timers.complete(timer.id, 'replica-a')).toBe(true);
    expect(store.timers.complete(timer.id, 'replica-a')).toBe(false);
    expect(store.timers.listOpen(timer.incidentId ?? 0)).toEqual([]);
  });

  it('hands a dead holder’s timer to another once its lease expires, or at once when released', () => {
    const { store, clock, timer } = leased();
    store.timers.claimDueLeased('dead', 60_000);
    clock.advance(59_000);
    expect(store.timers.claimDueLeased('alive', 60_000)).toEqual([]);
    clock.advance(1_000);
    expect(store.timers.claimDueLeased('alive', 60_000).map((t) => t.id)).toEqual([timer.id]);
    // The dead holder's late completion changes nothing.
    expect(store.timers.complete(timer.id, 'dead')).toBe(false);
    expect(store.timers.releaseOthers('next')).toBe(1);
    expect(store.timers.claimDueLeased('next', 60_000).map((t) => t.id)).toEqual([timer.id]);
  });
});
