import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';
import { openStore } from './open.ts';

// What the synchronous repositories' tests (alert links, timeline, idempotency, createStore) checked and
// the other contract files did not: exact records, restarts, and edge cases of last().

const databases = storeDatabases();
const T0 = '2026-11-22T10:00:00.000Z';

describe.each(STORE_KINDS)('store port on %s: exact records, restarts and edges', (kind) => {
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

  it('knows a redelivery per source across a restart, and keeps every field of a delivery', async () => {
    const database = await databases.fresh(kind);
    const now = manualClock(T0).now;
    const before = await database.open(now);
    const body = JSON.stringify({ status: 'firing', groupKey: '{}:{alertname="DBPool"}' });
    const first = await before.inbox.insert({
      source: 'alertmanager',
      deliveryId: 'd-1',
      dedupKey: 'DBPool',
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });
    // The same delivery id from another source is another delivery; without one, nothing is a redelivery.
    expect(
      (await before.inbox.insert({ source: 'generic', deliveryId: 'd-1', rawBody: body })).duplicate,
    ).toBe(false);
    expect((await before.inbox.insert({ source: 'generic', rawBody: body })).duplicate).toBe(false);
    expect((await before.inbox.insert({ source: 'generic', rawBody: body })).duplicate).toBe(false);
    await before.close();
    const after = await database.open(now);
    expect(await after.inbox.insert({ source: 'alertmanager', deliveryId: 'd-1', rawBody: 'retry' })).toEqual(
      {
        id: first.id,
        duplicate: true,
      },
    );
    expect(await after.inbox.get(first.id)).toEqual({
      id: first.id,
      source: 'alertmanager',
      deliveryId: 'd-1',
      dedupKey: 'DBPool',
      receivedAt: T0,
      rawBody: body,
      headers: { 'content-type': 'application/json' },
      status: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      processedAt: null,
      incidentId: null,
      bodyHash: createHash('sha256').update(body).digest('hex'),
    });
    expect(await after.inbox.list()).toHaveLength(4);
    expect((await after.inbox.list({ limit: 1 })).map((i) => i.id)).toHaveLength(1);
  });

  it("claims a dead worker's delivery again when its lease ends, and a retry not before it is due", async () => {
    const { clock, store } = await openStore(databases, kind);
    const b = (await store.inbox.insert({ source: 'alertmanager', deliveryId: 'b', rawBody: '{}' })).id;
    expect((await store.inbox.claim(10, 60_000)).map((i) => i.id)).toEqual([b]);
    await store.inbox.markFailed(b, 'Slack 503: retrying', new Date('2026-11-22T10:00:30.000Z'));
    clock.set('2026-11-22T10:00:29.000Z');
    expect(await store.inbox.claim()).toEqual([]);
    clock.set('2026-11-22T10:00:30.000Z');
    expect((await store.inbox.claim(10, 60_000)).map((i) => [i.id, i.attempts, i.status])).toEqual([
      [b, 2, 'pending'],
    ]);
    clock.set('2026-11-22T10:01:29.000Z');
    expect(await store.inbox.claim()).toEqual([]);
    clock.set('2026-11-22T10:01:31.000Z');
    expect((await store.inbox.claim()).map((i) => [i.id, i.attempts])).toEqual([[b, 3]]);
  });

  it('prunes a shared body only once every delivery holding it is processed and old', async () => {
    const { clock, store } = await openStore(databases, kind);
    clock.set('2026-11-01T00:00:00.000Z');
    const body = JSON.stringify({ big: 'x'.repeat(10_000) });
    const first = await store.inbox.insert({ source: 'alertmanager', rawBody: body });
    const second = await store.inbox.insert({ source: 'alertmanager', rawBody: body });
    const other = await store.inbox.insert({ source: 'alertmanager', rawBody: '{"other":1}' });
    await store.inbox.markDone(first.id);
    await store.inbox.markDone(other.id);
    clock.advance(8 * 86_400_000);
    const weekAgo = () => new Date(clock.now().getTime() - 7 * 86_400_000);
    expect(await store.inbox.prune(weekAgo(), new Date(0))).toEqual({ bodies: 1, rows: 0 });
    expect((await store.inbox.get(second.id))?.rawBody).toBe(body);
    expect((await store.inbox.get(other.id))?.rawBody).toBe('');
    await store.inbox.markDone(second.id);
    clock.advance(8 * 86_400_000);
    expect(await store.inbox.prune(weekAgo(), clock.now())).toEqual({ bodies: 1, rows: 3 });
  });

  it('plans a timer with every field, keeps a fired plan fired, claims up to the limit, oldest first', async () => {
    const { store } = await openStore(databases, kind);
    const id = await incidentOn(store);
    const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000);
    const first = await store.timers.schedule({
      incidentId: id,
      kind: 'escalation',
      dueAt: minutes(120),
      payload: { to: 'lead' },
    });
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
    for (const n of [30, 15, 45])
      await store.timers.schedule({ incidentId: id, kind: `k${n}`, dueAt: minutes(n) });
    expect((await store.timers.claimDue(minutes(60), 2)).map((t) => t.kind)).toEqual(['k15', 'k30']);
    // Fired timers stay fired: planning one again neither creates nor fires it.
    expect((await store.timers.schedule({ incidentId: id, kind: 'k15', dueAt: minutes(15) })).created).toBe(
      false,
    );
    expect((await store.timers.claimDue(minutes(60), 10)).map((t) => t.kind)).toEqual(['k45']);
    expect(await store.timers.claimDue(minutes(60), 10)).toEqual([]);
  });

  it('loses no timer and fires none twice across a restart; cancelling one incident leaves the others', async () => {
    const database = await databases.fresh(kind);
    const minutes = (n: number) => new Date(Date.parse(T0) + n * 60_000);
    const before = await database.open(manualClock(T0).now);
    const id = await incidentOn(before);
    const other = await incidentOn(before, 'y');
    for (const [kind, n] of [
      ['a', 5],
      ['b', 20],
      ['c', 45],
    ] as const) {
      await before.timers.schedule({ incidentId: id, kind, dueAt: minutes(n) });
    }
    await before.timers.schedule({ incidentId: other, kind: 'escalation', dueAt: minutes(30) });
    expect((await before.timers.claimDue(minutes(10))).map((t) => t.kind)).toEqual(['a']);
    await before.close();
    const after = await database.open(manualClock(T0).now);
    expect(await after.timers.claimDue(minutes(10))).toEqual([]);
    expect(await after.timers.cancel(id)).toBe(2);
    expect((await after.timers.claimDue(minutes(600))).map((t) => t.incidentId)).toEqual([other]);
  });

  it('creates an incident with every default, and continues the day sequence after a restart', async () => {
    const database = await databases.fresh(kind);
    const clock = manualClock(T0);
    const before = await database.open(clock.now);
    const page = { title: 'DB pool exhausted', severity: 'P1', declaredBy: 'U01', source: 'slash' } as const;
    const created = await before.incidents.create(page);
    expect(created).toEqual({
      id: created.id,
      title: 'DB pool exhausted',
      description: '',
      severity: 'P1',
      status: 'declared',
      private: false,
      drill: false,
      runbookId: null,
      commanderId: null,
      declaredBy: 'U01',
      source: 'slash',
      channelId: null,
      channelName: null,
      inFallback: false,
      headerTs: null,
      declaredAt: T0,
      impactStartedAt: null,
      detectedAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      closedAt: null,
      updatedAt: T0,
      daySeq: 1,
    });
    clock.set('2026-11-22T23:59:59.999Z');
    expect((await before.incidents.create(page)).daySeq).toBe(2);
    await before.close();
    const after = await database.open(clock.now);
    expect((await after.incidents.create(page)).daySeq).toBe(3);
    // The CHECK constraint guards callers the type cannot (a severity the policy does not know).
    await expect(after.incidents.create({ ...page, severity: 'P9' as 'P1' })).rejects.toThrow();
  });

  it('finds an incident by its own channel only (never a shared fallback), and clears a field with null', async () => {
    const { clock, store } = await openStore(databases, kind);
    const page = { title: 'x', severity: 'P1', declaredBy: 'U01', source: 'slash' } as const;
    const own = await store.incidents.create({ ...page, channelId: 'C100', commanderId: 'U02' });
    const fallbackA = await store.incidents.create(page);
    const fallbackB = await store.incidents.create(page);
    await store.incidents.update(fallbackA.id, { channelId: 'CANNOUNCE', inFallback: true });
    // Two fallback incidents may share the announce channel.
    expect(
      (await store.incidents.update(fallbackB.id, { channelId: 'CANNOUNCE', inFallback: true }))?.inFallback,
    ).toBe(true);
    expect(await store.incidents.getByChannel('CANNOUNCE')).toBeNull();
    await expect(store.incidents.create({ ...page, channelId: 'C100' })).rejects.toThrow();

    clock.advance(60_000);
    expect(
      await store.incidents.update(own.id, { severity: 'P0', commanderId: null, headerTs: '1700.01' }),
    ).toEqual({
      ...own,
      severity: 'P0',
      commanderId: null,
      headerTs: '1700.01',
      updatedAt: '2026-11-22T10:01:00.000Z',
    });
    await store.incidents.setStatus(own.id, 'resolved');
    clock.advance(60_000);
    expect(await store.incidents.setStatus(own.id, 'closed')).toMatchObject({
      resolvedAt: '2026-11-22T10:01:00.000Z',
      closedAt: '2026-11-22T10:02:00.000Z',
    });
  });
});
