import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';
import { openStore } from './open.ts';

// What the tests of the former synchronous SQLite repositories checked and the other contract files did
// not: exact records, restarts, and edge cases. Run on SQLite and PostgreSQL alike.

const databases = storeDatabases();
const T0 = '2026-11-22T10:00:00.000Z';

describe.each(STORE_KINDS)('store port on %s: incidents, steps, timers, inbox in detail', (kind) => {
  const incidentOn = async (store: Awaited<ReturnType<typeof openStore>>['store'], title = 'x') =>
    (await store.incidents.create({ title, severity: 'P2', declaredBy: 'U01', source: 'modal' })).id;

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

  it('stores every field of a step, stamps each tick, reopens and skips, and explains a bad tick', async () => {
    const { clock, store } = await openStore(databases, kind);
    const incidentId = await incidentOn(store);
    const option = (key: string) => ({
      key,
      label: `Way ${key}`,
      text: '',
      commands: [],
      warnings: [],
      line: 3,
    });
    const steps = await store.checklist.insertSteps([
      { incidentId, position: 0, section: 'prerequisites', title: 'Access to the DB host' },
      {
        incidentId,
        position: 1,
        section: 'step',
        runbookId: 'RUN-001',
        number: 1,
        title: 'Check pool usage',
        body: 'Look at the pool gauge.',
        commands: [{ lang: 'bash', code: 'psql -c "select 1"' }],
        checks: ['Pool below 90%', 'No waiting clients', 'Error rate normal'],
        warnings: [{ level: 'danger', text: 'Data loss.', line: 2 }],
        examples: [{ lang: 'text', code: 'ok', label: 'output', line: 4 }],
        options: [option('a'), option('b')],
        jumps: [{ when: 'empty', to: 3, line: 5 }],
        phase: 'mon',
        phaseTitle: 'Restore mon quorum',
      },
      { incidentId, position: 2, section: 'step', runbookId: 'RUN-001', number: 2, title: 'Restart' },
    ]);
    expect(await store.checklist.listSteps(incidentId)).toEqual(steps);
    const [prereq, step, restart] = steps;
    if (!prereq || !step || !restart) throw new Error('three steps expected');
    expect(prereq).toMatchObject({ runbookId: null, number: null, body: '', commands: [], checks: [] });
    expect(step).toMatchObject({
      body: 'Look at the pool gauge.',
      state: 'pending',
      messageTs: null,
      updatedAt: T0,
      warnings: [{ level: 'danger', text: 'Data loss.', line: 2 }],
      examples: [{ lang: 'text', code: 'ok', label: 'output', line: 4 }],
      options: [option('a'), option('b')],
      jumps: [{ when: 'empty', to: 3, line: 5 }],
      phase: 'mon',
      phaseTitle: 'Restore mon quorum',
      chosenOption: null,
    });

    clock.set('2026-11-22T10:05:00.000Z');
    const ticked = await store.checklist.setChecks(step.id, { tick: [0], by: 'U02' });
    expect(ticked.step.checks[0]).toMatchObject({
      checked: true,
      checkedBy: 'U02',
      checkedAt: '2026-11-22T10:05:00.000Z',
    });
    expect(ticked.step.updatedAt).toBe('2026-11-22T10:05:00.000Z');
    clock.set('2026-11-22T10:06:00.000Z');
    // A click that changes nothing leaves the step's time alone.
    expect(
      (await store.checklist.setChecks(step.id, { tick: [0], clear: [1], by: 'U04' })).step.updatedAt,
    ).toBe('2026-11-22T10:05:00.000Z');
    await expect(store.checklist.setChecks(9999, { tick: [0], by: 'U02' })).rejects.toThrow(
      'Checklist step 9999 does not exist',
    );
    await expect(store.checklist.setChecks(step.id, { tick: [0], clear: [0], by: 'U02' })).rejects.toThrow(
      'Check positions 0 are both ticked and cleared',
    );

    await store.checklist.setStepState(prereq.id, 'done', 'U01');
    await store.checklist.setStepState(step.id, 'done', 'U02');
    const reopened = await store.checklist.setStepState(step.id, 'pending', 'U03');
    expect(reopened.step).toMatchObject({ state: 'pending', completedBy: null, completedAt: null });
    expect((await store.checklist.nextPending(incidentId))?.id).toBe(step.id);
    const skipped = await store.checklist.setStepState(
      step.id,
      'skipped',
      'U04',
      'not applicable: no replica',
    );
    expect(skipped.step).toMatchObject({ state: 'skipped', skippedBy: 'U04', completedBy: null });
    await store.checklist.setStepState(restart.id, 'active', 'U01');
    expect(await store.checklist.nextPending(incidentId)).toBeNull();
    const reopenedAgain = await store.checklist.setStepState(step.id, 'pending', 'U05');
    expect(reopenedAgain.step).toMatchObject({ skippedBy: null, skipReason: null });
  });

  it('keeps both ticks of two responders on different boxes of one step, from two replicas', async () => {
    const database = await databases.fresh(kind);
    const now = manualClock(T0).now;
    const a = await database.open(now);
    const b = kind === 'postgres' ? await database.open(now) : a;
    const incidentId = await incidentOn(a);
    const [step] = await a.checklist.insertSteps([
      { incidentId, position: 0, section: 'step', title: 'Check', checks: ['one', 'two', 'three'] },
    ]);
    if (!step) throw new Error('step expected');
    // Both act on the same stale view (nothing ticked); each sends only their own box.
    await Promise.all([
      a.checklist.setChecks(step.id, { tick: [0], by: 'UALICE' }),
      b.checklist.setChecks(step.id, { tick: [2], by: 'UBOB' }),
    ]);
    for (const store of [a, b]) {
      expect((await store.checklist.getStep(step.id))?.checks.map((c) => c.checkedBy)).toEqual([
        'UALICE',
        null,
        'UBOB',
      ]);
    }
  });
});
