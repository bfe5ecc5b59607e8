import type { IncidentStep, NewStep } from '../domain/steps.ts';
import type { ContextSection, Option, Runbook, Step } from '../runbooks/model.ts';
import type { StoreRepositories } from '../usecases/ports/store.ts';

/**
 * How an incident walks its runbook when the runbook holds several procedures (phases): which one
 * applies, and the first step to activate. Used by declare (an alert may select the procedure) and by
 * StepChoices (a responder picks it); takes the repositories it is given, so both can pass their transaction's.
 */

/** One procedure of a multi-procedure runbook, as the incident holds it. */
export interface PhaseSummary {
  key: string;
  title: string;
  /** How many of the incident's steps belong to it. */
  steps: number;
  /** What the runbook says about when it applies (its intro), to help choose. */
  about?: string;
}

export interface PhaseChoice {
  chosen: PhaseSummary;
  notTaken: PhaseSummary[];
  /** The step that became active (the chosen procedure's first), if any. */
  first: IncidentStep | null;
}

/** Reasons the bot gives steps skipped by a choice: the runbook was followed, not departed from. */
export const NOT_TAKEN = 'Not taken:';
export const JUMPED = 'Jumped';

/** Whether a skipped step was skipped by a choice (another procedure, a jump) rather than by a responder. */
export function skippedByChoice(step: Pick<IncidentStep, 'skipReason'>): boolean {
  const reason = step.skipReason ?? '';
  return reason.startsWith(NOT_TAKEN) || reason.startsWith(JUMPED);
}

/** The runbook walk of an incident: its `step` rows in order. */
export async function walkOf(store: StoreRepositories, incidentId: number): Promise<IncidentStep[]> {
  return (await store.checklist.listSteps(incidentId)).filter((s) => s.section === 'step');
}

/** The procedures among an incident's steps, in order of their first step. */
export function phasesOf(steps: readonly IncidentStep[]): PhaseSummary[] {
  const phases = new Map<string, PhaseSummary>();
  for (const step of steps) {
    if (step.phase === null) continue;
    const known = phases.get(step.phase);
    if (known) known.steps += 1;
    else phases.set(step.phase, { key: step.phase, title: step.phaseTitle ?? step.phase, steps: 1 });
  }
  return [...phases.values()];
}

/** The timeline entry of the procedure choice, once made. */
export async function phaseChosenEntry(store: StoreRepositories, incidentId: number) {
  return (await store.timeline.list(incidentId)).find((e) => e.kind === 'phase_chosen');
}

/** The first pending step becomes active, unless one already is. */
export async function activateNext(
  store: StoreRepositories,
  incidentId: number,
  known?: readonly IncidentStep[],
): Promise<IncidentStep | null> {
  const walk = known ?? (await walkOf(store, incidentId));
  if (walk.some((s) => s.state === 'active')) return null;
  const next = walk.find((s) => s.state === 'pending');
  return next ? (await store.checklist.setStepState(next.id, 'active', 'bot')).step : null;
}

/**
 * Applies a procedure choice: the other procedures' open steps are skipped as not taken, the choice
 * is on the timeline, the next step is active. Null when `key` is not a procedure of the incident.
 */
export async function applyPhase(
  store: StoreRepositories,
  incidentId: number,
  key: string,
  actor: string,
  alert?: string,
): Promise<PhaseChoice | null> {
  const walk = await walkOf(store, incidentId);
  const phases = phasesOf(walk);
  const chosen = phases.find((p) => p.key === key);
  if (!chosen) return null;
  const reason = `${NOT_TAKEN} the procedure "${chosen.title}" was chosen instead`;
  for (const step of walk) {
    if (step.phase !== null && step.phase !== key && (step.state === 'pending' || step.state === 'active'))
      await store.checklist.setStepState(step.id, 'skipped', actor, reason);
  }
  const notTaken = phases.filter((p) => p.key !== key);
  const how = alert ? ` (selected by the alert ${alert})` : '';
  await store.timeline.append({
    incidentId,
    actor,
    kind: 'phase_chosen',
    text: `Procedure chosen: ${chosen.title}${how}; not taken: ${notTaken.map((p) => p.title).join(', ')}`,
    data: { phase: key, notTaken: notTaken.map((p) => p.key), ...(alert ? { alert } : {}) },
  });
  return { chosen, notTaken, first: await activateNext(store, incidentId) };
}

