import { describe, expect, it } from 'vitest';
import type { NewStep, Store } from '../../src/store/index.ts';
import { manualClock, tempDatabase } from './helpers.ts';

function incidentWithSteps(store: Store) {
  const incident = store.incidents.create({
    title: 'pool',
    severity: 'P1',
    declaredBy: 'U01',
    source: 'slash',
  });
  const steps: NewStep[] = [
    { incidentId: incident.id, position: 0, section: 'prerequisites', title: 'Access to the DB host' },
    {
      incidentId: incident.id,
      position: 1,
      section: 'step',
      runbookId: 'RUN-001',
      number: 1,
      title: 'Check pool usage',
      body: 'Look at the pool gauge.',
      commands: [{ lang: 'bash', code: 'psql -c "select 1"' }],
      checks: ['Pool below 90%', 'No waiting clients', 'Error rate normal'],
    },
    {
      incidentId: incident.id,
      position: 2,
      section: 'step',
      runbookId: 'RUN-001',
      number: 2,
      title: 'Restart',
    },
    { incidentId: incident.id, position: 3, section: 'post_incident', title: 'Write the post-mortem' },
  ];
  return { incident, steps: store.checklist.insertSteps(steps) };
}

describe('ChecklistRepository', () => {
  it('stores a step with its commands and checks and lists the checklist in order', () => {
    const store = tempDatabase().open(manualClock('2026-11-22T10:00:00.000Z').now);
    const { incident, steps } = incidentWithSteps(store);
    const listed = store.checklist.listSteps(incident.id);
    expect(listed).toEqual(steps);
    expect(listed.map((s) => s.title)).toEqual([
      'Access to the DB host',
      'Check pool usage',
      'Restart',
      'Write the post-mortem',
    ]);
    const step = listed[1];
    expect(step).toMatchObject({
      incidentId: incident.id,
      position: 1,
      section: 'step',
      runbookId: 'RUN-001',
      number: 1,
      body: 'Look at the pool gauge.',
      commands: [{ lang: 'bash', code: 'psql -c "select 1"' }],
      state: 'pending',
      messageTs: null,
      updatedAt: '2026-11-22T10:00:00.000Z',
    });
    expect(step?.checks.map(({ position, text, checked }) => ({ position, text, checked }))).toEqual([
      { position: 0, text: 'Pool below 90%', checked: false },
      { position: 1, text: 'No waiting clients', checked: false },
      { position: 2, text: 'Error rate normal', checked: false },
    ]);
    expect(listed[0]).toMatchObject({ runbookId: null, number: null, body: '', commands: [], checks: [] });
  });

  it('inserts a checklist all or nothing', () => {
    const store = tempDatabase().open(manualClock().now);
    const { incident } = incidentWithSteps(store);
    expect(() =>
      store.checklist.insertSteps([
        { incidentId: incident.id, position: 10, section: 'step', title: 'new', checks: ['a'] },
        { incidentId: incident.id, position: 1, section: 'step', title: 'position taken' },
      ]),
    ).toThrow(/UNIQUE constraint failed/);
    expect(store.checklist.listSteps(incident.id)).toHaveLength(4);
  });

  it('ticks and clears boxes, reporting only the ones that changed', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const stepId = incidentWithSteps(store).steps[1]?.id ?? -1;

    clock.set('2026-11-22T10:05:00.000Z');
    const first = store.checklist.setChecks(stepId, { tick: [0, 1], by: 'U02' });
    expect(first.ticked).toEqual([0, 1]);
    expect(first.cleared).toEqual([]);
    expect(first.step.updatedAt).toBe('2026-11-22T10:05:00.000Z');
    expect(first.step.checks[0]).toMatchObject({
      checked: true,
      checkedBy: 'U02',
      checkedAt: '2026-11-22T10:05:00.000Z',
    });

    clock.set('2026-11-22T10:06:00.000Z');
    const second = store.checklist.setChecks(stepId, { tick: [1, 2], clear: [0], by: 'U03' });
    expect(second.ticked).toEqual([2]);
    expect(second.cleared).toEqual([0]);
    expect(second.step.checks.map((c) => [c.checked, c.checkedBy])).toEqual([
      [false, null],
      [true, 'U02'], // already ticked: keeps who ticked it first
      [true, 'U03'],
    ]);

    const noop = store.checklist.setChecks(stepId, { tick: [1], clear: [0], by: 'U04' });
    expect(noop).toMatchObject({ ticked: [], cleared: [] });
    expect(noop.step.updatedAt).toBe('2026-11-22T10:06:00.000Z');

    expect(() => store.checklist.setChecks(stepId, { tick: [0], clear: [0], by: 'U02' })).toThrow(
      'Check positions 0 are both ticked and cleared',
    );
    expect(() => store.checklist.setChecks(9999, { tick: [0], by: 'U02' })).toThrow(
      'Checklist step 9999 does not exist',
    );
  });

  it('keeps both of two updates on different boxes of one step made from two connections', () => {
    const tmp = tempDatabase();
    const clock = manualClock();
    const a = tmp.open(clock.now);
    const b = tmp.open(clock.now);
    const stepId = incidentWithSteps(a).steps[1]?.id ?? -1;

    // Both responders act on the same stale view (nothing ticked); each sends only their own box.
    const viewA = a.checklist.getStep(stepId);
    const viewB = b.checklist.getStep(stepId);
    expect(viewA?.checks.every((c) => !c.checked) && viewB?.checks.every((c) => !c.checked)).toBe(true);
    a.checklist.setChecks(stepId, { tick: [0], by: 'UALICE' });
    b.checklist.setChecks(stepId, { tick: [2], by: 'UBOB' });

    for (const store of [a, b]) {
      expect(store.checklist.getStep(stepId)?.checks.map((c) => c.checkedBy)).toEqual([
        'UALICE',
        null,
        'UBOB',
      ]);
    }
  });

  it('records who completed or skipped a step, once, and clears it on reopen', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const stepId = incidentWithSteps(store).steps[1]?.id ?? -1;

    clock.set('2026-11-22T10:10:00.000Z');
    const done = store.checklist.setStepState(stepId, 'done', 'U02');
    expect(done.changed).toBe(true);
    expect(done.step).toMatchObject({
      state: 'done',
      completedBy: 'U02',
      completedAt: '2026-11-22T10:10:00.000Z',
      skippedBy: null,
      skipReason: null,
    });
    // A double click is not a second completion.
    clock.set('2026-11-22T10:11:00.000Z');
    const again = store.checklist.setStepState(stepId, 'done', 'U03');
    expect(again.changed).toBe(false);
    expect(again.step.completedBy).toBe('U02');

    const reopened = store.checklist.setStepState(stepId, 'pending', 'U03');
    expect(reopened.step).toMatchObject({ state: 'pending', completedBy: null, completedAt: null });

    const skipped = store.checklist.setStepState(stepId, 'skipped', 'U04', 'not applicable: no replica');
    expect(skipped.step).toMatchObject({
      state: 'skipped',
      skippedBy: 'U04',
      skipReason: 'not applicable: no replica',
      completedBy: null,
    });
  });

  it('finds the next pending step, optionally within some sections', () => {
    const store = tempDatabase().open(manualClock().now);
    const { incident, steps } = incidentWithSteps(store);
    const [prereq, check, restart, postmortem] = steps.map((s) => s.id);
    expect(store.checklist.nextPending(incident.id)?.id).toBe(prereq);
    store.checklist.setStepState(prereq ?? -1, 'done', 'U01');
    expect(store.checklist.nextPending(incident.id)?.id).toBe(check);
    expect(store.checklist.nextPending(incident.id)?.checks).toHaveLength(3);
    store.checklist.setStepState(check ?? -1, 'active', 'U01');
    expect(store.checklist.nextPending(incident.id)?.id).toBe(restart);
    store.checklist.setStepState(restart ?? -1, 'skipped', 'U01', 'not needed');
    expect(store.checklist.nextPending(incident.id, ['prerequisites', 'step', 'resolution'])).toBeNull();
    expect(store.checklist.nextPending(incident.id)?.id).toBe(postmortem);
  });

  it('remembers the Slack message of a step', () => {
    const store = tempDatabase().open(manualClock().now);
    const stepId = incidentWithSteps(store).steps[1]?.id ?? -1;
    store.checklist.setMessageTs(stepId, '1732269600.000100');
    expect(store.checklist.getStep(stepId)?.messageTs).toBe('1732269600.000100');
    expect(store.checklist.getStep(424242)).toBeNull();
  });

  it('deletes steps and checks with their incident', () => {
    const store = tempDatabase().open(manualClock().now);
    const { incident } = incidentWithSteps(store);
    store.db.prepare('DELETE FROM incidents WHERE id = ?').run(incident.id);
    expect(store.checklist.listSteps(incident.id)).toEqual([]);
    expect(store.db.prepare('SELECT count(*) FROM incident_checks').pluck().get()).toBe(0);
  });
});

