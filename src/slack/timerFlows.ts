import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { formatDuration } from '../domain/duration.ts';
import type { Incident } from '../domain/incident.ts';
import type { IncidentStatus } from '../domain/incidentState.ts';
import { reminderCap } from '../domain/reminders.ts';
import { templatesOf } from '../domain/templates.ts';
import type { Timer } from '../domain/timer.ts';
import type { TimerPayload } from '../domain/timerPlan.ts';
import { responseTeam } from '../services/runbookSet.ts';
import { escalationBrief } from './blocks/escalation.ts';
import { context, type Message, STATUS_LABEL } from './blocks/kit.ts';
import { channel as channelLink, user } from './blocks/mrkdwn.ts';
import { acknowledgedBlocks, reminderMessage, repageMessage, timerEscalation } from './blocks/timers.ts';
import {
  type BriefPrefill,
  execBriefMessage,
  execBriefModal,
  statusUpdateMessage,
  statusUpdateModal,
  type UpdatePrefill,
} from './blocks/updates.ts';
import { drillRepage, drillTimerEscalation } from './drillTimers.ts';
import { type Actor, changeStatus, type ListenerDeps, resolveIncident } from './incidentFlows.ts';

/** When a posted update does not say, the next one is promised this far ahead (P3 has no cadence). */
const DEFAULT_NEXT_UPDATE_MS = 3_600_000;

function cadence(deps: ListenerDeps, incident: Incident): number {
  const every = deps.runbooks().policy.severities[incident.severity]?.update_every ?? 'none';
  return every === 'none' ? DEFAULT_NEXT_UPDATE_MS : every;
}

async function currentAction(deps: ListenerDeps, incident: Incident): Promise<string> {
  const step = (await deps.service.steps(incident.id)).find(
    (s) => s.section === 'step' && s.state === 'active',
  );
  return step ? `Step ${step.number ?? ''}: ${step.title}`.replace('  ', ' ') : '';
}

/** The service name of the status page: the runbook's front matter `service`, else the incident title. */
function serviceName(deps: ListenerDeps, incident: Incident): string {
  const runbook = incident.runbookId ? deps.runbooks().catalog.byId(incident.runbookId) : undefined;
  return runbook?.meta.service ?? incident.title;
}

// ---------------------------------------------------------------- fired by timers

/** No commander within the response time: page the severity's team again, with a claim button. */
export async function repageTeam(
  deps: ListenerDeps,
  incident: Incident,
  payload: TimerPayload,
  late: string,
) {
  if (incident.drill) return drillRepage(deps, incident, payload, late);
  if (incident.commanderId || !incident.channelId) return;
  const team = responseTeam(deps.runbooks().policy, incident.severity);
  await deps.timekeeper.recordRepage(incident, payload.reason, late);
  await deps.workflow.post(incident.channelId, repageMessage(incident, team, payload.reason, late));
}

/**
 * A timer's escalation: record it, invite the target, and post the brief with an Acknowledge button to the
 * incident channel and the escalation channel; then plan the repeat until someone acknowledges.
 */
export async function escalateOnTimer(
  deps: ListenerDeps,
  incident: Incident,
  payload: TimerPayload,
  late: string,
): Promise<void> {
  // A drill names who would be called in and calls nobody.
  if (incident.drill) return drillTimerEscalation(deps, incident, payload, late);
  const escalation = await deps.timekeeper.escalateByTimer({ incident, payload, late });
  await deps.timekeeper.scheduleRepeat(incident, payload);
  deps.workflow.escalated?.(incident.id);
  const users = escalation.targets.flatMap((t) => t.users);
  const groups = escalation.targets.flatMap((t) => t.groups);
  if (incident.channelId && !incident.inFallback) await deps.workflow.inviteDurably(incident, users, groups);
  const extra = {
    incidentId: incident.id,
    reason: payload.reason,
    who: payload.who,
    round: payload.round,
    late,
  };
  const steps = await deps.service.steps(incident.id);
  // escalationBrief shows the actor as text when it is not a Slack user ID.
  const by = 'Incident Bot (timer)';
  // Durable posts: a Slack failure delays the brief, and never fires (and records) the escalation twice.
  if (incident.channelId) {
    await deps.workflow.postDurably(
      incident.id,
      timerEscalation(escalationBrief(escalation, steps, by, deps.now()), extra),
    );
  }
  await deps.workflow.postDurably(
    incident.id,
    timerEscalation(escalationBrief(escalation, steps, by, deps.now(), incident.channelId), extra),
    deps.runbooks().policy.channels.escalation,
  );
}

