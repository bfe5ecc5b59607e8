import type { Config } from '../config.ts';
import type { Timer } from '../domain/timer.ts';
import type { Metrics } from '../metrics.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import type { StepService } from '../services/stepService.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import { SlackChat } from '../slack/chat.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { IncidentWorkflow } from '../slack/workflow.ts';
import { ArchiveChannels } from '../usecases/archive.ts';
import { DeclareIncident } from '../usecases/declare.ts';
import { EscalateIncident } from '../usecases/escalate.ts';
import type { StorePort } from '../usecases/ports/store.ts';
import { ResolveIncident } from '../usecases/resolve.ts';
import { StepUseCases } from '../usecases/stepChanged.ts';
import { buildResponderTools } from './course.ts';

/** The use cases, wired to the chat port in Slack: what listeners, pages and start-up recovery call. */
export function buildUseCases(parts: {
  storePort: StorePort;
  service: IncidentService;
  steps: StepService;
  choices: StepChoices;
  postmortems: PostmortemService;
  workflow: IncidentWorkflow;
  home: HomePublisher;
  runbooks: () => RunbookSet;
  timekeeper: Timekeeper;
  config: Pick<Config, 'archiveAfterMs'>;
  now: () => Date;
}) {
  const { storePort: store, service: incidents, runbooks, now } = parts;
  const chat = new SlackChat(parts.workflow, () => runbooks().policy.channels.escalation, parts.home);
  const archive = new ArchiveChannels({ store, runbooks, afterMs: parts.config.archiveAfterMs, chat });
  const { service, home, timekeeper } = parts;
  return {
    ...buildResponderTools({ store, service, runbooks, chat, home, timekeeper, now }),
    chat,
    archive,
    resolve: new ResolveIncident({ incidents, postmortems: parts.postmortems, chat, archive }),
    declare: new DeclareIncident({ incidents, runbooks, chat }),
    escalate: new EscalateIncident({ incidents, chat, now }),
    stepUseCases: new StepUseCases({ steps: parts.steps, incidents, choices: parts.choices, chat }),
  };
}

/** What the scheduler reports of each timer it fires: how many, and how late. */
export function observeTimers(metrics: Metrics, tickSeconds: number) {
  return (timer: Timer, lateMs: number): void => {
    metrics.timersDue.inc({ kind: timer.kind });
    metrics.timerLatenessSeconds.observe({ kind: timer.kind }, lateMs / 1000);
    // Later than a tick means the bot was down or blocked when the timer came due.
    if (lateMs > tickSeconds * 1000) metrics.timersFiredLate.inc({ kind: timer.kind });
  };
}