/**
 * Called once as an incident is declared: an ordinary runbook starts at its first step; one with
 * several procedures starts with the one the paging alert selects, or waits for a responder to pick.
 * `inserted` is the checklist the declare just wrote, so it is not read back; the checklist as it is
 * after the walk started is returned when known without a read (an ordinary runbook), else null.
 */
export async function startWalk(
  store: StoreRepositories,
  incidentId: number,
  runbook: Runbook | null,
  alertName: string | undefined,
  inserted?: readonly IncidentStep[],
): Promise<IncidentStep[] | null> {
  const walk = inserted
    ? [...inserted].sort((a, b) => a.position - b.position).filter((s) => s.section === 'step')
    : await walkOf(store, incidentId);
  const phases = phasesOf(walk);
  if (phases.length < 2) {
    const active = await activateNext(store, incidentId, walk);
    if (!inserted) return null;
    return [...inserted]
      .map((s) => (s.id === active?.id ? active : s))
      .sort((a, b) => a.position - b.position);
  }
  const selected = alertName
    ? runbook?.phases.find((p) => p.alerts.includes(alertName) && phases.some((s) => s.key === p.key))
    : undefined;
  if (selected) await applyPhase(store, incidentId, selected.key, 'bot', alertName);
  return null;
}

/** The fields of a runbook step an incident keeps besides its text, commands and checks. */
export function stepExtras(
  runbook: Runbook | null,
  step: Step,
): Pick<NewStep, 'warnings' | 'examples' | 'options' | 'jumps' | 'phase' | 'phaseTitle'> {
  const phase = step.phase ? runbook?.phases.find((p) => p.key === step.phase) : undefined;
  return {
    warnings: step.warnings,
    examples: step.examples,
    options: step.options,
    jumps: step.jumps,
    phase: step.phase,
    phaseTitle: step.phase ? (phase?.title ?? step.phase) : null,
  };
}

/**
 * The background shown with a step: the runbook's context with its first step, and a procedure's own
 * context (a catalogue alert's Meaning) with that procedure's first step.
 */
export function stepBackground(
  runbook: Runbook | undefined,
  step: IncidentStep,
  walk: readonly IncidentStep[],
): ContextSection[] {
  if (!runbook) return [];
  const first = walk[0]?.id === step.id;
  const samePhase = walk.filter((s) => s.phase !== null && s.phase === step.phase);
  const firstOfPhase = samePhase[0]?.id === step.id;
  const phase = firstOfPhase ? runbook.phases.find((p) => p.key === step.phase) : undefined;
  return [...(first || firstOfPhase ? runbook.context : []), ...(phase?.context ?? [])];
}

/**
 * What a runbook says about one of its procedures, to help a responder choose: the procedure's own
 * context, or the runbook's context section that has the procedure's title (its intro paragraph).
 */
export function phaseAbout(runbook: Runbook | undefined, phase: PhaseSummary): string {
  const own = runbook?.phases.find((p) => p.key === phase.key)?.context ?? [];
  const named = runbook?.context.filter((c) => c.title.trim() === phase.title.trim()) ?? [];
  return [...own, ...named]
    .map((c) => c.text.trim())
    .filter(Boolean)
    .join(' ');
}

/** A label that already names itself an alternative: "Option 1: Restart", "B) Fail over". */
const SELF_NAMED = /^(?:option|alternative|choice|method|approach|solution|plan)\b|^[A-Za-z0-9][).:]\s/i;

/** How an alternative is called everywhere (buttons, the step, the timeline): its label, or "Option A: label". */
export function optionName(option: Pick<Option, 'key' | 'label'>): string {
  const label = option.label.replace(/\s+/g, ' ').trim();
  if (!label) return `Option ${option.key.toUpperCase()}`;
  return SELF_NAMED.test(label) ? label : `Option ${option.key.toUpperCase()}: ${label}`;
}
