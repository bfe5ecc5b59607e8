import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunbookCatalog } from '../../src/runbooks/catalog.ts';
import { type Runbook, type Step, StepSchema } from '../../src/runbooks/model.ts';
import { IncidentService, UserError } from '../../src/services/incidentService.ts';
import { loadRunbookSet, type RunbookSet } from '../../src/services/runbookSet.ts';
import { StepChoices } from '../../src/services/stepChoices.ts';
import { StepService } from '../../src/services/stepService.ts';
import { type AsyncStore, createStore } from '../../src/store/sql/index.ts';
import { makeRunbook } from '../blocks/fixtures.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const DANGER = {
  level: 'danger' as const,
  text: 'This will induce data loss: use it as a final resort.',
  line: 7,
};
const OPTION_WARNING = { level: 'warning' as const, text: 'Failover drops in-flight writes.', line: 12 };

function step(number: number, patch: Partial<Step> = {}): Step {
  return StepSchema.parse({
    number,
    title: `Step title ${number}`,
    text: `Do thing ${number}.`,
    commands: [{ lang: 'bash', code: `echo ${number}` }],
    verifications: [`Thing ${number} is done`],
    line: number * 10,
    ...patch,
  });
}

const BRANCHED: Runbook = makeRunbook({
  id: 'RUN-900',
  title: 'Queue backlog',
  steps: [
    step(1, {
      warnings: [DANGER],
      jumps: [{ when: 'the backlog is already empty', to: 4, line: 15 }],
    }),
    step(2, {
      options: [
        {
          key: 'a',
          label: 'Restart the consumer',
          text: 'Roll the deployment.',
          commands: [],
          warnings: [],
          line: 20,
        },
        {
          key: 'b',
          label: 'Fail over',
          text: 'Promote the replica.',
          commands: [{ lang: 'bash', code: 'failover --now' }],
          warnings: [OPTION_WARNING],
          line: 24,
        },
      ],
    }),
    step(3),
    step(4, { jumps: [{ when: 'the backlog grows again', to: 2, line: 44 }] }),
  ],
});

/** A first step with two checks and options: its second tick completes it only once an option is chosen. */
const OPTIONS_FIRST: Runbook = makeRunbook({
  id: 'RUN-902',
  title: 'Cache stampede',
  steps: [
    step(1, {
      verifications: ['Hit rate recovered', 'Origin load normal'],
      options: [
        { key: 'a', label: 'Warm the cache', text: 'Replay.', commands: [], warnings: [], line: 5 },
        { key: 'b', label: 'Rate-limit', text: 'Throttle.', commands: [], warnings: [], line: 8 },
      ],
    }),
    step(2),
  ],
});

const PHASED: Runbook = makeRunbook({
  id: 'RUN-901',
  title: 'Ceph disaster recovery',
  steps: [
    step(1, { phase: 'mon' }),
    step(2, { phase: 'mon' }),
    step(3, { phase: 'crd' }),
    step(4, { phase: 'crd' }),
  ],
  phases: [
    {
      key: 'mon',
      title: 'Restore mon quorum',
      line: 3,
      alerts: ['CephMonQuorumLost'],
      steps: [1, 2],
      context: [],
    },
    { key: 'crd', title: 'Restore CRDs', line: 30, alerts: [], steps: [3, 4], context: [] },
  ],
});

let dir: string;
let store: AsyncStore;
let service: IncidentService;
let stepOps: StepService;
let choices: StepChoices;
let set: RunbookSet;

const runbooks = runbooksDir();
beforeAll(() => {
  const loaded = loadRunbookSet(runbooks, new Date('2026-11-22'));
  set = {
    policy: loaded.policy,
    catalog: new RunbookCatalog([...loaded.catalog.runbooks, BRANCHED, PHASED, OPTIONS_FIRST]),
  };
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'step-choices-'));
  store = await createStore({ databasePath: join(dir, 'db.sqlite') });
  service = new IncidentService(store, () => set);
  stepOps = new StepService(store, service);
  choices = new StepChoices(store, service);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => rmSync(runbooks, { recursive: true, force: true }));