describe('ChecklistRepository: what the lossless import gives a step (migration 4)', () => {
  it('keeps warnings, examples, options, jumps and the procedure, and the first pick of an option wins', () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const store = tempDatabase().open(clock.now);
    const incident = store.incidents.create({
      title: 'q',
      severity: 'P2',
      declaredBy: 'U01',
      source: 'slash',
    });
    const option = (key: string) => ({
      key,
      label: `Way ${key}`,
      text: '',
      commands: [],
      warnings: [],
      line: 3,
    });
    const [step] = store.checklist.insertSteps([
      {
        incidentId: incident.id,
        position: 1,
        section: 'step',
        title: 'Drain',
        warnings: [{ level: 'danger', text: 'Data loss.', line: 2 }],
        examples: [{ lang: 'text', code: 'ok', label: 'output', line: 4 }],
        options: [option('a'), option('b')],
        jumps: [{ when: 'empty', to: 3, line: 5 }],
        phase: 'mon',
        phaseTitle: 'Restore mon quorum',
      },
    ]);
    const stored = store.checklist.getStep(step?.id ?? 0);
    expect(stored).toMatchObject({
      warnings: [{ level: 'danger', text: 'Data loss.', line: 2 }],
      examples: [{ lang: 'text', code: 'ok', label: 'output', line: 4 }],
      options: [option('a'), option('b')],
      jumps: [{ when: 'empty', to: 3, line: 5 }],
      phase: 'mon',
      phaseTitle: 'Restore mon quorum',
      chosenOption: null,
    });
    const first = store.checklist.chooseOption(step?.id ?? 0, 'b', 'U02');
    expect(first.changed).toBe(true);
    expect(first.step).toMatchObject({
      chosenOption: 'b',
      chosenBy: 'U02',
      chosenAt: '2026-11-22T10:00:00.000Z',
    });
    const second = store.checklist.chooseOption(step?.id ?? 0, 'a', 'U03');
    expect(second.changed).toBe(false);
    expect(second.step).toMatchObject({ chosenOption: 'b', chosenBy: 'U02' });
  });
});
