import type { DoctorCheck } from '../../doctor.ts';
import type { Logger } from '../../log.ts';
import type { IncidentService } from '../../services/incidentService.ts';
import type { PostmortemService } from '../../services/postmortemService.ts';
import type { ReloadResult, RunbookSet } from '../../services/runbookSet.ts';
import type { StepChoices } from '../../services/stepChoices.ts';
import type { StepService } from '../../services/stepService.ts';
import type { Timekeeper } from '../../services/timekeeper.ts';
import type { Aftermath } from '../../usecases/aftermath.ts';
import type { ArchiveChannels } from '../../usecases/archive.ts';
import type { CatchUp } from '../../usecases/catchup.ts';
import type { ChangeCourse } from '../../usecases/changeCourse.ts';
import type { ChangeIncident } from '../../usecases/changeIncident.ts';
import type { DeclareIncident } from '../../usecases/declare.ts';
import type { DiagnosticsRuns } from '../../usecases/diagnostics.ts';
import type { EditTimes } from '../../usecases/editTimes.ts';
import type { EscalateIncident, EscalationTimers } from '../../usecases/escalate.ts';
import type { AftermathReminders } from '../../usecases/reminders.ts';
import type { ResolveIncident } from '../../usecases/resolve.ts';
import type { StatusUpdates } from '../../usecases/statusUpdate.ts';
import type { StepUseCases } from '../../usecases/stepChanged.ts';
import type { IncidentAccess } from '../access.ts';
import type { IncidentWorkflow, Message } from '../workflow.ts';

/** What every listener gets: the services and the Slack workflow, built once in bot.ts. */
export interface ListenerDeps {
  service: IncidentService;
  /** Choices inside a runbook: procedures, alternatives of a step, jumps. */
  choices: StepChoices;
  postmortems: PostmortemService;
  /** Tick, mark done, skip, reopen: the operations on one step. */
  steps: StepService;
  /** The same operations with what follows in the channel: redraw the step, post the next, refresh the header. */
  stepUseCases: StepUseCases;
  /** Where an incident stands, for `/incident catchup` and whoever joins its channel. */
  catchup: CatchUp;
  /** Impact started, detected, acknowledged, mitigated, resolved: corrected from the header. */
  times: EditTimes;
  /** Changing course: switch runbook, add a step, assign a step. */
  course: ChangeCourse;
  /** Resolving, whoever resolves: the one path that also schedules the post-mortem. */
  resolve: ResolveIncident;
  /** Declaring by hand and drills. */
  declare: DeclareIncident;
  /** Escalating now, with or without flagged conditions. */
  escalate: EscalateIncident;
  /** Status, severity and commander. */
  changes: ChangeIncident;
  /** Status-page updates and executive briefs: the forms' drafts, posting, reminders. */
  updates: StatusUpdates;
  /** Escalation and repage timers, and the Acknowledge button. */
  escalationTimers: EscalationTimers;
  /** The post-mortem draft and close, follow-ups, the timeline. */
  aftermath: Aftermath;
  /** Post-mortem and follow-up reminders. */
  reminders: AftermathReminders;
  workflow: IncidentWorkflow;
  runbooks: () => RunbookSet;
  log: Logger;
  now: () => Date;
  reload: () => ReloadResult;
  /** The runbook's automated diagnostics, run when an incident opens; remediations through its service. */
  diagnostics: DiagnosticsRuns;
  /** The incident channel's archive, a while after the incident is over. */
  archive: ArchiveChannels;
  /** Escalation and reminder timers, status updates and executive briefs (issue 4). */
  timekeeper: Timekeeper;
  /** Who may see and act on a private incident; without it only declarer and commander may. */
  access?: IncidentAccess;
  /** Publishes App Home tabs (app_home_opened). */
  home?: { opened(userId: string): Promise<void> };
  /** `/incident doctor`: the doctor's checks with the running bot's configuration. */
  doctor?: () => Promise<DoctorCheck[]>;
}

/**
 * Who acted, and how to tell them something only they should see: `respond()` for a slash command
 * (works where the bot is not a member), an ephemeral message in the incident channel for a click.
 */
export interface Actor {
  user: string;
  reply: (message: Message | string) => Promise<void>;
}