/** An update or brief is due (or overdue): remind the channel, and plan the next reminder of the chain. */
export async function remindUpdate(
  deps: ListenerDeps,
  incident: Incident,
  timer: Timer,
  payload: TimerPayload,
  kind: 'status' | 'brief',
  late: string,
): Promise<void> {
  const now = deps.now();
  const overdueMs = now.getTime() - Date.parse(payload.since);
  await deps.timekeeper.recordReminder(
    incident,
    kind,
    overdueMs >= 60_000 ? formatDuration(overdueMs) : null,
  );
  await deps.timekeeper.scheduleOverdue(incident, timer, payload);
  if (!incident.channelId) return;
  await deps.workflow.post(
    incident.channelId,
    reminderMessage(incident, {
      kind,
      dueAt: payload.since,
      now,
      late,
      executiveChannel: deps.runbooks().policy.channels.executive,
      round: payload.round,
      cap: reminderCap(deps.runbooks().policy),
    }),
  );
}

// ---------------------------------------------------------------- buttons and modals

export async function acknowledgeEscalation(
  deps: ListenerDeps,
  client: WebClient,
  incidentId: number,
  actor: Actor,
  message: { channel: string; ts: string; blocks: KnownBlock[] } | null,
): Promise<void> {
  const result = await deps.timekeeper.acknowledge({ incidentId, actor: actor.user });
  if (!result.ok) return await actor.reply(result.reason);
  if (message) {
    await client.chat.update({
      channel: message.channel,
      ts: message.ts,
      text: `Escalation acknowledged by ${user(actor.user)}`,
      blocks: acknowledgedBlocks(message.blocks, actor.user, deps.now()),
    });
  }
  const incident = await deps.service.get(incidentId);
  if (incident.channelId && incident.channelId !== message?.channel) {
    await deps.workflow.post(incident.channelId, {
      text: `Escalation acknowledged by ${user(actor.user)}`,
      blocks: [
        context(`:white_check_mark: Escalation acknowledged by ${user(actor.user)}; no more repeats.`),
      ],
    });
  }
}

export async function openStatusUpdate(
  deps: ListenerDeps,
  client: WebClient,
  triggerId: string,
  incidentId: number,
): Promise<void> {
  const incident = await deps.service.get(incidentId);
  const last = await deps.timekeeper.lastRecord(incidentId, 'status');
  const status: IncidentStatus = incident.status === 'declared' ? 'investigating' : incident.status;
  const prefill = {
    status,
    impact: last?.impact || incident.description,
    action: (await currentAction(deps, incident)) || last?.action || '',
    nextUpdateAt: new Date(deps.now().getTime() + cadence(deps, incident)),
  };
  const published = status === 'closed' ? null : { ...prefill, status };
  const preview = published ? (deps.workflow.statuspagePreview?.(incident, published) ?? null) : null;
  await client.views.open({ trigger_id: triggerId, view: statusUpdateModal(incident, prefill, preview) });
}

export async function openExecBrief(
  deps: ListenerDeps,
  client: WebClient,
  triggerId: string,
  incidentId: number,
): Promise<void> {
  const incident = await deps.service.get(incidentId);
  const brief = await deps.timekeeper.lastRecord(incidentId, 'brief');
  const update = await deps.timekeeper.lastRecord(incidentId, 'status');
  const elapsed = formatDuration(deps.now().getTime() - Date.parse(incident.declaredAt));
  await client.views.open({
    trigger_id: triggerId,
    view: execBriefModal(
      incident,
      {
        situation:
          brief?.situation ||
          `${incident.severity} ${incident.title}: ${STATUS_LABEL[incident.status].toLowerCase()} for ${elapsed}`,
        cause: brief?.cause ?? '',
        action: (await currentAction(deps, incident)) || update?.action || brief?.action || '',
        eta: brief?.eta ?? '',
        impact: update?.impact || brief?.impact || incident.description,
        nextUpdateAt: new Date(deps.now().getTime() + cadence(deps, incident)),
      },
      deps.runbooks().policy.channels.executive,
    ),
  });
}

