import type { Config } from '../config.ts';
import type { Timer } from '../domain/timer.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { CourseService } from '../services/courseService.ts';
import type { DiagnosticsService } from '../services/diagnosticsService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import type { StepService } from '../services/stepService.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import { SlackChat } from '../slack/chat.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { IncidentWorkflow } from '../slack/workflow.ts';
import { Aftermath } from '../usecases/aftermath.ts';
import { ArchiveChannels } from '../usecases/archive.ts';
import { ChangeIncident } from '../usecases/changeIncident.ts';
import { DeclareIncident } from '../usecases/declare.ts';
import { DiagnosticsRuns } from '../usecases/diagnostics.ts';
import { EscalateIncident, EscalationTimers } from '../usecases/escalate.ts';
import { PageFollowUps } from '../usecases/pages.ts';
import type { StorePort } from '../usecases/ports/store.ts';
import { AftermathReminders } from '../usecases/reminders.ts';
import { ResolveIncident } from '../usecases/resolve.ts';
import { StatusUpdates } from '../usecases/statusUpdate.ts';
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
  diagnostics: DiagnosticsService;
  course: CourseService;
  config: Pick<Config, 'archiveAfterMs'>;
  log: Logger;
  now: () => Date;
}) {
  const { storePort: store, service: incidents, runbooks, now, workflow, postmortems, log } = parts;
  const chat = new SlackChat(workflow, () => runbooks().policy, parts.home);
  const archive = new ArchiveChannels({ store, runbooks, afterMs: parts.config.archiveAfterMs, chat });
  const { service, timekeeper } = parts;
  const resolve = new ResolveIncident({ incidents, postmortems, chat, archive });
  const changes = new ChangeIncident({ incidents, runbooks, chat, now });
  const statusPage = {
    preview: workflow.statuspagePreview ?? (() => null),
    publish: workflow.publishStatus ?? (() => undefined),
  };
  const escalate = new EscalateIncident({ incidents, chat, now });
  const diagnostics = new DiagnosticsRuns(parts.diagnostics, incidents, chat, escalate, log);
  // Evidence arrives in the channel shortly after it opens, whether declared by hand or by a page.
  workflow.onOpened((incident) => diagnostics.start(incident.id, 'bot'));
  return {
    ...buildResponderTools({ store, service, course: parts.course, chat, now }),
    chat,
    archive,
    resolve,
    changes,
    declare: new DeclareIncident({ incidents, runbooks, chat }),
    escalate,
    escalationTimers: new EscalationTimers({ incidents, timekeeper, runbooks, chat, now }),
    updates: new StatusUpdates({
      incidents,
      timekeeper,
      change: changes,
      resolve,
      runbooks,
      chat,
      statusPage,
      now,
    }),
    aftermath: new Aftermath({ incidents, postmortems, archive, chat }),
    reminders: new AftermathReminders({ postmortems, chat, log }),
    diagnostics,
    pages: new PageFollowUps({ incidents, resolve, chat, log }),
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
