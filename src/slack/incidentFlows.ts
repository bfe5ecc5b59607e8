import type { DoctorCheck } from '../doctor.ts';
import type { Incident } from '../domain/incident.ts';
import type { WorkingStatus } from '../domain/incidentState.ts';
import { isReadOnlyStep } from '../domain/readOnlySteps.ts';
import type { Logger } from '../log.ts';
import type { Severity } from '../runbooks/model.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import { type ReloadResult, type RunbookSet, responseTeam } from '../services/runbookSet.ts';
import { renderInSlices } from '../services/slices.ts';
import type { StepChoices } from '../services/stepChoices.ts';
import type { StepService } from '../services/stepService.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import type { ArchiveChannels } from '../usecases/archive.ts';
import type { CatchUp } from '../usecases/catchup.ts';
import type { ChangeCourse } from '../usecases/changeCourse.ts';
import type { DeclareIncident } from '../usecases/declare.ts';
import type { EditTimes } from '../usecases/editTimes.ts';
import type { EscalateIncident } from '../usecases/escalate.ts';
import type { ResolveIncident } from '../usecases/resolve.ts';
import type { StepUseCases } from '../usecases/stepChanged.ts';
import type { IncidentAccess } from './access.ts';
import {
  TIMELINE_LATEST,
  timelineFileLines,
  timelineInline,
  timelineWithFile,
} from './blocks/largeTimeline.ts';
import { escapeMrkdwn, user } from './blocks/mrkdwn.ts';
import type { DiagnosticsFlow } from './diagnosticsFlow.ts';
import type { IncidentWorkflow, Message } from './workflow.ts';

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
  workflow: IncidentWorkflow;
  runbooks: () => RunbookSet;
  log: Logger;
  now: () => Date;
  reload: () => ReloadResult;
  diagnostics: DiagnosticsFlow;
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

async function refuse(_deps: ListenerDeps, actor: Actor, reason: string): Promise<void> {
  await actor.reply(reason);
}

/** A note in the incident's channel that everyone sees, after a change the header also shows. */
async function announceChange(deps: ListenerDeps, incident: Incident, text: string): Promise<void> {
  await deps.workflow.refreshHeader(incident.id);
  if (incident.channelId) await deps.workflow.post(incident.channelId, { text, blocks: [] });
}

export async function changeStatus(
  deps: ListenerDeps,
  incidentId: number,
  status: WorkingStatus,
  note: string | null,
  actor: Actor,
): Promise<void> {
  const before = await deps.service.get(incidentId);
  const result = await deps.service.setStatus({ incidentId, status, note: note ?? '', actor: actor.user });
  if (!result.ok) return await refuse(deps, actor, result.reason);
  // Reopened: the steps made read-only by the resolve get their checkboxes and buttons back.
  const frozen = (await deps.service.steps(incidentId)).filter(
    (s) => s.messageTs && isReadOnlyStep(before, s),
  );
  await deps.workflow.redrawDurably(incidentId, frozen, `reopened:${deps.now().toISOString()}`);
  const suffix = note ? `: ${escapeMrkdwn(note)}` : '';
  await announceChange(
    deps,
    result.incident,
    `Status is now *${status}* (set by ${user(actor.user)})${suffix}`,
  );
}

export async function changeSeverity(
  deps: ListenerDeps,
  incidentId: number,
  severity: Severity,
  actor: Actor,
): Promise<void> {
  const result = await deps.service.setSeverity({ incidentId, severity, actor: actor.user });
  if (!result.ok) return await refuse(deps, actor, result.reason);
  const { incident } = result;
  // A raised severity brings in that severity's (larger) response team.
  if (result.raised && incident.channelId && !incident.inFallback) {
    const team = responseTeam(deps.runbooks().policy, severity);
    await deps.workflow.inviteDurably(incident, team.users, team.groups);
  }
  await announceChange(deps, incident, `Severity is now *${severity}* (set by ${user(actor.user)})`);
}

export async function changeCommander(
  deps: ListenerDeps,
  incidentId: number,
  userId: string,
  actor: Actor,
): Promise<void> {
  const result = await deps.service.setCommander({ incidentId, userId, actor: actor.user });
  if (!result.ok) return await refuse(deps, actor, result.reason);
  const { incident } = result;
  if (incident.channelId && !incident.inFallback) {
    await deps.workflow.inviteDurably(incident, [userId], []);
  }
  await announceChange(
    deps,
    incident,
    `${user(userId)} is now the incident commander (set by ${user(actor.user)})`,
  );
}

export async function resolveIncident(
  deps: ListenerDeps,
  incidentId: number,
  note: string | null,
  actor: Actor,
): Promise<void> {
  const result = await deps.resolve.run({ incidentId, note, actor: actor.user });
  if (!result.ok) return refuse(deps, actor, result.reason);
}

/**
 * The timeline in the channel: one message when it fits Slack's limits, else the latest entries and the
 * whole timeline as a file. Read and rendered in slices, so a 10k-entry timeline never stalls the bot.
 */
export async function postTimeline(deps: ListenerDeps, incidentId: number, actor: Actor): Promise<void> {
  const incident = await deps.service.get(incidentId);
  const entries = await deps.postmortems.timelineInSlices(incidentId);
  const inline = timelineInline(incident, entries);
  const channel = incident.channelId && !incident.inFallback ? incident.channelId : null;
  if (inline || !channel) {
    const message =
      inline ?? timelineWithFile(incident, entries.slice(-TIMELINE_LATEST), entries.length, null);
    if (incident.channelId) await deps.workflow.post(incident.channelId, message);
    else await actor.reply(message);
    return;
  }
  const filename = `timeline-incident-${incident.id}.md`;
  await deps.workflow.post(
    channel,
    timelineWithFile(incident, entries.slice(-TIMELINE_LATEST), entries.length, filename),
  );
  const lines = await renderInSlices(entries, 1_000, timelineFileLines);
  await deps.workflow.uploadFile(channel, {
    filename,
    title: `Timeline of incident #${incident.id} (${entries.length} entries)`,
    content: `# Timeline of incident #${incident.id}\n\n${lines.join('\n')}\n`,
  });
}

/** Escalate now (the use case); the one who escalated hears nothing more: the channel shows the call-in. */
export async function escalateIncident(
  deps: ListenerDeps,
  incidentId: number,
  conditions: readonly string[],
  note: string | null,
  actor: Actor,
): Promise<void> {
  await deps.escalate.run({ incidentId, conditions, note, actor: actor.user });
}
