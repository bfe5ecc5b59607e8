import type { WebClient } from '@slack/web-api';
import type { Job } from '../domain/records.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { archiveJobHandlers } from '../slack/archiveJobs.ts';
import { redrawJobHandlers } from '../slack/redrawJobs.ts';
import type { IncidentWorkflow } from '../slack/workflow.ts';

/** The durable chat jobs after the open ones: step redraws (read-only after resolve) and channel archives. */
export function laterChatJobHandlers(deps: {
  client: WebClient;
  service: IncidentService;
  workflow: IncidentWorkflow;
}): Record<string, (job: Job) => Promise<void>> {
  return {
    ...redrawJobHandlers({ service: deps.service, workflow: deps.workflow }),
    ...archiveJobHandlers({ client: deps.client, service: deps.service }),
  };
}
