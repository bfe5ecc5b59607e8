import { diffSelection, stepComplete } from '../domain/checks.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { KeyedBatches, type Outcome } from './batches.ts';
import type { IncidentService } from './incidentService.ts';
import { UserError } from './outcomes.ts';

/** One click on a step's checkboxes: what the user saw ticked, and what is ticked now. */
export interface TickInput {
  stepId: number;
  seen: readonly string[];
  selected: readonly string[];
  actor: string;
}

export interface ToggleResult {
  step: IncidentStep;
  ticked: number[];
  cleared: number[];
  /** The step this click completed, if any, and the step that became active after it. */
  completed: boolean;
  next: IncidentStep | null;
}

/** The operations on one step of the checklist: tick, mark done, skip, reopen; each in one transaction. */
export class StepService {
  /** Clicks waiting, per step, for the transaction that applies them together. */
  private readonly ticks = new KeyedBatches<number, TickInput, ToggleResult>((stepId, inputs) =>
    this.applyTicks(stepId, inputs),
  );

  constructor(
    private readonly store: StorePort,
    private readonly incidents: Pick<IncidentService, 'step' | 'note'>,
  ) {}

  /**
   * Applies what one click changed, computed against the message the user saw, so two responders ticking
   * different boxes from slightly stale views both persist; the caller re-renders from the database.
   * Clicks on one step that arrive together share one transaction (see KeyedBatches), each with its own
   * result, refusal and timeline entries.
   */
  toggleChecks(input: TickInput): Promise<ToggleResult> {
    return this.ticks.run(input.stepId, input);
  }

  /**
   * One transaction for the clicks of a batch, in the order they came. With more than one, each runs in
   * its own savepoint: a refused click (the last check of a step whose option is not chosen) undoes only
   * its own change, and the next click starts from the step as the ones before it left it.
   */
  private applyTicks(stepId: number, inputs: TickInput[]): Promise<Outcome<ToggleResult>[]> {
    return this.store.transaction(async (tx) => {
      let before = await this.incidents.step(stepId, tx);
      const [only] = inputs;
      if (only && inputs.length === 1) return [{ ok: true, value: await this.applyTick(tx, only, before) }];
      const outcomes: Outcome<ToggleResult>[] = [];
      for (const input of inputs) {
        try {
          const value = await tx.transaction((own) => this.applyTick(own, input, before));
          before = value.step;
          outcomes.push({ ok: true, value });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  }

  private async applyTick(
    tx: StoreRepositories,
    input: TickInput,
    before: IncidentStep,
  ): Promise<ToggleResult> {
    const { tick, clear } = diffSelection(input.seen, input.selected);
    const { ticked, cleared, step } = await tx.checklist.setChecks(input.stepId, {
      tick,
      clear,
      by: input.actor,
    });
    const text = (p: number) => step.checks.find((c) => c.position === p)?.text ?? `check ${p + 1}`;
    for (const p of ticked) {
      const data = { stepId: step.id, position: p };
      await this.incidents.note(step.incidentId, input.actor, 'check', `✔ ${text(p)}`, data, tx);
    }
    for (const p of cleared) {
      const data = { stepId: step.id, position: p };
      await this.incidents.note(step.incidentId, input.actor, 'check_cleared', `✘ ${text(p)}`, data, tx);
    }
    const completes = before.state === 'active' && step.section === 'step' && stepComplete(step.checks);
    if (!completes) return { step, ticked, cleared, completed: false, next: null };
    return { ...(await this.completeStep(tx, step, input.actor)), ticked, cleared };
  }

  /** "Mark done" for a step whose runbook gives it no checks; a step with checks completes by ticking them. */
  markStepDone(input: { stepId: number; actor: string }): Promise<ToggleResult> {
    return this.store.transaction(async (tx) => {
      const step = await this.incidents.step(input.stepId, tx);
      if (step.checks.length > 0)
        throw new UserError("Tick the step's checks: it completes when the last one is ticked.");
      if (step.state !== 'active')
        throw new UserError(`Step ${step.number ?? ''} is ${step.state}, not active. Reopen it first.`);
      return this.completeStep(tx, step, input.actor);
    });
  }

  /** Marks a step done (who, when) and activates the next pending one. */
  private async completeStep(
    tx: StoreRepositories,
    step: IncidentStep,
    actor: string,
  ): Promise<ToggleResult> {
    // A step that offers options is only done once the responder has said which one they followed.
    if (step.options.length > 0 && !step.chosenOption)
      throw new UserError(
        `Step ${step.number ?? ''} offers options: choose the option you followed first, then mark it done.`.replace(
          '  ',
          ' ',
        ),
      );
    const done = (await tx.checklist.setStepState(step.id, 'done', actor)).step;
    const text = `Step ${step.number ?? ''} done: ${step.title}`.replace('  ', ' ');
    await this.incidents.note(step.incidentId, actor, 'step_done', text, { stepId: step.id }, tx);
    const next = await this.activateNext(tx, step.incidentId);
    return { step: done, ticked: [], cleared: [], completed: true, next };
  }

  private async activateNext(tx: StoreRepositories, incidentId: number): Promise<IncidentStep | null> {
    const steps = (await tx.checklist.listSteps(incidentId)).filter((s) => s.section === 'step');
    if (steps.some((s) => s.state === 'active')) return null;
    const next = steps.find((s) => s.state === 'pending');
    if (!next) return null;
    return (await tx.checklist.setStepState(next.id, 'active', 'bot')).step;
  }

  async skipStep(input: { stepId: number; reason: string; actor: string }): Promise<{
    step: IncidentStep;
    next: IncidentStep | null;
  }> {
    const reason = input.reason.trim();
    if (!reason) throw new UserError('Say why the step is skipped: the reason goes into the post-mortem.');
    return this.store.transaction(async (tx) => {
      const current = await this.incidents.step(input.stepId, tx);
      if (current.state === 'done' || current.state === 'skipped') {
        throw new UserError(`Step ${current.number ?? ''} is already ${current.state}. Reopen it first.`);
      }
      const step = (await tx.checklist.setStepState(input.stepId, 'skipped', input.actor, reason)).step;
      const text = `Step ${step.number} skipped: ${step.title}. Reason: ${reason}`;
      await this.incidents.note(
        step.incidentId,
        input.actor,
        'step_skipped',
        text,
        { stepId: step.id, reason },
        tx,
      );
      return { step, next: await this.activateNext(tx, step.incidentId) };
    });
  }

  reopenStep(input: { stepId: number; actor: string }): Promise<IncidentStep> {
    return this.store.transaction(async (tx) => {
      const current = await this.incidents.step(input.stepId, tx);
      if (current.state !== 'done' && current.state !== 'skipped') return current;
      const step = (await tx.checklist.setStepState(input.stepId, 'active', input.actor)).step;
      const text = `Step ${step.number} reopened: ${step.title}`;
      await this.incidents.note(step.incidentId, input.actor, 'step_reopened', text, { stepId: step.id }, tx);
      return step;
    });
  }
}