function declare(runbookId: string, labels?: Record<string, string>) {
  return service.declare({
    title: 'Backlog',
    severity: 'P2',
    declaredBy: 'U1',
    source: labels ? 'alertmanager' : 'slash',
    runbookId,
    ...(labels ? { labels } : {}),
  });
}

async function walk(incidentId: number) {
  return (await service.steps(incidentId)).filter((s) => s.section === 'step');
}

describe('declare keeps what the import gave each step', () => {
  it('stores warnings, options, jumps and the procedure of each step', async () => {
    const { incident } = await declare('RUN-900');
    const steps = await walk(incident.id);
    expect(steps.map((s) => [s.number, s.state])).toEqual([
      [1, 'active'],
      [2, 'pending'],
      [3, 'pending'],
      [4, 'pending'],
    ]);
    expect(steps[0]?.warnings).toEqual([DANGER]);
    expect(steps[0]?.jumps).toEqual([{ when: 'the backlog is already empty', to: 4, line: 15 }]);
    expect(steps[1]?.options.map((o) => [o.key, o.label, o.warnings])).toEqual([
      ['a', 'Restart the consumer', []],
      ['b', 'Fail over', [OPTION_WARNING]],
    ]);
    expect(steps.map((s) => s.phase)).toEqual([null, null, null, null]);
    expect(await choices.pendingPhases(incident.id)).toBeNull();
  });
});

describe('warnings shown', () => {
  it('records each warning once, with the step and the actor', async () => {
    const { incident } = await declare('RUN-900');
    const [first] = await walk(incident.id);
    const entry = await choices.recordWarningsShown(first?.id ?? 0, 'U2');
    expect(entry).toMatchObject({
      actor: 'U2',
      kind: 'warning_shown',
      text: 'Warning shown with step 1 (Step title 1): danger: This will induce data loss: use it as a final resort.',
      data: { stepId: first?.id, warnings: [{ level: 'danger', text: DANGER.text }] },
    });
    expect(await choices.recordWarningsShown(first?.id ?? 0, 'U3')).toBeNull();
    expect((await service.timeline(incident.id)).filter((e) => e.kind === 'warning_shown')).toHaveLength(1);
  });

  it('records nothing for a step without warnings', async () => {
    const { incident } = await declare('RUN-900');
    expect(await choices.recordWarningsShown((await walk(incident.id))[2]?.id ?? 0, 'U2')).toBeNull();
  });
});

