import { diffSelection, stepComplete } from '../domain/checks.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { Store } from '../store/index.ts';
import type { IncidentService } from './incidentService.ts';
import { UserError } from './outcomes.ts';

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
  constructor(
    private readonly store: Store,
    private readonly incidents: Pick<IncidentService, 'step' | 'note'>,
  ) {}

  /**
   * Applies what one click changed, computed against the message the user saw, so two responders ticking
   * different boxes from slightly stale views both persist; the caller re-renders from the database.
   */
  toggleChecks(input: {
    stepId: number;
    seen: readonly string[];
    selected: readonly string[];
    actor: string;
  }): ToggleResult {
    const { tick, clear } = diffSelection(input.seen, input.selected);
    return this.store.transaction(() => {
      const before = this.incidents.step(input.stepId);
      const { ticked, cleared, step } = this.store.checklist.setChecks(input.stepId, {
        tick,
        clear,
        by: input.actor,
      });
      const text = (p: number) => step.checks.find((c) => c.position === p)?.text ?? `check ${p + 1}`;
      for (const p of ticked)
        this.incidents.note(step.incidentId, input.actor, 'check', `✔ ${text(p)}`, {
          stepId: step.id,
          position: p,
        });
      for (const p of cleared) {
        this.incidents.note(step.incidentId, input.actor, 'check_cleared', `✘ ${text(p)}`, {
          stepId: step.id,
          position: p,
        });
      }
      const completes = before.state === 'active' && step.section === 'step' && stepComplete(step.checks);
      if (!completes) return { step, ticked, cleared, completed: false, next: null };
      return { ...this.completeStep(step, input.actor), ticked, cleared };
    });
  }

  /** "Mark done" for a step whose runbook gives it no checks; a step with checks completes by ticking them. */
  markStepDone(input: { stepId: number; actor: string }): ToggleResult {
    return this.store.transaction(() => {
      const step = this.incidents.step(input.stepId);
      if (step.checks.length > 0)
        throw new UserError("Tick the step's checks: it completes when the last one is ticked.");
      if (step.state !== 'active')
        throw new UserError(`Step ${step.number ?? ''} is ${step.state}, not active. Reopen it first.`);
      return this.completeStep(step, input.actor);
    });
  }

  /** Marks a step done (who, when) and activates the next pending one. */
  private completeStep(step: IncidentStep, actor: string): ToggleResult {
    // A step that offers options is only done once the responder has said which one they followed.
    if (step.options.length > 0 && !step.chosenOption)
      throw new UserError(
        `Step ${step.number ?? ''} offers options: choose the option you followed first, then mark it done.`.replace(
          '  ',
          ' ',
        ),
      );
    const done = this.store.checklist.setStepState(step.id, 'done', actor).step;
    this.incidents.note(
      step.incidentId,
      actor,
      'step_done',
      `Step ${step.number ?? ''} done: ${step.title}`.replace('  ', ' '),
      {
        stepId: step.id,
      },
    );
    return { step: done, ticked: [], cleared: [], completed: true, next: this.activateNext(step.incidentId) };
  }

  private activateNext(incidentId: number): IncidentStep | null {
    const steps = this.store.checklist.listSteps(incidentId).filter((s) => s.section === 'step');
    if (steps.some((s) => s.state === 'active')) return null;
    const next = steps.find((s) => s.state === 'pending');
    if (!next) return null;
    return this.store.checklist.setStepState(next.id, 'active', 'bot').step;
  }

  skipStep(input: { stepId: number; reason: string; actor: string }): {
    step: IncidentStep;
    next: IncidentStep | null;
  } {
    const reason = input.reason.trim();
    if (!reason) throw new UserError('Say why the step is skipped: the reason goes into the post-mortem.');
    return this.store.transaction(() => {
      const current = this.incidents.step(input.stepId);
      if (current.state === 'done' || current.state === 'skipped') {
        throw new UserError(`Step ${current.number ?? ''} is already ${current.state}. Reopen it first.`);
      }
      const step = this.store.checklist.setStepState(input.stepId, 'skipped', input.actor, reason).step;
      this.incidents.note(
        step.incidentId,
        input.actor,
        'step_skipped',
        `Step ${step.number} skipped: ${step.title}. Reason: ${reason}`,
        {
          stepId: step.id,
          reason,
        },
      );
      return { step, next: this.activateNext(step.incidentId) };
    });
  }

  reopenStep(input: { stepId: number; actor: string }): IncidentStep {
    return this.store.transaction(() => {
      const current = this.incidents.step(input.stepId);
      if (current.state !== 'done' && current.state !== 'skipped') return current;
      const step = this.store.checklist.setStepState(input.stepId, 'active', input.actor).step;
      this.incidents.note(
        step.incidentId,
        input.actor,
        'step_reopened',
        `Step ${step.number} reopened: ${step.title}`,
        {
          stepId: step.id,
        },
      );
      return step;
    });
  }
}
