import type { Incident } from '../domain/incident.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import { phaseAbout } from '../services/walk.ts';
import { phasePrompt } from './blocks/choices.ts';
import type { Message } from './blocks/kit.ts';

/**
 * The "which procedure applies?" message of an incident while nobody has answered it, each procedure
 * with what its runbook says about when it applies; null when there is nothing to choose.
 */
export function phasePromptFor(
  choices: StepChoices,
  runbooks: () => RunbookSet,
): (incident: Incident, steps?: readonly IncidentStep[]) => Promise<Message | null> {
  return async (incident, steps) => {
    const runbook = runbooks().catalog.byId(incident.runbookId ?? '');
    const phases = (await choices.pendingPhases(incident.id, steps))?.map((p) => ({
      ...p,
      about: phaseAbout(runbook, p),
    }));
    return phasePrompt(incident.id, phases ?? null);
  };
}
