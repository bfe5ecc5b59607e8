import { FINISHED_STEP_STATES } from '../domain/drill.ts';

/**
 * The SQL form of domain/drill.ts's rule, appended to a query on `incidents`: a drill counts as a test of
 * its runbook only when none of its runbook steps is left undone (each was completed or skipped).
 */
export const DRILL_FINISHED = `
         AND NOT EXISTS (SELECT 1 FROM incident_steps s WHERE s.incident_id = incidents.id
           AND s.section = 'step' AND s.state NOT IN (${FINISHED_STEP_STATES.map((state) => `'${state}'`).join(', ')}))`;
