import { describe, expect, it } from 'vitest';
import { manualClock, tempDatabase } from './helpers.ts';

describe('OpenBoardReads', () => {
  it('reads step progress and pending timers of open incidents only, in bulk', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const open = store.incidents.create({ title: 'a', severity: 'P1', declaredBy: 'U01', source: 'modal' });
    const bare = store.incidents.create({ title: 'b', severity: 'P2', declaredBy: 'U01', source: 'modal' });
    const closed = store.incidents.create({ title: 'c', severity: 'P2', declaredBy: 'U01', source: 'modal' });
    const step = (
      incidentId: number,
      position: number,
      section: 'step' | 'prerequisites',
      number: number | null,
    ) => store.checklist.insertStep({ incidentId, position, section, title: `Step ${position}`, number });
    step(open.id, 0, 'prerequisites', null);
    const [s1, s2, s3] = [
      step(open.id, 1, 'step', 1),
      step(open.id, 2, 'step', 2),
      step(open.id, 3, 'step', 3),
    ];
    step(closed.id, 0, 'step', 1);
    store.db.prepare("UPDATE incident_steps SET state = 'done' WHERE id = ?").run(s1.id);
    store.db.prepare("UPDATE incident_steps SET state = 'active' WHERE id IN (?, ?)").run(s2.id, s3.id);
    store.incidents.setStatus(closed.id, 'resolved');
    const late = store.timers.schedule({
      incidentId: open.id,
      kind: 'status_update',
      dueAt: new Date('2026-11-22T11:00:00.000Z'),
    });
    const soon = store.timers.schedule({
      incidentId: open.id,
      kind: 'escalate',
      dueAt: new Date('2026-11-22T10:05:00.000Z'),
    });
    store.timers.schedule({
      incidentId: closed.id,
      kind: 'escalate',
      dueAt: new Date('2026-11-22T10:05:00.000Z'),
    });
    store.timers.schedule({
      incidentId: null,
      kind: 'runbook_review',
      dueAt: new Date('2026-11-22T10:05:00.000Z'),
    });

    expect([...store.openBoard.progress()]).toEqual([
      [open.id, { incidentId: open.id, done: 1, total: 3, currentStep: '2. Step 2' }],
    ]);
    const timers = store.openBoard.timers();
    expect([...timers.keys()]).toEqual([open.id]);
    expect(timers.get(open.id)?.map((t) => t.id)).toEqual([soon.timer.id, late.timer.id]);
    expect(timers.get(bare.id)).toBeUndefined();
  });
});
