import type { IncidentStep } from '../domain/steps.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import type { Warning } from '../runbooks/model.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { type IncidentService, UserError } from './incidentService.ts';
import {
  applyPhase,
  JUMPED,
  optionName,
  type PhaseChoice,
  type PhaseSummary,
  phaseChosenEntry,
  phasesOf,
  walkOf,
} from './walk.ts';

export type { PhaseChoice, PhaseSummary } from './walk.ts';
export { skippedByChoice, stepBackground, stepExtras } from './walk.ts';

export interface JumpTaken {
  /** The step the jump was taken from, now done. */
  from: IncidentStep;
  /** The step jumped to, now active. */
  target: IncidentStep;
  /** Steps in between, now skipped with a reason that names the jump. */
  skipped: IncidentStep[];
  when: string;
}

function warningLine(warning: Pick<Warning, 'level' | 'text'>): string {
  const text = warning.text.replace(/\s+/g, ' ').trim();
  return `${warning.level}: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`;
}

/**
 * The rules of choices inside a runbook: which procedure applies, which alternative of a step, and
 * jumps ("if X, go to step N"). Each is one transaction with its timeline entry; IncidentService
 * keeps the rules of steps and checks themselves.
 */
export class StepChoices {
  constructor(
    private readonly store: StorePort,
    private readonly service: IncidentService,
  ) {}

  /**
   * The procedures to choose between, while nobody (and no alert) has chosen; null otherwise. `steps`: the
   * incident's checklist when the caller holds it as it is now (just declared), so it is not read again.
   */
  async pendingPhases(incidentId: number, steps?: readonly IncidentStep[]): Promise<PhaseSummary[] | null> {
    const walk = steps ? steps.filter((s) => s.section === 'step') : await walkOf(this.store, incidentId);
    const phases = phasesOf(walk);
    if (phases.length < 2 || (await phaseChosenEntry(this.store, incidentId))) return null;
    return phases;
  }

  /** A responder picks the procedure that applies; the others' steps are skipped as not taken. */
  choosePhase(input: { incidentId: number; phase: string; actor: string }): Promise<PhaseChoice> {
    return this.store.transaction(async (tx) => {
      const already = await phaseChosenEntry(tx, input.incidentId);
      if (already) throw new UserError(`${already.text}. Reopen a step to go back to it.`);
      const choice = await applyPhase(tx, input.incidentId, input.phase, input.actor);
      if (!choice)
        throw new UserError('That procedure is not in this incident: pick again from the latest message.');
      return choice;
    });
  }

  /** A responder picks one alternative of the active step; the others are not taken. */
  chooseOption(input: { stepId: number; key: string; actor: string }): Promise<IncidentStep> {
    return this.store.transaction(async (tx) => {
      const step = await this.service.step(input.stepId, tx);
      const option = step.options.find((o) => o.key === input.key);
      if (!option)
        throw new UserError('That option is not in this step any more: pick from the latest message.');
      const taken = step.options.find((o) => o.key === step.chosenOption);
      if (taken)
        throw new UserError(
          `${optionName(taken)} was already chosen by <@${step.chosenBy}>: follow it, or reopen the step and skip it with a reason.`,
        );
      if (step.state !== 'active')
        throw new UserError(`Step ${step.number ?? ''} is ${step.state}, not active. Reopen it first.`);
      const chosen = (await tx.checklist.chooseOption(step.id, option.key, input.actor)).step;
      const others = step.options.filter((o) => o.key !== option.key);
      await this.service.note(
        step.incidentId,
        input.actor,
        'option_chosen',
        `Step ${step.number ?? ''} (${step.title}): chose ${optionName(option)}; not taken: ${others.map(optionName).join('; ')}`,
        { stepId: step.id, option: option.key, label: option.label, notTaken: others.map((o) => o.key) },
        tx,
      );
      await this.recordWarningsShown(chosen.id, input.actor, tx);
      return chosen;
    });
  }

  /**
   * "If X, go to step N": the active step is done, the steps between are skipped with a reason that
   * names the jump, and step N becomes active (reopened if the jump goes back).
   */
  takeJump(input: { stepId: number; index: number; actor: string }): Promise<JumpTaken> {
    return this.store.transaction(async (tx) => {
      const step = await this.service.step(input.stepId, tx);
      const jump = step.jumps[input.index];
      if (!jump) throw new UserError('That jump is not in this step any more: use the latest message.');
      if (step.state !== 'active')
        throw new UserError(`Step ${step.number ?? ''} is ${step.state}, not active. Reopen it first.`);
      const walk = (await walkOf(tx, step.incidentId)).filter((s) => s.runbookId === step.runbookId);
      const target = walk.find((s) => s.number === jump.to);
      if (!target || target.id === step.id)
        throw new UserError(
          `The runbook has no other step ${jump.to} to go to: continue here, or skip this step with a reason.`,
        );
      await this.recordWarningsShown(step.id, input.actor, tx);
      const from = (await tx.checklist.setStepState(step.id, 'done', input.actor)).step;
      const reason = `${JUMPED} from step ${step.number} to step ${jump.to}: ${jump.when}`;
      const between = walk.filter(
        (s) =>
          s.position > step.position &&
          s.position < target.position &&
          (s.state === 'pending' || s.state === 'active'),
      );
      const skipped: IncidentStep[] = [];
      for (const s of between)
        skipped.push((await tx.checklist.setStepState(s.id, 'skipped', input.actor, reason)).step);
      const now = (await tx.checklist.setStepState(target.id, 'active', input.actor)).step;
      const skippedText = skipped.length
        ? `; skipped ${skipped.map((s) => `step ${s.number}`).join(', ')}`
        : '';
      await this.service.note(
        step.incidentId,
        input.actor,
        'jump',
        `Step ${step.number} (${step.title}): ${jump.when}, so went to step ${jump.to}${skippedText}`,
        { stepId: step.id, to: jump.to, when: jump.when, skipped: skipped.map((s) => s.id) },
        tx,
      );
      return { from, target: now, skipped, when: jump.when };
    });
  }

  /**
   * Records, once per warning, that the responder acting on a step was shown its warnings (and the
   * chosen option's): the post-mortem can tell what the responder had been told.
   */
  async recordWarningsShown(
    stepId: number,
    actor: string,
    tx: StoreRepositories = this.store,
  ): Promise<TimelineEntry | null> {
    const step = await this.service.step(stepId, tx);
    const chosen = step.options.find((o) => o.key === step.chosenOption);
    const warnings = [...step.warnings, ...(chosen?.warnings ?? [])];
    if (!warnings.length) return null;
    const recorded = new Set(
      (await tx.timeline.list(step.incidentId))
        .filter((e) => e.kind === 'warning_shown' && e.data?.stepId === step.id)
        .flatMap((e) => (Array.isArray(e.data?.warnings) ? e.data.warnings : []))
        .map((w) => JSON.stringify(w)),
    );
    const fresh = warnings
      .map((w) => ({ level: w.level, text: w.text }))
      .filter((w) => !recorded.has(JSON.stringify(w)));
    if (!fresh.length) return null;
    return this.service.note(
      step.incidentId,
      actor,
      'warning_shown',
      `Warning${fresh.length === 1 ? '' : 's'} shown with step ${step.number ?? ''} (${step.title}): ${fresh.map(warningLine).join(' | ')}`,
      { stepId: step.id, warnings: fresh },
      tx,
    );
  }
}
