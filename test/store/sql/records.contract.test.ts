import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storeDatabases } from '../../support/storeDatabases.ts';
import { openWithIncident } from './open.ts';

const databases = storeDatabases();

describe.each(STORE_KINDS)('store port on %s: links, records and reads', (kind) => {
  const open = () => openWithIncident(databases, kind, 'alertmanager');

  it('links an alert group to one open incident at a time and counts the incidents alerts opened', async () => {
    const { clock, store, incident } = await open();
    const other = await store.incidents.create({
      title: 'B',
      severity: 'P2',
      declaredBy: 'U1',
      source: 'alertmanager',
    });
    const first = await store.alertLinks.link({
      source: 'alertmanager',
      dedupKey: 'g1',
      incidentId: incident.id,
    });
    const second = await store.alertLinks.link({
      source: 'alertmanager',
      dedupKey: 'g1',
      incidentId: other.id,
    });
    expect([first.created, second.created, second.link.incidentId]).toEqual([true, false, incident.id]);
    await store.alertLinks.link({ source: 'pagerduty', dedupKey: 'g1', incidentId: other.id });
    expect(await store.alertLinks.countIncidentsSince(new Date('2026-11-22T09:00:00Z'))).toBe(2);
    expect(await store.alertLinks.countIncidentsSince(new Date('2026-11-22T09:00:00Z'), other.id)).toBe(1);
    clock.advance(1000);
    expect(await store.alertLinks.closeForIncident(incident.id)).toBe(1);
    expect(await store.alertLinks.findOpen('alertmanager', 'g1')).toBeNull();
    expect((await store.alertLinks.latest('alertmanager', 'g1'))?.closedAt).toBe('2026-11-22T10:00:01.000Z');
    const reopened = await store.alertLinks.link({
      source: 'alertmanager',
      dedupKey: 'g1',
      incidentId: other.id,
    });
    expect(reopened.created).toBe(true);
    expect((await store.alertLinks.latest('alertmanager', 'g1'))?.incidentId).toBe(other.id);
    expect((await store.alertLinks.listForIncident(other.id)).map((l) => [l.source, l.dedupKey])).toEqual([
      ['pagerduty', 'g1'],
      ['alertmanager', 'g1'],
    ]);
    await expect(
      store.alertLinks.link({ source: 'generic', dedupKey: 'x', incidentId: 9999 }),
    ).rejects.toThrow();
  });

  it('acts on a request key once, remembers it without recording, and forgets old keys', async () => {
    const { clock, store } = await open();
    expect(await store.idempotency.seen('T1')).toBe(false);
    expect(await store.idempotency.firstTime('T1')).toBe(true);
    expect(await store.idempotency.firstTime('T1')).toBe(false);
    expect(await store.idempotency.seen('T1')).toBe(true);
    clock.advance(86_400_000);
    await store.idempotency.firstTime('T2');
    expect(await store.idempotency.prune(new Date('2026-11-23T00:00:00Z'))).toBe(1);
    expect(await store.idempotency.firstTime('T1')).toBe(true);
  });

  it('schedules a post-mortem once, closes it once, and reminds overdue follow-ups', async () => {
    const { clock, store, incident } = await open();
    const due = new Date('2026-11-24T10:00:00.000Z');
    expect(await store.postmortems.schedule(incident.id, due)).toMatchObject({
      dueAt: due.toISOString(),
      doneAt: null,
    });
    expect((await store.postmortems.schedule(incident.id, new Date('2026-12-01T00:00:00Z'))).dueAt).toBe(
      due.toISOString(),
    );
    expect((await store.postmortems.listOpen()).map((p) => p.incidentId)).toEqual([incident.id]);
    expect(await store.postmortems.markDone(incident.id, 'https://docs/pm', 'U2')).toMatchObject({
      documentUrl: 'https://docs/pm',
      doneBy: 'U2',
      doneAt: '2026-11-22T10:00:00.000Z',
    });
    expect(await store.postmortems.markDone(incident.id, 'https://other', 'U3')).toBeNull();
    expect(await store.postmortems.listOpen()).toEqual([]);
    expect(await store.postmortems.get(9999)).toBeNull();

    const late = await store.followups.add({
      incidentId: incident.id,
      text: 'Alert on pool',
      ownerId: 'U2',
      dueDate: '2026-11-20',
      createdBy: 'U1',
    });
    const later = await store.followups.add({
      incidentId: incident.id,
      text: 'Runbook',
      ownerId: 'U3',
      dueDate: '2026-12-20',
      createdBy: 'U1',
    });
    await expect(
      store.followups.add({
        incidentId: incident.id,
        text: 'x',
        ownerId: 'U',
        dueDate: 'tomorrow',
        createdBy: 'U1',
      }),
    ).rejects.toThrow();
    expect((await store.followups.listForIncident(incident.id)).map((f) => f.id)).toEqual([
      late.id,
      later.id,
    ]);
    expect((await store.followups.listOverdue('2026-11-22', clock.now())).map((f) => f.id)).toEqual([
      late.id,
    ]);
    await store.followups.markReminded(late.id);
    expect(await store.followups.listOverdue('2026-11-22', clock.now())).toEqual([]);
    expect((await store.followups.markDone(later.id))?.doneAt).toBe('2026-11-22T10:00:00.000Z');
    expect(await store.followups.markDone(later.id)).toBeNull();
  });

  it('keeps the first external record per key, the bot identity, and heartbeats', async () => {
    const { clock, store, incident } = await open();
    const ref = {
      incidentId: incident.id,
      system: 'statuspage',
      localKey: `incident:${incident.id}`,
      remoteId: 'sp1',
      url: null,
    };
    expect((await store.externalRefs.record(ref)).remoteId).toBe('sp1');
    expect((await store.externalRefs.record({ ...ref, remoteId: 'sp2' })).remoteId).toBe('sp1');
    expect((await store.externalRefs.byRemote('statuspage', 'sp1'))?.localKey).toBe(
      `incident:${incident.id}`,
    );
    expect(await store.externalRefs.get('github', 'followup:1')).toBeNull();
    expect((await store.externalRefs.forIncident(incident.id)).length).toBe(1);

    expect(await store.identity.get()).toBeNull();
    await store.identity.remember('U_BOT', 'B1');
    clock.advance(1000);
    await store.identity.remember('U_BOT2', 'B2');
    expect(await store.identity.get()).toEqual({
      userId: 'U_BOT2',
      botId: 'B2',
      checkedAt: '2026-11-22T10:00:01.000Z',
    });

    expect(await store.heartbeats.last('scheduler')).toBeNull();
    // Names under a prefix that beat since a moment, most recent first; a wildcard in the prefix is literal.
    await store.heartbeats.beat('home-viewer:U1', new Date('2026-11-22T09:00:00.000Z'));
    await store.heartbeats.beat('home-viewer:U2', new Date('2026-11-22T11:00:00.000Z'));
    await store.heartbeats.beat('home-viewer:U3', new Date('2026-11-22T10:30:00.000Z'));
    await store.heartbeats.beat('home-viewer%U4', new Date('2026-11-22T11:00:00.000Z'));
    const since = new Date('2026-11-22T10:00:00.000Z');
    expect(await store.heartbeats.since('home-viewer:', since, 10)).toEqual([
      'home-viewer:U2',
      'home-viewer:U3',
    ]);
    expect(await store.heartbeats.since('home-viewer:', since, 1)).toEqual(['home-viewer:U2']);
    expect(await store.heartbeats.since('home-viewer_', since, 10)).toEqual([]);
    await store.heartbeats.beat('scheduler');
    await store.heartbeats.beat('scheduler', new Date('2026-11-22T11:00:00Z'));
    expect(await store.heartbeats.last('scheduler')).toEqual(new Date('2026-11-22T11:00:00Z'));
  });

  it('reads the open board, the last drills and skipped runbook steps', async () => {
    const { clock, store, incident } = await open();
    const [, active] = await store.checklist.insertSteps([
      { incidentId: incident.id, position: 0, section: 'step', runbookId: 'RUN-1', number: 1, title: 'Look' },
      {
        incidentId: incident.id,
        position: 1,
        section: 'step',
        runbookId: 'RUN-1',
        number: 2,
        title: 'Drain',
      },
      { incidentId: incident.id, position: 2, section: 'post_incident', title: 'Write up' },
    ]);
    if (!active) throw new Error('step expected');
    const [look] = await store.checklist.listSteps(incident.id);
    if (!look) throw new Error('step expected');
    await store.checklist.setStepState(look.id, 'skipped', 'U1', 'not needed');
    await store.checklist.setStepState(active.id, 'active', 'U1');
    await store.timers.schedule({
      incidentId: incident.id,
      kind: 'escalation',
      dueAt: new Date('2026-11-22T12:00:00Z'),
    });
    const progress = await store.openBoard.progress();
    expect([...progress.entries()]).toEqual([
      [incident.id, { incidentId: incident.id, done: 1, total: 2, currentStep: '2. Drain' }],
    ]);
    expect(
      [...(await store.openBoard.timers()).entries()].map(([id, timers]) => [id, timers.map((t) => t.kind)]),
    ).toEqual([[incident.id, ['escalation']]]);
    expect(await store.runbookHistory.skippedSince(new Date('2026-11-22T00:00:00Z'))).toEqual([
      {
        runbookId: 'RUN-1',
        incidentId: incident.id,
        drill: false,
        number: 1,
        title: 'Look',
        skipReason: 'not needed',
        updatedAt: '2026-11-22T10:00:00.000Z',
      },
    ]);

    const drill = await store.incidents.create({
      title: 'Drill',
      severity: 'P3',
      declaredBy: 'U1',
      source: 'slash',
      drill: true,
      runbookId: 'RUN-1',
    });
    clock.advance(60_000);
    await store.incidents.setStatus(drill.id, 'resolved');
    expect(await store.runbookHistory.lastDrills()).toEqual(
      new Map([['RUN-1', new Date('2026-11-22T10:01:00.000Z')]]),
    );
    await store.incidents.setStatus(incident.id, 'resolved');
    expect(await store.openBoard.progress()).toEqual(new Map());
    expect(await store.openBoard.timers()).toEqual(new Map());
  });

  it('reads the most urgent open incidents (most severe, then oldest) with the progress and timers of those only', async () => {
    const { clock, store, incident: p1 } = await open();
    const create = (title: string, severity: 'P0' | 'P1' | 'P2' | 'P3') =>
      store.incidents.create({ title, severity, declaredBy: 'U1', source: 'slash' });
    clock.advance(60_000);
    const p3 = await create('cosmetic', 'P3');
    const p0 = await create('down', 'P0');
    const olderP2 = await create('minor', 'P2');
    clock.advance(60_000);
    const newerP1 = await create('major, later', 'P1');
    const resolved = await create('was down', 'P0');
    await store.incidents.setStatus(resolved.id, 'resolved');
    for (const i of [p0, p1, newerP1, olderP2, p3])
      await store.checklist.insertSteps([
        {
          incidentId: i.id,
          position: 0,
          section: 'step',
          runbookId: 'RUN-1',
          number: 1,
          title: `Look ${i.id}`,
        },
      ]);
    for (const i of [p0, newerP1, p3])
      await store.timers.schedule({
        incidentId: i.id,
        kind: 'escalation',
        dueAt: new Date('2026-11-22T12:00:00Z'),
      });

    const board = await store.openBoard.mostUrgent(3);
    expect(board.incidents.map((i) => i.id)).toEqual([p0.id, p1.id, newerP1.id]);
    expect(board.incidents[0]).toEqual(await store.incidents.get(p0.id));
    expect([...board.progress.keys()].sort((a, b) => a - b)).toEqual([p1.id, p0.id, newerP1.id]);
    expect(board.progress.get(p1.id)).toEqual({ incidentId: p1.id, done: 0, total: 1, currentStep: null });
    expect([...board.timers.keys()]).toEqual([p0.id, newerP1.id]);
    expect((await store.openBoard.mostUrgent(10)).incidents.map((i) => i.id)).toEqual([
      p0.id,
      p1.id,
      newerP1.id,
      olderP2.id,
      p3.id,
    ]);
    // A page at a time: the next page starts after the last incident of the previous one.
    const next = await store.openBoard.mostUrgent(2, board.incidents[1]);
    expect(next.incidents.map((i) => i.id)).toEqual([newerP1.id, olderP2.id]);
    expect([...next.progress.keys()].sort((a, b) => a - b)).toEqual([olderP2.id, newerP1.id]);
    expect([...next.timers.keys()]).toEqual([newerP1.id]);
    expect((await store.openBoard.mostUrgent(2, p3)).incidents).toEqual([]);
    for (const i of [p0, p1, newerP1, olderP2, p3]) await store.incidents.setStatus(i.id, 'resolved');
    expect(await store.openBoard.mostUrgent(3)).toEqual({
      incidents: [],
      progress: new Map(),
      timers: new Map(),
    });
  });
});
