import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';
import { openStore } from './open.ts';

// What the tests of the former synchronous SQLite repositories checked and the other contract files did
// not: exact records, restarts, and edge cases. Run on SQLite and PostgreSQL alike.

const databases = storeDatabases();
const T0 = '2026-11-22T10:00:00.000Z';

describe.each(STORE_KINDS)('store port on %s: links, timeline, records in detail', (kind) => {
  const incidentOn = async (store: Awaited<ReturnType<typeof openStore>>['store'], title = 'x') =>
    (await store.incidents.create({ title, severity: 'P2', declaredBy: 'U01', source: 'modal' })).id;

  it('links a key with its full record, closes it once, and keeps the closed link listed', async () => {
    const { clock, store } = await openStore(databases, kind);
    const first = await incidentOn(store);
    const second = await incidentOn(store);
    const key = { source: 'alertmanager', dedupKey: '{}:{alertname="DBPool"}' } as const;
    const linked = await store.alertLinks.link({ ...key, incidentId: first });
    expect(linked).toEqual({
      created: true,
      link: { id: linked.link.id, ...key, incidentId: first, openedAt: T0, closedAt: null },
    });
    expect(await store.alertLinks.link({ ...key, incidentId: second })).toEqual({
      created: false,
      link: linked.link,
    });
    clock.advance(3_600_000);
    expect(await store.alertLinks.closeForIncident(first)).toBe(1);
    expect(await store.alertLinks.closeForIncident(first)).toBe(0);
    expect(await store.alertLinks.listForIncident(first)).toEqual([
      { ...linked.link, closedAt: '2026-11-22T11:00:00.000Z' },
    ]);
  });

  it('appends a timeline entry with every field, and lists nothing for another incident', async () => {
    const { store } = await openStore(databases, kind);
    const id = await incidentOn(store);
    const declared = await store.timeline.append({
      incidentId: id,
      actor: 'U01',
      kind: 'declared',
      text: 'P2',
    });
    expect(declared).toEqual({
      id: declared.id,
      incidentId: id,
      at: T0,
      actor: 'U01',
      kind: 'declared',
      text: 'P2',
      data: null,
    });
    expect(await store.timeline.list(id + 1)).toEqual([]);
  });

  it("finds as last() the entry list() puts last of a kind: not a backdated one, not another incident's", async () => {
    const { store } = await openStore(databases, kind);
    const id = await incidentOn(store);
    const other = await incidentOn(store, 'y');
    const entry = (text: string, at?: Date) =>
      store.timeline.append({
        incidentId: id,
        actor: 'bot',
        kind: 'escalation',
        text,
        ...(at ? { at } : {}),
      });
    await entry('first');
    const second = await entry('second');
    await entry('backdated', new Date('2026-11-22T09:00:00.000Z'));
    await store.timeline.append({ incidentId: id, actor: 'U02', kind: 'note', text: 'after' });
    await store.timeline.append({ incidentId: other, actor: 'bot', kind: 'escalation', text: 'other' });

    expect(await store.timeline.last(id, 'escalation')).toEqual(second);
    expect((await store.timeline.list(id)).filter((e) => e.kind === 'escalation').at(-1)).toEqual(second);
    expect((await store.timeline.last(other, 'escalation'))?.text).toBe('other');
  });

  it('remembers a request key across a restart, and closes twice without error', async () => {
    const database = await databases.fresh(kind);
    const now = manualClock(T0).now;
    const before = await database.open(now);
    expect(await before.idempotency.firstTime('slash:T1:trigger-1')).toBe(true);
    await before.close();
    await before.close();
    const after = await database.open(now);
    expect(await after.idempotency.firstTime('slash:T1:trigger-1')).toBe(false);
    expect(await after.idempotency.firstTime('slash:T1:trigger-2')).toBe(true);
  });

  it('reads the open board in bulk: open incidents only, prerequisites and global timers left out', async () => {
    const { store } = await openStore(databases, kind);
    const open = await incidentOn(store, 'a');
    const bare = await incidentOn(store, 'b');
    const closed = await incidentOn(store, 'c');
    const step = (incidentId: number, position: number, number: number | null) => ({
      incidentId,
      position,
      section: number === null ? ('prerequisites' as const) : ('step' as const),
      title: `Step ${position}`,
      number,
    });
    const [, s1, s2, s3] = await store.checklist.insertSteps([
      step(open, 0, null),
      step(open, 1, 1),
      step(open, 2, 2),
      step(open, 3, 3),
      step(closed, 0, 1),
    ]);
    if (!s1 || !s2 || !s3) throw new Error('steps expected');
    await store.checklist.setStepState(s1.id, 'done', 'U1');
    await store.checklist.setStepState(s2.id, 'active', 'U1');
    await store.checklist.setStepState(s3.id, 'active', 'U1');
    await store.incidents.setStatus(closed, 'resolved');
    const plan = (incidentId: number | null, kind: string, at: string) =>
      store.timers.schedule({ incidentId, kind, dueAt: new Date(at) });
    const late = await plan(open, 'status_update', '2026-11-22T11:00:00.000Z');
    const soon = await plan(open, 'escalate', '2026-11-22T10:05:00.000Z');
    await plan(closed, 'escalate', '2026-11-22T10:05:00.000Z');
    await plan(null, 'runbook_review', '2026-11-22T10:05:00.000Z');

    expect([...(await store.openBoard.progress())]).toEqual([
      [open, { incidentId: open, done: 1, total: 3, currentStep: '2. Step 2' }],
    ]);
    const timers = await store.openBoard.timers();
    expect([...timers.keys()]).toEqual([open]);
    expect(timers.get(open)?.map((t) => t.id)).toEqual([soon.timer.id, late.timer.id]);
    expect(timers.get(bare)).toBeUndefined();
  });

  it('lists a follow-up reminded before the cut-off as overdue again, and a done one never', async () => {
    const { store } = await openStore(databases, kind);
    const incidentId = await incidentOn(store);
    const late = await store.followups.add({
      incidentId,
      text: 'Add pool alert',
      ownerId: 'U5',
      dueDate: '2026-11-20',
      createdBy: 'U1',
    });
    await store.followups.markReminded(late.id);
    expect(await store.followups.listOverdue('2026-11-22', new Date(T0))).toEqual([]);
    const nextDay = new Date('2026-11-23T09:00:00.000Z');
    expect((await store.followups.listOverdue('2026-11-23', nextDay)).map((f) => f.id)).toEqual([late.id]);
    await store.followups.markDone(late.id);
    expect(await store.followups.listOverdue('2026-11-24', nextDay)).toEqual([]);
  });

  it('leaves drills out of the incidents declared since a date', async () => {
    const { store } = await openStore(databases, kind);
    await incidentOn(store, 'DB down');
    await store.incidents.create({
      title: 'Drill',
      severity: 'P2',
      declaredBy: 'U1',
      source: 'slash',
      drill: true,
      runbookId: 'RUN-004',
    });
    expect((await store.incidents.listDeclaredSince(new Date('2026-01-01'))).map((i) => i.title)).toEqual([
      'DB down',
    ]);
  });
});
