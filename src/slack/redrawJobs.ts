import type { Incident } from '../domain/incident.ts';
import type { Job, NewJob } from '../domain/records.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { IncidentService } from '../services/incidentService.ts';

/** Redraws one step's message from the database, as a durable job (a Slack outage delays it). */
export const REDRAW_STEP = 'incident.redraw-step';

/**
 * The redraw of a step's message; `occasion` (e.g. the resolve's time) makes the key new each time the
 * incident changes in a way the step shows, so a second resolve after a reopen redraws again.
 */
export function redrawStepJob(incidentId: number, stepId: number, occasion: string): NewJob {
  return {
    incidentId,
    kind: REDRAW_STEP,
    key: `${REDRAW_STEP}:${incidentId}:${stepId}:${occasion}`,
    lane: 'redraw',
    payload: { stepId },
  };
}

export interface RedrawJobDeps {
  service: Pick<IncidentService, 'get' | 'step'>;
  workflow: { showStep(incident: Incident, step: IncidentStep): Promise<void> };
}

export function redrawJobHandlers(deps: RedrawJobDeps): Record<string, (job: Job) => Promise<void>> {
  return {
    [REDRAW_STEP]: async (job) => {
      const stepId = job.payload.stepId;
      if (typeof stepId !== 'number') return;
      const step = await deps.service.step(stepId);
      // A step that never had a message has nothing to redraw (showStep would post it).
      if (!step.messageTs) return;
      await deps.workflow.showStep(await deps.service.get(step.incidentId), step);
    },
  };
}
