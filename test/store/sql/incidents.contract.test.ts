import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { openStore } from './open.ts';

const databases = storeDatabases();

describe.each(STORE_KINDS)('store port on %s: incidents, checklist, timeline, transactions', (kind) => {
  const open = () => openStore(databases, kind);

  it('creates incidents numbered per UTC day and reads them back by id and channel', async () => {
    const { clock, store } = await open();
    const first = await store.incidents.create({
      title: 'DB down',
      severity: 'P1',
      declaredBy: 'U1',
      source: 'slash',
      channelId: 'C1',
      private: true,
    });
    const second = await store.incidents.create({
      title: 'API slow',
      severity: 'P2',
      declaredBy: 'U2',
      source: 'modal',
    });
    clock.set('2026-11-23T00:00:01.000Z');
    const nextDay = await store.incidents.create({
      title: 'Disk',
      severity: 'P3',
      declaredBy: 'U3',
      source: 'generic',
    });
    expect([first.daySeq, second.daySeq, nextDay.daySeq]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({
      title: 'DB down',
      description: '',
      severity: 'P1',
      status: 'declared',
      private: true,
      drill: false,
      inFallback: false,
      channelId: 'C1',
      declaredAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z',
      acknowledgedAt: null,
    });
    expect(await store.incidents.get(first.id)).toEqual(first);
    expect(await store.incidents.get(9999)).toBeNull();
    expect((await store.incidents.getByChannel('C1'))?.id).toBe(first.id);
    expect(await store.incidents.getByChannel('C404')).toBeNull();
  });

  it('reads the milestone times of incidents declared since a date, drills excluded, after an id, by id', async () => {
    const { clock, store } = await open();
    const base = { severity: 'P1', declaredBy: 'U1', source: 'slash' } as const;
    await store.incidents.create({ ...base, title: 'before the window' });
    clock.advance(3_600_000);
    const a = await store.incidents.create({ ...base, title: 'a' });
    await store.incidents.create({ ...base, title: 'drill', drill: true });
    const b = await store.incidents.create({ ...base, title: 'b', severity: 'P2' });
    await store.incidents.acknowledge(b.id);
    await store.incidents.setStatus(b.id, 'resolved');
    const c = await store.incidents.create({ ...base, title: 'c' });
    await store.incidents.setTimes(c.id, { impactStartedAt: '2026-11-22T10:30:00.000Z' });

    const since = new Date('2026-11-22T10:30:00Z');
    const ids = async (after: number, limit: number) =>
      (await store.incidents.timesSince(since, after, limit)).map((i) => i.id);
    expect(await ids(0, 10)).toEqual([a.id, b.id, c.id]);
    expect(await ids(a.id, 1)).toEqual([b.id]);
    expect(await ids(c.id, 10)).toEqual([]);
    const [, times, last] = await store.incidents.timesSince(since, 0, 10);
    expect(times).toEqual({
      id: b.id,
      severity: 'P2',
      declaredAt: '2026-11-22T11:00:00.000Z',
      impactStartedAt: null,
      detectedAt: null,
      acknowledgedAt: '2026-11-22T11:00:00.000Z',
      mitigatedAt: null,
      resolvedAt: '2026-11-22T11:00:00.000Z',
    });
    expect(last?.impactStartedAt).toBe('2026-11-22T10:30:00.000Z');
  });

  it('lists the open hand-declared incidents without a channel, after an id, by id, at most `limit`', async () => {
    const { store } = await open();
    const base = { severity: 'P1', declaredBy: 'U1' } as const;
    const a = await store.incidents.create({ ...base, title: 'a', source: 'slash' });
    await store.incidents.create({ ...base, title: 'has channel', source: 'slash', channelId: 'C1' });
    await store.incidents.create({ ...base, title: 'paged', source: 'alertmanager' });
    const b = await store.incidents.create({ ...base, title: 'b', source: 'modal' });
    const resolved = await store.incidents.create({ ...base, title: 'resolved', source: 'slash' });
    await store.incidents.setStatus(resolved.id, 'resolved');
    const c = await store.incidents.create({ ...base, title: 'c', source: 'slash' });

    const ids = async (after: number, limit: number) =>
      (await store.incidents.listUnopened(after, limit)).map((i) => i.id);
    expect(await ids(0, 10)).toEqual([a.id, b.id, c.id]);
    expect(await ids(0, 2)).toEqual([a.id, b.id]);
    expect(await ids(b.id, 2)).toEqual([c.id]);
    expect(await ids(c.id, 2)).toEqual([]);
    expect((await store.incidents.listUnopened(0, 1))[0]).toEqual(a);
  });

  it('updates, moves status once per transition, acknowledges once, and lists and counts the open ones', async () => {
    const { clock, store } = await open();
    const a = await store.incidents.create({ title: 'A', severity: 'P1', declaredBy: 'U1', source: 'slash' });
    const b = await store.incidents.create({ title: 'B', severity: 'P2', declaredBy: 'U1', source: 'slash' });
    await store.incidents.create({
      title: 'Drill',
      severity: 'P3',
      declaredBy: 'U1',
      source: 'slash',
      drill: true,
    });
    clock.advance(60_000);
    const updated = await store.incidents.update(a.id, {
      channelId: 'C9',
      inFallback: true,
      runbookId: null,
    });
    expect(updated).toMatchObject({
      channelId: 'C9',
      inFallback: true,
      title: 'A',
      updatedAt: '2026-11-22T10:01:00.000Z',
    });
    expect(await store.incidents.update(9999, { title: 'x' })).toBeNull();

    expect(await store.incidents.acknowledge(a.id)).toBe(true);
    expect(await store.incidents.acknowledge(a.id)).toBe(false);
    const resolved = await store.incidents.setStatus(a.id, 'resolved', 'declared');
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedAt: '2026-11-22T10:01:00.000Z',
      closedAt: null,
    });
    expect(await store.incidents.setStatus(a.id, 'resolved', 'declared')).toBeNull();
    const reopened = await store.incidents.setStatus(a.id, 'investigating');
    expect(reopened).toMatchObject({ status: 'investigating', resolvedAt: null, closedAt: null });
    await store.incidents.setStatus(b.id, 'closed');
    expect((await store.incidents.get(b.id))?.closedAt).toBe('2026-11-22T10:01:00.000Z');

    expect((await store.incidents.listOpen()).map((i) => i.title)).toEqual(['A', 'Drill']);
    expect((await store.incidents.listOpen(1)).map((i) => i.title)).toEqual(['A']);
    expect(await store.incidents.countOpen()).toBe(2);
    expect(
      (await store.incidents.listDeclaredSince(new Date('2026-11-22T09:00:00Z'))).map((i) => i.title),
    ).toEqual(['A', 'B']);
    expect(await store.incidentCounts()).toEqual(
      expect.arrayContaining([
        { severity: 'P1', status: 'investigating', count: 1 },
        { severity: 'P2', status: 'closed', count: 1 },
        { severity: 'P3', status: 'declared', count: 1 },
      ]),
    );
  });

  it('keeps a checklist with its checks, ticks each box once and records state, choice and message', async () => {
    const { clock, store } = await open();
    const incident = await store.incidents.create({
      title: 'A',
      severity: 'P1',
      declaredBy: 'U1',
      source: 'slash',
    });
    const [pre, step] = await store.checklist.insertSteps([
      { incidentId: incident.id, position: 0, section: 'prerequisites', title: 'Access' },
      {
        incidentId: incident.id,
        position: 1,
        section: 'step',
        runbookId: 'RUN-001',
        number: 1,
        title: 'Drain',
        commands: [{ lang: 'sh', code: 'kubectl drain' }],
        checks: ['pool < 90%', 'no errors'],
      },
    ]);
    if (!pre || !step) throw new Error('two steps expected');
    expect(step.commands).toEqual([{ lang: 'sh', code: 'kubectl drain' }]);
    expect(step.checks.map((c) => [c.position, c.text, c.checked])).toEqual([
      [0, 'pool < 90%', false],
      [1, 'no errors', false],
    ]);
    clock.advance(1000);
    const first = await store.checklist.setChecks(step.id, { tick: [0, 1], by: 'U2' });
    expect([first.ticked, first.cleared]).toEqual([[0, 1], []]);
    const again = await store.checklist.setChecks(step.id, { tick: [0], clear: [1], by: 'U3' });
    expect([again.ticked, again.cleared]).toEqual([[], [1]]);
    expect(again.step.checks.map((c) => [c.checked, c.checkedBy])).toEqual([
      [true, 'U2'],
      [false, null],
    ]);
    await expect(store.checklist.setChecks(step.id, { tick: [0], clear: [0], by: 'U' })).rejects.toThrow(
      'both ticked and cleared',
    );

    expect((await store.checklist.nextPending(incident.id))?.id).toBe(pre.id);
    expect((await store.checklist.nextPending(incident.id, ['step']))?.id).toBe(step.id);
    const done = await store.checklist.setStepState(step.id, 'done', 'U2');
    expect(done.changed).toBe(true);
    expect(done.step).toMatchObject({
      state: 'done',
      completedBy: 'U2',
      completedAt: '2026-11-22T10:00:01.000Z',
    });
    expect((await store.checklist.setStepState(step.id, 'done', 'U3')).changed).toBe(false);
    const skipped = await store.checklist.setStepState(pre.id, 'skipped', 'U4', 'no access needed');
    expect(skipped.step).toMatchObject({ skippedBy: 'U4', skipReason: 'no access needed' });
    expect(await store.checklist.nextPending(incident.id)).toBeNull();

    await store.checklist.setMessageTs(step.id, '1700.01');
    expect((await store.checklist.chooseOption(step.id, 'a', 'U2')).changed).toBe(true);
    const late = await store.checklist.chooseOption(step.id, 'b', 'U3');
    expect([late.changed, late.step.chosenOption, late.step.chosenBy, late.step.messageTs]).toEqual([
      false,
      'a',
      'U2',
      '1700.01',
    ]);
    const listed = await store.checklist.listSteps(incident.id);
    expect(listed.map((s) => [s.title, s.checks.length])).toEqual([
      ['Access', 0],
      ['Drain', 2],
    ]);
    expect(await store.checklist.getStep(9999)).toBeNull();
    const single = await store.checklist.insertStep({
      incidentId: incident.id,
      position: 2,
      section: 'post_incident',
      title: 'Write it up',
    });
    expect([single.title, single.section, single.number, single.checks]).toEqual([
      'Write it up',
      'post_incident',
      null,
      [],
    ]);
  });

  it('appends the timeline in order, pages through it and finds the last entry of a kind', async () => {
    const { clock, store } = await open();
    const incident = await store.incidents.create({
      title: 'A',
      severity: 'P1',
      declaredBy: 'U1',
      source: 'slash',
    });
    const e1 = await store.timeline.append({
      incidentId: incident.id,
      actor: 'U1',
      kind: 'declared',
      text: 'a',
    });
    const e2 = await store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'note',
      text: 'b',
      data: { n: 1, list: ['x'] },
    });
    const early = await store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'alert',
      text: 'started',
      at: new Date('2026-11-22T09:00:00Z'),
    });
    clock.advance(5000);
    const e3 = await store.timeline.append({ incidentId: incident.id, actor: 'U2', kind: 'note', text: 'c' });
    expect(e2.data).toEqual({ n: 1, list: ['x'] });
    expect((await store.timeline.list(incident.id)).map((e) => e.id)).toEqual([
      early.id,
      e1.id,
      e2.id,
      e3.id,
    ]);
    const firstPage = await store.timeline.page(incident.id, null, 2);
    expect(firstPage.map((e) => e.id)).toEqual([early.id, e1.id]);
    const secondPage = await store.timeline.page(incident.id, { at: e1.at, id: e1.id }, 10);
    expect(secondPage.map((e) => e.id)).toEqual([e2.id, e3.id]);
    expect((await store.timeline.last(incident.id, 'note'))?.text).toBe('c');
    expect(await store.timeline.last(incident.id, 'escalation')).toBeNull();
  });

  it('commits a transaction over several repositories, and rolls all of it back on a throw', async () => {
    const { store } = await open();
    const kept = await store.transaction(async (tx) => {
      const incident = await tx.incidents.create({
        title: 'Kept',
        severity: 'P1',
        declaredBy: 'U1',
        source: 'slash',
      });
      await tx.timeline.append({ incidentId: incident.id, actor: 'U1', kind: 'declared', text: 'kept' });
      return incident;
    });
    await expect(
      store.transaction(async (tx) => {
        const incident = await tx.incidents.create({
          title: 'Lost',
          severity: 'P1',
          declaredBy: 'U1',
          source: 'slash',
        });
        await tx.alertLinks.link({ source: 'alertmanager', dedupKey: 'g1', incidentId: incident.id });
        await tx.timers.schedule({
          incidentId: incident.id,
          kind: 'escalation',
          dueAt: new Date('2026-11-22T12:00:00Z'),
        });
        throw new Error('Slack said no');
      }),
    ).rejects.toThrow('Slack said no');
    expect((await store.incidents.listOpen()).map((i) => i.title)).toEqual(['Kept']);
    expect(await store.alertLinks.findOpen('alertmanager', 'g1')).toBeNull();
    expect((await store.timeline.list(kept.id)).map((e) => e.text)).toEqual(['kept']);
  });

  it('a failed write inside a transaction undoes only itself (a savepoint) when the caller catches it', async () => {
    const { store } = await open();
    const incident = await store.transaction(async (tx) => {
      const created = await tx.incidents.create({
        title: 'Outer',
        severity: 'P1',
        declaredBy: 'U1',
        source: 'slash',
      });
      const duplicate = { incidentId: created.id, position: 0, section: 'step' as const, title: 'Twice' };
      await expect(tx.checklist.insertSteps([duplicate, duplicate])).rejects.toThrow();
      await tx.checklist.insertSteps([{ ...duplicate, title: 'Once' }]);
      return created;
    });
    expect((await store.checklist.listSteps(incident.id)).map((s) => s.title)).toEqual(['Once']);
    expect(await store.problem()).toBeNull();
  });
});
