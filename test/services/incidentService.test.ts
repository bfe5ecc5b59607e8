import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IncidentService, UserError } from '../../src/services/incidentService.ts';
import type { RunbookSet } from '../../src/services/runbookSet.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { StepService } from '../../src/services/stepService.ts';
import { type AsyncStore, createStore } from '../../src/store/sql/index.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

let dir: string;
let store: AsyncStore;
let service: IncidentService;
let stepOps: StepService;
let set: RunbookSet;
const runbooks = runbooksDir();

beforeAll(() => {
  set = loadRunbookSet(runbooks, new Date('2026-11-22'));
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'incident-service-'));
  store = await createStore({ databasePath: join(dir, 'db.sqlite') });
  service = new IncidentService(store, () => set);
  stepOps = new StepService(store, service);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const declare = (
  title = 'Database connection pool exhausted',
  extra: Partial<Parameters<IncidentService['declare']>[0]> = {},
) => service.declare({ title, severity: 'P1', declaredBy: 'U1', source: 'slash', ...extra });

describe('declare', () => {
  it('matches the runbook from the title and lays out prerequisites, the RUN-000 process and the steps', async () => {
    const { incident, runbook, steps } = await declare();
    expect(runbook?.id).toBe('RUN-001');
    expect(incident).toMatchObject({
      status: 'declared',
      severity: 'P1',
      runbookId: 'RUN-001',
      private: false,
      daySeq: 1,
    });
    const rb = runbook as NonNullable<typeof runbook>;
    expect(steps.map((s) => [s.section, s.state, s.title])).toEqual([
      ['prerequisites', 'pending', 'Prerequisites'],
      ['process', 'pending', set.catalog.byId('RUN-000')?.title],
      ...rb.steps.map((s, i) => ['step', i === 0 ? 'active' : 'pending', s.title]),
    ]);
    expect(steps[0]?.checks.map((c) => c.text)).toEqual(rb.prerequisites);
    expect(steps[2]?.commands).toEqual(rb.steps[0]?.commands);
    expect(steps[2]?.checks.map((c) => c.text)).toEqual(rb.steps[0]?.verifications);
    expect((await service.timeline(incident.id)).map((e) => [e.actor, e.kind])).toEqual([
      ['U1', 'declared'],
      ['bot', 'runbook'],
    ]);
  });

  it('walks RUN-000 itself when no scenario runbook matches', async () => {
    const { runbook, steps } = await declare('Something odd with the office printer');
    expect(runbook).toBeNull();
    const process = set.catalog.byId('RUN-000');
    expect(steps.filter((s) => s.section === 'step').map((s) => s.title)).toEqual(
      process?.steps.map((s) => s.title),
    );
    expect(steps.some((s) => s.section === 'process')).toBe(false);
  });

  it('takes a named runbook, refuses an unknown one, and makes a security incident private', async () => {
    expect((await declare('Anything', { runbookId: 'RUN-007' })).runbook?.id).toBe('RUN-007');
    await expect(declare('Anything', { runbookId: 'RUN-404' })).rejects.toThrow(UserError);
    await expect(declare('Anything', { runbookId: 'RUN-404' })).rejects.toThrow(
      /There is no runbook RUN-404/,
    );
    expect((await declare('Suspicious logins', { runbookId: 'RUN-004' })).incident.private).toBe(true);
  });
});

