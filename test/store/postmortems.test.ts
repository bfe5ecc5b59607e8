import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.ts';
import { readDrills } from '../../src/store/inspect.ts';
import { tempDatabase } from './helpers.ts';

let store: Store;
let now = new Date('2026-11-22T10:00:00.000Z');
afterEach(() => store?.close());

let tmpPath = '';
function open() {
  const tmp = tempDatabase();
  tmpPath = tmp.path;
  store = createStore(tmp.path, () => now);
  now = new Date('2026-11-22T10:00:00.000Z');
  return store.incidents.create({ title: 'DB down', severity: 'P1', declaredBy: 'U1', source: 'slash' });
}

describe('post-mortems and follow-ups', () => {
  it('schedules a post-mortem once, closes it once', () => {
    const incident = open();
    const first = store.postmortems.schedule(incident.id, new Date('2026-11-24T10:00:00.000Z'));
    const again = store.postmortems.schedule(incident.id, new Date('2026-12-01T10:00:00.000Z'));
    expect(again.dueAt).toBe(first.dueAt);
    expect(store.postmortems.listOpen().map((p) => p.incidentId)).toEqual([incident.id]);
    expect(store.postmortems.markDone(incident.id, 'https://wiki/pm/1', 'U2')).toMatchObject({
      doneBy: 'U2',
      documentUrl: 'https://wiki/pm/1',
      doneAt: now.toISOString(),
    });
    expect(store.postmortems.markDone(incident.id, 'https://wiki/other', 'U3')).toBeNull();
    expect(store.postmortems.listOpen()).toEqual([]);
  });

  it('lists overdue follow-ups not reminded since the cut-off, and forgets done ones', () => {
    const incident = open();
    const late = store.followups.add({
      incidentId: incident.id,
      text: 'Add pool alert',
      ownerId: 'U5',
      dueDate: '2026-11-20',
      createdBy: 'U1',
    });
    store.followups.add({
      incidentId: incident.id,
      text: 'Load test',
      ownerId: 'U6',
      dueDate: '2026-12-20',
      createdBy: 'U1',
    });
    expect(store.followups.listOverdue('2026-11-22', now).map((f) => f.text)).toEqual(['Add pool alert']);
    store.followups.markReminded(late.id);
    expect(store.followups.listOverdue('2026-11-22', now)).toEqual([]);
    now = new Date('2026-11-23T10:00:00.000Z');
    expect(
      store.followups.listOverdue('2026-11-23', new Date('2026-11-23T09:00:00.000Z')).map((f) => f.id),
    ).toEqual([late.id]);
    store.followups.markDone(late.id);
    expect(store.followups.listOverdue('2026-11-24', now)).toEqual([]);
    expect(store.followups.listForIncident(incident.id).map((f) => f.dueDate)).toEqual([
      '2026-11-20',
      '2026-12-20',
    ]);
  });

  it("knows each runbook's latest finished drill, and leaves drills out of statistics", () => {
    open();
    const drill = store.incidents.create({
      title: 'Drill',
      severity: 'P2',
      declaredBy: 'U1',
      source: 'slash',
      drill: true,
      runbookId: 'RUN-004',
    });
    store.incidents.setStatus(drill.id, 'resolved');
    expect(readDrills(tmpPath)).toEqual(new Map([['RUN-004', now]]));
    expect(store.incidents.listDeclaredSince(new Date('2026-01-01')).map((i) => i.title)).toEqual([
      'DB down',
    ]);
  });
});