describe('alternatives', () => {
  async function atStep2() {
    const { incident } = await declare('RUN-900');
    const [first, second] = await walk(incident.id);
    await stepOps.toggleChecks({ stepId: first?.id ?? 0, seen: [], selected: ['0'], actor: 'U2' });
    return { incident, second: await service.step(second?.id ?? 0) };
  }

  it('records who chose what and what was not taken, and the chosen option warnings as shown', async () => {
    const { incident, second } = await atStep2();
    expect(second.state).toBe('active');
    const chosen = await choices.chooseOption({ stepId: second.id, key: 'b', actor: 'U3' });
    expect(chosen).toMatchObject({ chosenOption: 'b', chosenBy: 'U3' });
    expect(chosen.chosenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const entries = (await service.timeline(incident.id)).slice(-2);
    expect(entries.map((e) => [e.actor, e.kind, e.text, e.data])).toEqual([
      [
        'U3',
        'option_chosen',
        'Step 2 (Step title 2): chose Option B: Fail over; not taken: Option A: Restart the consumer',
        { stepId: second.id, option: 'b', label: 'Fail over', notTaken: ['a'] },
      ],
      [
        'U3',
        'warning_shown',
        'Warning shown with step 2 (Step title 2): warning: Failover drops in-flight writes.',
        { stepId: second.id, warnings: [{ level: 'warning', text: OPTION_WARNING.text }] },
      ],
    ]);
  });

  it('refuses a second choice, an unknown option and a step that is not active', async () => {
    const { second } = await atStep2();
    await choices.chooseOption({ stepId: second.id, key: 'a', actor: 'U3' });
    await expect(choices.chooseOption({ stepId: second.id, key: 'b', actor: 'U4' })).rejects.toThrow(
      new UserError(
        'Option A: Restart the consumer was already chosen by <@U3>: follow it, or reopen the step and skip it with a reason.',
      ),
    );
    await expect(choices.chooseOption({ stepId: second.id, key: 'z', actor: 'U4' })).rejects.toThrow(
      UserError,
    );
    const { incident } = await declare('RUN-900');
    const pending = (await walk(incident.id))[1];
    await expect(choices.chooseOption({ stepId: pending?.id ?? 0, key: 'a', actor: 'U4' })).rejects.toThrow(
      new UserError('Step 2 is pending, not active. Reopen it first.'),
    );
  });

  it('refuses the last check until an option is chosen, then completes', async () => {
    const { second } = await atStep2();
    await expect(
      stepOps.toggleChecks({ stepId: second.id, seen: [], selected: ['0'], actor: 'U3' }),
    ).rejects.toThrow(
      new UserError('Step 2 offers options: choose the option you followed first, then mark it done.'),
    );
    expect((await walk(second.incidentId))[1]).toMatchObject({ state: 'active', chosenOption: null });
    expect((await walk(second.incidentId))[1]?.checks.map((c) => c.checked)).toEqual([false]);
    await choices.chooseOption({ stepId: second.id, key: 'a', actor: 'U3' });
    await stepOps.toggleChecks({ stepId: second.id, seen: [], selected: ['0'], actor: 'U3' });
    expect((await walk(second.incidentId))[1]?.state).toBe('done');
  });
});

describe('clicks that arrive together', () => {
  it('a refused click in a batch undoes only its own change and is told only to its caller', async () => {
    const { incident } = await declare('RUN-902');
    const [first] = await walk(incident.id);
    const stepId = first?.id ?? 0;
    const [ok, refused] = await Promise.allSettled([
      stepOps.toggleChecks({ stepId, seen: [], selected: ['0'], actor: 'U3' }),
      stepOps.toggleChecks({ stepId, seen: [], selected: ['1'], actor: 'U4' }),
    ]);
    expect(ok).toMatchObject({ status: 'fulfilled', value: { ticked: [0], completed: false } });
    expect(refused).toMatchObject({
      status: 'rejected',
      reason: new UserError(
        'Step 1 offers options: choose the option you followed first, then mark it done.',
      ),
    });
    expect((await walk(incident.id))[0]?.checks.map((c) => [c.checked, c.checkedBy])).toEqual([
      [true, 'U3'],
      [false, null],
    ]);
    const checks = (await service.timeline(incident.id)).filter((e) => e.kind === 'check');
    expect(checks.map((e) => e.actor)).toEqual(['U3']);
  });
});

describe('jumps', () => {
  it('finishes the step, skips the steps in between with the jump as reason, and activates the target', async () => {
    const { incident } = await declare('RUN-900');
    const [first] = await walk(incident.id);
    const jump = await choices.takeJump({ stepId: first?.id ?? 0, index: 0, actor: 'U2' });
    expect(jump.from).toMatchObject({ number: 1, state: 'done', completedBy: 'U2' });
    expect(jump.target).toMatchObject({ number: 4, state: 'active' });
    expect((await walk(incident.id)).map((s) => [s.number, s.state, s.skipReason])).toEqual([
      [1, 'done', null],
      [2, 'skipped', 'Jumped from step 1 to step 4: the backlog is already empty'],
      [3, 'skipped', 'Jumped from step 1 to step 4: the backlog is already empty'],
      [4, 'active', null],
    ]);
    const kinds = (await service.timeline(incident.id)).map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['warning_shown', 'jump']);
    expect((await service.timeline(incident.id)).at(-1)?.text).toBe(
      'Step 1 (Step title 1): the backlog is already empty, so went to step 4; skipped step 2, step 3',
    );
  });

  it('going back reopens the target and skips nothing', async () => {
    const { incident } = await declare('RUN-900');
    const [first] = await walk(incident.id);
    const forward = await choices.takeJump({ stepId: first?.id ?? 0, index: 0, actor: 'U2' });
    const back = await choices.takeJump({ stepId: forward.target.id, index: 0, actor: 'U2' });
    expect(back.skipped).toEqual([]);
    expect((await walk(incident.id)).map((s) => [s.number, s.state])).toEqual([
      [1, 'done'],
      [2, 'active'],
      [3, 'skipped'],
      [4, 'done'],
    ]);
  });

  it('steps skipped by a jump do not ask for a runbook update after resolve', async () => {
    const { incident } = await declare('RUN-900');
    await choices.takeJump({ stepId: (await walk(incident.id))[0]?.id ?? 0, index: 0, actor: 'U1' });
    const resolved = await service.resolve({ incidentId: incident.id, actor: 'U1' });
    expect(resolved.incident.status).toBe('resolved');
    const post = resolved.added.find((s) => s.section === 'post_incident');
    expect(post?.checks.map((c) => c.text).filter((t) => t.startsWith('Update RUN-900'))).toEqual([]);
  });
});

