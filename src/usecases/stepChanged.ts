import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep, resolutionOf } from '../domain/readOnlySteps.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { UserError } from '../services/outcomes.ts';
import type { JumpTaken, PhaseChoice, StepChoices } from '../services/stepChoices.ts';
import type { StepService, ToggleResult } from '../services/stepService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface StepUseCaseDeps {
  steps: Pick<StepService, 'toggleChecks' | 'markStepDone' | 'skipStep' | 'reopenStep'>;
  incidents: Pick<IncidentService, 'get' | 'step' | 'timeline'>;
  choices: Pick<StepChoices, 'recordWarningsShown' | 'chooseOption' | 'takeJump' | 'choosePhase'>;
  chat: Pick<ChatPort, 'showStep' | 'postStep' | 'refreshHeader' | 'announceJump' | 'showPhaseChosen'>;
}

/**
 * What a click needs of its step before the tick, none of which changes once the step exists (its incident,
 * section, warnings and options are written when the step is inserted, never updated).
 */
export type StepFacts = Pick<IncidentStep, 'id' | 'incidentId' | 'section' | 'warnings' | 'options'>;

/** Steps whose facts are kept; beyond it the oldest are read again when clicked. */
const KNOWN_STEPS = 10_000;

/**
 * A step changed (ticked, done, skipped, reopened): the step's message is redrawn from the database, the
 * step that became active is posted, and the header shows the new progress. Written once, here.
 */
export class StepUseCases {
  private readonly known = new Map<number, StepFacts>();

  constructor(private readonly deps: StepUseCaseDeps) {}

  /**
   * The facts of a step, read once per step: fifty responders ticking one step no longer read it fifty
   * times before their ticks (the tick itself reads it, once per batch, in its transaction).
   */
  async stepFacts(stepId: number): Promise<StepFacts> {
    const kept = this.known.get(stepId);
    if (kept) return kept;
    const { id, incidentId, section, warnings, options } = await this.deps.incidents.step(stepId);
    const facts = { id, incidentId, section, warnings, options };
    const oldest = this.known.size >= KNOWN_STEPS ? this.known.keys().next().value : undefined;
    if (oldest !== undefined) this.known.delete(oldest);
    this.known.set(stepId, facts);
    return facts;
  }

  /**
   * One click on a step's checkboxes: what the user saw ticked, and what is ticked now. `read` is the step
   * (its facts) and incident the caller has just read for its own checks: each click competes with the
   * next acks, so they are not read again here.
   */
  async tick(
    input: { stepId: number; seen: string[]; selected: string[]; actor: string },
    read?: { step: StepFacts; incident: Incident },
  ): Promise<ToggleResult> {
    await this.assertLive(input.stepId, read);
    // The timeline keeps that whoever acted on this step had its warnings in front of them.
    if (!read || hasWarnings(read.step))
      await this.deps.choices.recordWarningsShown(input.stepId, input.actor);
    const result = await this.deps.steps.toggleChecks(input);
    const moved = result.completed || result.next !== null;
    // A click that changed nothing (the box was already as clicked) leaves the message as it is: every
    // viewer already sees the state the database has, and a redraw would only cost a chat.update.
    if (!moved && result.ticked.length === 0 && result.cleared.length === 0) return result;
    await this.changed(result.step, result.next, moved, read?.incident);
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

  /** "Choose A: ..." on a step's alternatives: the choice recorded, the step shows the chosen commands. */
  async chooseOption(input: { stepId: number; key: string; actor: string }): Promise<void> {
    const step = await this.deps.choices.chooseOption(input);
    await this.deps.chat.showStep(await this.deps.incidents.get(step.incidentId), step);
  }

  /**
   * "Go to step N": the step is done, the ones in between skipped (each redrawn), the jump said, and step N
   * posted afresh at the bottom, where the responder looks, even when the jump goes back.
   */
  async takeJump(input: { stepId: number; index: number; actor: string }): Promise<JumpTaken> {
    const { chat } = this.deps;
    const jump = await this.deps.choices.takeJump(input);
    const incident = await this.deps.incidents.get(jump.from.incidentId);
    await chat.showStep(incident, jump.from);
    for (const step of jump.skipped) if (step.messageTs) await chat.showStep(incident, step);
    await chat.announceJump(incident, jump, input.actor);
    await chat.postStep(incident, jump.target);
    await chat.refreshHeader(incident.id);
    return jump;
  }

  /**
   * Which procedure applies: the question (`prompt`, its message when known) becomes the answer, and the
   * chosen procedure's first step is posted.
   */
  async choosePhase(
    input: { incidentId: number; phase: string; actor: string },
    prompt: string | null,
  ): Promise<PhaseChoice> {
    const choice = await this.deps.choices.choosePhase(input);
    const incident = await this.deps.incidents.get(input.incidentId);
    if (prompt) await this.deps.chat.showPhaseChosen(incident, prompt, choice, input.actor);
    if (choice.first) await this.deps.chat.postStep(incident, choice.first);
    await this.deps.chat.refreshHeader(incident.id);
    return choice;
  }

  /**
   * Refuses any change to a step that the resolve made read-only (a stale tick, button or modal), saying
   * who resolved the incident and how to work on its steps again.
   */
  async assertLive(stepId: number, read?: { step: StepFacts; incident: Incident }): Promise<void> {
    const step = read?.step ?? (await this.deps.incidents.step(stepId));
    const incident = read?.incident ?? (await this.deps.incidents.get(step.incidentId));
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
    known?: Incident,
  ): Promise<void> {
    const { chat } = this.deps;
    // A tick changes no field of the incident, so the one read before it is current enough to draw with.
    const incident: Incident = known ?? (await this.deps.incidents.get(step.incidentId));
    await chat.showStep(incident, step);
    if (next) await chat.postStep(incident, next);
    if (refreshHeader) await chat.refreshHeader(incident.id);
  }
}

/**
 * Whether the step, or an option of it, carries warnings the timeline may have to record as shown. Which
 * option is chosen is not a fact (it changes); choosing one records its warnings, so asking for any option
 * with warnings misses none.
 */
function hasWarnings(step: StepFacts): boolean {
  return step.warnings.length > 0 || step.options.some((o) => o.warnings.length > 0);
}
