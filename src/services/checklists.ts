import type { IncidentStep, NewStep } from '../domain/steps.ts';
import { PROCESS_RUNBOOK_ID } from '../runbooks/catalog.ts';
import type { Runbook } from '../runbooks/model.ts';
import { skippedByChoice, stepExtras } from './walk.ts';

// Which steps an incident's checklist holds, from its runbooks: pure, so the CLI preview and the
// services build the same checklist.

/**
 * The checklist an incident starts with: the scenario's prerequisites, RUN-000's process as one checklist,
 * then the scenario's steps to walk one at a time. Without a scenario runbook, RUN-000's steps are the walk.
 */
export function checklistFor(
  incidentId: number,
  runbook: Runbook | null,
  process: Runbook | undefined,
): NewStep[] {
  const rows: NewStep[] = [];
  const add = (row: Omit<NewStep, 'incidentId' | 'position'>) =>
    rows.push({ incidentId, position: rows.length + 1, ...row });
  const scenario = runbook && runbook.id !== PROCESS_RUNBOOK_ID ? runbook : null;
  if (scenario?.prerequisites.length) {
    add({
      section: 'prerequisites',
      runbookId: scenario.id,
      title: 'Prerequisites',
      checks: scenario.prerequisites,
    });
  }
  const walk = scenario ?? process ?? null;
  if (scenario && process) {
    add({
      section: 'process',
      runbookId: process.id,
      title: process.title,
      checks: process.steps.map((s) => s.title),
    });
  }
  for (const step of walk?.steps ?? []) {
    add({
      section: 'step',
      runbookId: walk?.id ?? null,
      number: step.number,
      title: step.title,
      body: step.text,
      commands: step.commands,
      checks: step.verifications,
      ...stepExtras(walk, step),
    });
  }
  return rows;
}

/** RUN-000's resolution verification checks and the runbook's Post-Incident checklist, added once at resolve. */
export function resolutionChecklists(
  incidentId: number,
  firstPosition: number,
  runbook: Runbook | undefined,
  process: Runbook | undefined,
  existing: readonly IncidentStep[],
  needsUpdate: string | null,
): NewStep[] {
  const rows: NewStep[] = [];
  const has = (section: string) => existing.some((s) => s.section === section);
  const verification = process?.steps.find((s) => /verif|resolution/i.test(s.title));
  if (verification && !has('resolution')) {
    rows.push({
      incidentId,
      position: firstPosition + rows.length,
      section: 'resolution',
      runbookId: process?.id ?? null,
      title: 'Resolution verification',
      checks: verification.verifications.length ? verification.verifications : [verification.title],
    });
  }
  const post = [
    ...(runbook?.postIncident ?? []),
    ...(runbook?.id !== process?.id ? (process?.postIncident ?? []) : []),
  ];
  // A runbook that had to be skipped or escalated past has taught the team something: write it down.
  if (runbook && needsUpdate)
    post.push(`Update ${runbook.id} (${needsUpdate}) → owner: ${runbook.owner ?? 'unassigned'}`);
  if (post.length && !has('post_incident')) {
    rows.push({
      incidentId,
      position: firstPosition + rows.length,
      section: 'post_incident',
      runbookId: runbook?.id ?? process?.id ?? null,
      title: 'Post-incident follow-up',
      checks: post,
    });
  }
  return rows;
}

/** Why the incident's runbook needs an update, if it does: steps skipped (not by a choice) or an escalation. */
export function runbookNeedsUpdate(steps: readonly IncidentStep[], escalated: boolean): string | null {
  const skipped = steps.filter((s) => s.section === 'step' && s.state === 'skipped' && !skippedByChoice(s));
  const reasons = [
    skipped.length ? `${skipped.length} step${skipped.length === 1 ? '' : 's'} skipped` : '',
    escalated ? 'escalated' : '',
  ].filter(Boolean);
  return reasons.length ? reasons.join(', ') : null;
}