describe('procedures (phases)', () => {
  it('waits for a responder to choose, then skips the other procedure as not taken', async () => {
    const { incident } = await declare('RUN-901');
    expect((await walk(incident.id)).map((s) => [s.phase, s.phaseTitle, s.state])).toEqual([
      ['mon', 'Restore mon quorum', 'pending'],
      ['mon', 'Restore mon quorum', 'pending'],
      ['crd', 'Restore CRDs', 'pending'],
      ['crd', 'Restore CRDs', 'pending'],
    ]);
    expect(await choices.pendingPhases(incident.id)).toEqual([
      { key: 'mon', title: 'Restore mon quorum', steps: 2 },
      { key: 'crd', title: 'Restore CRDs', steps: 2 },
    ]);
    const choice = await choices.choosePhase({ incidentId: incident.id, phase: 'crd', actor: 'U5' });
    expect(choice.chosen).toEqual({ key: 'crd', title: 'Restore CRDs', steps: 2 });
    expect(choice.first).toMatchObject({ number: 3, state: 'active' });
    const reason = 'Not taken: the procedure "Restore CRDs" was chosen instead';
    expect((await walk(incident.id)).map((s) => [s.number, s.state, s.skippedBy, s.skipReason])).toEqual([
      [1, 'skipped', 'U5', reason],
      [2, 'skipped', 'U5', reason],
      [3, 'active', null, null],
      [4, 'pending', null, null],
    ]);
    expect((await service.timeline(incident.id)).at(-1)).toMatchObject({
      actor: 'U5',
      kind: 'phase_chosen',
      text: 'Procedure chosen: Restore CRDs; not taken: Restore mon quorum',
      data: { phase: 'crd', notTaken: ['mon'] },
    });
    expect(await choices.pendingPhases(incident.id)).toBeNull();
    await expect(choices.choosePhase({ incidentId: incident.id, phase: 'mon', actor: 'U6' })).rejects.toThrow(
      new UserError(
        'Procedure chosen: Restore CRDs; not taken: Restore mon quorum. Reopen a step to go back to it.',
      ),
    );
  });

  it('the alert that paged selects its procedure at declare', async () => {
    const { incident } = await declare('RUN-901', { alertname: 'CephMonQuorumLost', severity: 'critical' });
    expect(await choices.pendingPhases(incident.id)).toBeNull();
    expect((await walk(incident.id)).map((s) => [s.number, s.state])).toEqual([
      [1, 'active'],
      [2, 'pending'],
      [3, 'skipped'],
      [4, 'skipped'],
    ]);
    expect((await service.timeline(incident.id)).map((e) => [e.actor, e.kind, e.text])).toEqual([
      ['U1', 'declared', 'Declared P2: Backlog'],
      ['bot', 'runbook', 'Runbook RUN-901: Ceph disaster recovery'],
      [
        'bot',
        'phase_chosen',
        'Procedure chosen: Restore mon quorum (selected by the alert CephMonQuorumLost); not taken: Restore CRDs',
      ],
    ]);
  });

  it('an alert that selects no procedure leaves the choice to the responders', async () => {
    const { incident } = await declare('RUN-901', { alertname: 'SomethingElse' });
    expect((await choices.pendingPhases(incident.id))?.map((p) => p.key)).toEqual(['mon', 'crd']);
    expect((await walk(incident.id)).every((s) => s.state === 'pending')).toBe(true);
  });
});
