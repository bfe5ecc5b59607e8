import type { Incident } from './incident.ts';
import type { IncidentStep, StepSection } from './steps.ts';
import type { TimelineEntry } from './timeline.ts';

/** The checklists a resolve adds are worked after it; everything posted before it is history. */
const LIVE_AFTER_RESOLVE: ReadonlySet<StepSection> = new Set(['resolution', 'post_incident']);

/**
 * Whether a step's message is read-only: the incident is resolved (or closed) and the step belongs to
 * what was being worked before the resolve (runbook steps, prerequisites, the process checklist).
 */
export function isReadOnlyStep(
  incident: Pick<Incident, 'status'>,
  step: Pick<IncidentStep, 'section'>,
): boolean {
  const over = incident.status === 'resolved' || incident.status === 'closed';
  return over && !LIVE_AFTER_RESOLVE.has(step.section);
}

/** Who resolved the incident and when: its last `resolved` timeline entry. */
export interface Resolution {
  by: string;
  at: string;
}

export function resolutionOf(timeline: readonly TimelineEntry[]): Resolution | null {
  const entry = timeline.findLast((e) => e.kind === 'resolved');
  return entry ? { by: entry.actor, at: entry.at } : null;
}