/**
 * Posts the status-page update to the incident channel and the status channel (a private incident's only
 * to its own channel: its details must not leak), after applying a status change it announces.
 */
export async function postStatusUpdate(
  deps: ListenerDeps,
  incidentId: number,
  input: UpdatePrefill,
  actor: Actor,
): Promise<void> {
  let incident = await deps.service.get(incidentId);
  if (input.status !== incident.status) {
    if (input.status === 'resolved') await resolveIncident(deps, incidentId, null, actor);
    else if (input.status !== 'declared' && input.status !== 'closed')
      await changeStatus(deps, incidentId, input.status, null, actor);
    incident = await deps.service.get(incidentId);
    // The flow has told the person why the change was refused; an update claiming it would be false.
    if (incident.status !== input.status) return;
  }
  const policy = deps.runbooks().policy;
  const message = statusUpdateMessage(templatesOf(policy), {
    at: deps.now(),
    service: serviceName(deps, incident),
    status: input.status,
    impact: input.impact,
    action: input.action,
    nextUpdateAt: input.nextUpdateAt,
  });
  const entry = await deps.timekeeper.recordUpdate({
    incidentId,
    kind: 'status',
    actor: actor.user,
    text: `Status update (${STATUS_LABEL[input.status]}): ${input.impact}`,
    record: {
      status: input.status,
      impact: input.impact,
      action: input.action,
      cause: '',
      eta: '',
      situation: '',
      nextUpdateAt: input.nextUpdateAt.toISOString(),
    },
  });
  const kept = keptInChannel(incident, 'status', policy.channels.status);
  // Durable: the update reaches its channels when Slack answers, even if it fails right now.
  if (incident.channelId)
    await deps.workflow.postDurably(incident.id, kept ? withNote(message, kept) : message);
  if (!kept) await deps.workflow.postDurably(incident.id, message, policy.channels.status);
  if (!kept && input.status !== 'declared' && input.status !== 'closed')
    deps.workflow.publishStatus?.(incident, {
      entryId: entry.id,
      status: input.status,
      impact: input.impact,
      action: input.action,
    });
}

/**
 * Why an update stays in the incident's own channel: a private incident's details must not leak, and a
 * drill must never reach the real status or executive audience. null: it goes out.
 */
function keptInChannel(incident: Incident, what: 'status' | 'brief', channel: string): string | null {
  const where = `${what === 'status' ? 'the status channel' : 'the executive channel'} ${channelLink(channel)}`;
  if (incident.drill) return `:construction: DRILL: not posted to ${where}; this is what it would have said.`;
  if (incident.private)
    return `:lock: Private incident: not posted to ${where}; share it with the people who need it yourself.`;
  return null;
}

function withNote(message: Message, note: string): Message {
  return { ...message, text: `${note}\n${message.text}`, blocks: [context(note), ...(message.blocks ?? [])] };
}

/** Posts the executive brief to the executive channel, and says so in the incident channel. */
export async function postExecBrief(
  deps: ListenerDeps,
  incidentId: number,
  input: BriefPrefill,
  actor: Actor,
): Promise<void> {
  const incident = await deps.service.get(incidentId);
  const policy = deps.runbooks().policy;
  const message = execBriefMessage(templatesOf(policy), { at: deps.now(), ...input });
  await deps.timekeeper.recordUpdate({
    incidentId,
    kind: 'brief',
    actor: actor.user,
    text: `Executive brief: ${input.situation}`,
    record: { status: incident.status, ...input, nextUpdateAt: input.nextUpdateAt.toISOString() },
  });
  const kept = keptInChannel(incident, 'brief', policy.channels.executive);
  if (kept) {
    if (incident.channelId) await deps.workflow.postDurably(incident.id, withNote(message, kept));
    return;
  }
  await deps.workflow.postDurably(incident.id, message, policy.channels.executive);
  if (incident.channelId) {
    await deps.workflow.postDurably(incident.id, {
      text: `Executive brief posted to ${channelLink(policy.channels.executive)} by ${user(actor.user)}`,
      blocks: [
        context(
          `:memo: Executive brief posted to ${channelLink(policy.channels.executive)} by ${user(actor.user)}`,
        ),
      ],
    });
  }
}