describe('the walk-through', () => {
  it('keeps two stale clicks on different boxes, completes the step and activates the next', async () => {
    const { incident, steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    const positions = first.checks.map((c) => String(c.position));
    expect(positions.length).toBeGreaterThanOrEqual(2);
    // Both responders saw the step with nothing ticked.
    const a = await stepOps.toggleChecks({
      stepId: first.id,
      seen: [],
      selected: [positions[0] as string],
      actor: 'UA',
    });
    const b = await stepOps.toggleChecks({
      stepId: first.id,
      seen: [],
      selected: [positions[1] as string],
      actor: 'UB',
    });
    expect(a.ticked).toEqual([0]);
    expect(b.ticked).toEqual([1]);
    const now = await service.step(first.id);
    expect(now.checks.slice(0, 2).map((c) => [c.checked, c.checkedBy])).toEqual([
      [true, 'UA'],
      [true, 'UB'],
    ]);
    let last = b;
    for (const p of positions.slice(2))
      last = await stepOps.toggleChecks({ stepId: first.id, seen: [], selected: [p], actor: 'UA' });
    expect(last.completed).toBe(true);
    expect(last.step).toMatchObject({ state: 'done', completedBy: 'UA' });
    expect(last.next).toMatchObject({ state: 'active', number: 2 });
    expect((await service.timeline(incident.id)).filter((e) => e.kind === 'check').length).toBe(
      positions.length,
    );
    expect(
      (await service.timeline(incident.id)).filter((e) => e.kind === 'step_done').map((e) => e.actor),
    ).toEqual(['UA']);
  });

  it('applies clicks on one step that arrive together in one transaction, each with its own result', async () => {
    const { incident, steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    expect(first.checks.length).toBeGreaterThanOrEqual(3);
    const transactions = vi.spyOn(store, 'transaction');
    // Three responders, all from the message with nothing ticked, in the same turn of the event loop.
    const results = await Promise.all(
      ['UA', 'UB', 'UC'].map((actor, p) =>
        stepOps.toggleChecks({ stepId: first.id, seen: [], selected: [String(p)], actor }),
      ),
    );
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.ticked)).toEqual([[0], [1], [2]]);
    expect(results.map((r) => r.step.checks.filter((c) => c.checked).length)).toEqual([1, 2, 3]);
    const checks = (await service.timeline(incident.id)).filter((e) => e.kind === 'check');
    expect(checks.map((e) => [e.actor, e.data?.position])).toEqual([
      ['UA', 0],
      ['UB', 1],
      ['UC', 2],
    ]);
  });

  it('unticks only what the user cleared, and a repeated click changes nothing', async () => {
    const { steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    await stepOps.toggleChecks({ stepId: first.id, seen: [], selected: ['0', '1'], actor: 'UA' });
    const again = await stepOps.toggleChecks({ stepId: first.id, seen: [], selected: ['0'], actor: 'UA' });
    expect(again).toMatchObject({ ticked: [], cleared: [] });
    const cleared = await stepOps.toggleChecks({
      stepId: first.id,
      seen: ['0', '1'],
      selected: ['1'],
      actor: 'UB',
    });
    expect(cleared).toMatchObject({ ticked: [], cleared: [0] });
  });

  it('skips with a reason, activates the next step, and reopens', async () => {
    const { incident, steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    await expect(stepOps.skipStep({ stepId: first.id, reason: '  ', actor: 'UA' })).rejects.toThrow(
      /Say why/,
    );
    const skipped = await stepOps.skipStep({ stepId: first.id, reason: 'no psql access', actor: 'UA' });
    expect(skipped.step).toMatchObject({ state: 'skipped', skipReason: 'no psql access', skippedBy: 'UA' });
    expect(skipped.next?.number).toBe(2);
    expect((await stepOps.reopenStep({ stepId: first.id, actor: 'UB' })).state).toBe('active');
    expect((await service.timeline(incident.id)).map((e) => e.kind).slice(-2)).toEqual([
      'step_skipped',
      'step_reopened',
    ]);
  });
});

describe('roles and resolution', () => {
  it('lets anyone act without a commander, then only the commander; refusals are recorded', async () => {
    const { incident } = await declare();
    expect(
      (await service.setCommander({ incidentId: incident.id, userId: 'UC', actor: 'UA' })).commanderId,
    ).toBe('UC');
    expect((await service.get(incident.id)).acknowledgedAt).not.toBeNull();
    const refused = service.resolve({ incidentId: incident.id, actor: 'UX' });
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toMatchObject({
      message:
        'Only the incident commander <@UC> can resolve this incident. Ask them, or have them hand over with /incident commander <@UX>.',
    });
    await expect(
      service.setSeverity({ incidentId: incident.id, severity: 'P0', actor: 'UX' }),
    ).rejects.toThrow(UserError);
    // The refusals are on the timeline although each rolled back the transaction it was refused in.
    expect(
      (await service.timeline(incident.id)).filter((e) => e.kind === 'refused').map((e) => [e.actor, e.text]),
    ).toEqual([
      ['UX', 'Refused: <@UX> tried to resolve the incident'],
      ['UX', 'Refused: <@UX> tried to change the severity of the incident'],
    ]);
    expect((await service.get(incident.id)).status).toBe('declared');
    expect((await service.get(incident.id)).severity).toBe('P1');
    expect(await service.setSeverity({ incidentId: incident.id, severity: 'P0', actor: 'UC' })).toMatchObject(
      {
        raised: true,
      },
    );
  });

  it('moves through the statuses, refuses impossible moves, and resolves with the two checklists', async () => {
    const { incident } = await declare();
    expect(
      (await service.setStatus({ incidentId: incident.id, status: 'identified', actor: 'UA' })).status,
    ).toBe('identified');
    await expect(
      service.setStatus({ incidentId: incident.id, status: 'identified', actor: 'UA' }),
    ).rejects.toThrow(new UserError('The incident is already identified.'));
    await store.timers.schedule({
      incidentId: incident.id,
      kind: 'escalate',
      dueAt: new Date(Date.now() + 60_000),
    });
    const resolved = await service.resolve({ incidentId: incident.id, note: 'rolled back', actor: 'UA' });
    expect(resolved.incident.status).toBe('resolved');
    expect(resolved.added.map((s) => s.section)).toEqual(['resolution', 'post_incident']);
    expect(resolved.added[1]?.checks.map((c) => c.text)).toEqual(
      expect.arrayContaining(set.catalog.byId('RUN-001')?.postIncident ?? ['missing']),
    );
    expect(await store.timers.listOpen(incident.id)).toEqual([]);
    await expect(service.resolve({ incidentId: incident.id, actor: 'UA' })).rejects.toThrow(UserError);
  });

  it('asks the runbook owner to update the runbook when steps were skipped or the incident escalated', async () => {
    const plain = await declare();
    const clean = await service.resolve({ incidentId: plain.incident.id, actor: 'UA' });
    expect(clean.added.flatMap((s) => s.checks.map((c) => c.text))).not.toContainEqual(
      expect.stringContaining('Update RUN-001'),
    );
    const { incident, steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    await stepOps.skipStep({ stepId: first.id, reason: 'no access', actor: 'UA' });
    await service.escalate({ incidentId: incident.id, conditions: [], actor: 'UA' });
    const resolved = await service.resolve({ incidentId: incident.id, actor: 'UA' });
    const post = resolved.added.find((s) => s.section === 'post_incident');
    expect(post?.checks.at(-1)?.text).toBe(
      'Update RUN-001 (1 step skipped, escalated) → owner: Backend Team',
    );
  });

  it('keeps everything across a close and reopen of the database file', async () => {
    const { incident } = await declare();
    await service.setCommander({ incidentId: incident.id, userId: 'UC', actor: 'UC' });
    await store.close();
    store = await createStore({ databasePath: join(dir, 'db.sqlite') });
    service = new IncidentService(store, () => set);
    stepOps = new StepService(store, service);
    expect(await service.get(incident.id)).toMatchObject({ commanderId: 'UC', runbookId: 'RUN-001' });
    expect((await service.timeline(incident.id)).map((e) => e.kind)).toEqual([
      'declared',
      'runbook',
      'commander',
    ]);
  });
});

describe('steps without checks', () => {
  it('completes by "Mark done" only when the step has no checks and is active', async () => {
    const { incident, steps } = await declare();
    const first = steps.find((s) => s.state === 'active') as (typeof steps)[number];
    await expect(stepOps.markStepDone({ stepId: first.id, actor: 'UA' })).rejects.toThrow(
      /Tick the step's checks/,
    );
    // A step imported from a layout without verification checks.
    const [bare] = await store.checklist.insertSteps([
      {
        incidentId: incident.id,
        position: 99,
        section: 'step',
        number: 99,
        title: 'Restart the workers',
        checks: [],
      },
    ]);
    const id = (bare as (typeof steps)[number]).id;
    await expect(stepOps.markStepDone({ stepId: id, actor: 'UA' })).rejects.toThrow(/is pending, not active/);
    await store.checklist.setStepState(id, 'active', 'bot');
    const done = await stepOps.markStepDone({ stepId: id, actor: 'UA' });
    expect(done).toMatchObject({ completed: true, step: { state: 'done', completedBy: 'UA' } });
  });
});
