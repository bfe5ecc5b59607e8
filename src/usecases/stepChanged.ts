import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep, resolutionOf } from '../domain/readOnlySteps.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { UserError } from '../services/outcomes.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import type { StepService, ToggleResult } from '../services/stepService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface StepUseCaseDeps {
  steps: Pick<StepService, 'toggleChecks' | 'markStepDone' | 'skipStep' | 'reopenStep'>;
  incidents: Pick<IncidentService, 'get' | 'step' | 'timeline'>;
  choices: Pick<StepChoices, 'recordWarningsShown'>;
  chat: Pick<ChatPort, 'showStep' | 'postStep' | 'refreshHeader'>;
}

/**
 * A step changed (ticked, done, skipped, reopened): the step's message is redrawn from the database, the
 * step that became active is posted, and the header shows the new progress. Written once, here.
 */
export class StepUseCases {
  constructor(private readonly deps: StepUseCaseDeps) {}

  /** One click on a step's checkboxes: what the user saw ticked, and what is ticked now. */
  async tick(input: {
    stepId: number;
    seen: string[];
    selected: string[];
    actor: string;
  }): Promise<ToggleResult> {
    await this.assertLive(input.stepId);
    // The timeline keeps that whoever acted on this step had its warnings in front of them.
    await this.deps.choices.recordWarningsShown(input.stepId, input.actor);
    const result = await this.deps.steps.toggleChecks(input);
    await this.changed(result.step, result.next, result.completed || result.next !== null);
    return result;
  }

  /** "Mark done" on a step without checks. */
  async markDone(input: { stepId: number; actor: string }): Promise<void> {
    await this.assertLive(input.stepId);
    await this.deps.choices.recordWarningsShown(input.stepId, input.actor);
    const result = await this.deps.steps.markStepDone(input);
    await this.changed(result.step, result.next, true);
  }

  async skip(input: { stepId: number; reason: string; actor: string }): Promise<void> {
    await this.assertLive(input.stepId);
    const { step, next } = await this.deps.steps.skipStep(input);
    await this.changed(step, next, true);
  }

  async reopen(input: { stepId: number; actor: string }): Promise<void> {
    await this.assertLive(input.stepId);
    await this.changed(await this.deps.steps.reopenStep(input), null, true);
  }

  /**
   * Refuses any change to a step that the resolve made read-only (a stale tick, button or modal), saying
   * who resolved the incident and how to work on its steps again.
   */
  async assertLive(stepId: number): Promise<void> {
    const step = await this.deps.incidents.step(stepId);
    const incident = await this.deps.incidents.get(step.incidentId);
    if (!isReadOnlyStep(incident, step)) return;
    const resolution = resolutionOf(await this.deps.incidents.timeline(incident.id));
    const by = resolution && resolution.by !== 'bot' ? ` by <@${resolution.by}>` : '';
    throw new UserError(
      `Nothing changed: incident #${incident.id} was resolved${by}, so its runbook steps are read-only. ` +
        'To work on them again, reopen it with `/incident status investigating`.',
    );
  }

  private async changed(
    step: IncidentStep,
    next: IncidentStep | null,
    refreshHeader: boolean,
  ): Promise<void> {
    const { chat } = this.deps;
    const incident: Incident = await this.deps.incidents.get(step.incidentId);
    await chat.showStep(incident, step);
    if (next) await chat.postStep(incident, next);
    if (refreshHeader) await chat.refreshHeader(incident.id);
  }
}
