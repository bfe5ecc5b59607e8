import type { IncidentService } from '../services/incidentService.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import type { StepService } from '../services/stepService.ts';
import { SlackChat } from '../slack/chat.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { IncidentWorkflow } from '../slack/workflow.ts';
import { ArchiveChannels } from '../usecases/archive.ts';
import { DeclareIncident } from '../usecases/declare.ts';
import { EscalateIncident } from '../usecases/escalate.ts';
import type { StorePort } from '../usecases/ports/store.ts';
import { ResolveIncident } from '../usecases/resolve.ts';
import { StepUseCases } from '../usecases/stepChanged.ts';

/** The use cases, wired to the chat port in Slack: what listeners, pages and start-up recovery call. */
export function buildUseCases(parts: {
  store: StorePort;
  service: IncidentService;
  steps: StepService;
  choices: StepChoices;
  postmortems: PostmortemService;
  workflow: IncidentWorkflow;
  home: HomePublisher;
  runbooks: () => RunbookSet;
  archiveAfterMs: number | null;
  now: () => Date;
}) {
  const { store, service: incidents, runbooks, now } = parts;
  const chat = new SlackChat(parts.workflow, () => runbooks().policy.channels.escalation, parts.home);
  const archive = new ArchiveChannels({ store, runbooks, afterMs: parts.archiveAfterMs, chat });
  return {
    chat,
    archive,
    resolve: new ResolveIncident({ incidents, postmortems: parts.postmortems, chat, archive }),
    declare: new DeclareIncident({ incidents, runbooks, chat }),
    escalate: new EscalateIncident({ incidents, chat, now }),
    stepUseCases: new StepUseCases({ steps: parts.steps, incidents, choices: parts.choices, chat }),
  };
}
