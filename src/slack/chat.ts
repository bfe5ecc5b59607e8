import { createHash } from 'node:crypto';
import type { NormalizedAlert } from '../domain/alert.ts';
import type { Incident } from '../domain/incident.ts';
import type { WorkingStatus } from '../domain/incidentState.ts';
import type { Policy } from '../domain/policy.ts';
import type { Followup, Postmortem } from '../domain/records.ts';
import type { Severity } from '../domain/severity.ts';
import type { IncidentStep } from '../domain/steps.ts';
import { templatesOf } from '../domain/templates.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import type { BriefPrefill, KeptInChannel } from '../domain/updates.ts';
import type { Evidence } from '../services/diagnosticsService.ts';
import type { TimeChange } from '../services/milestoneService.ts';
import type { Declared, Escalation } from '../services/outcomes.ts';
import type { FollowupReminder, PostmortemReminder } from '../services/postmortemReminders.ts';
import type { DrillReport } from '../services/postmortemService.ts';
import { renderInSlices } from '../services/slices.ts';
import type { JumpTaken, PhaseChoice } from '../services/stepChoices.ts';
import type {
  ChatPort,
  DeclarerReply,
  RemediationResult,
  StatusUpdate,
  TimerCall,
  UpdateReminder,
} from '../usecases/ports/chat.ts';
import type { StormJoin } from '../usecases/ports/pages.ts';
import {
  drillReportMessage,
  followupAdded,
  postmortemDone,
  postmortemScheduled,
} from './blocks/aftermath.ts';
import { alertEvidence, alertsResolvedNotice, stillFiringNotice, stormSummary } from './blocks/alerts.ts';
import { archiveNoticeMessage } from './blocks/archive.ts';
import * as changes from './blocks/changes.ts';
import { jumpTakenMessage, phaseChosenMessage } from './blocks/choices.ts';
import { runbookSwitchedMessage, stepAssignedMessage } from './blocks/course.ts';
import { diagnosticsRunningMessage, evidenceMessage, remediationMessage } from './blocks/diagnostics.ts';
import { drillEscalationNotice, escalationBrief } from './blocks/escalation.ts';
import {
  TIMELINE_LATEST,
  timelineFileLines,
  timelineInline,
  timelineWithFile,
} from './blocks/largeTimeline.ts';
import { followupReminderMessage, postmortemReminderMessage } from './blocks/reminders.ts';
import { resolvedMessage } from './blocks/replies.ts';
import { reminderMessage, repageMessage, timerEscalation } from './blocks/timers.ts';
import { timesChangedMessage } from './blocks/times.ts';
import { execBriefMessage, statusUpdateMessage } from './blocks/updates.ts';
import type { IncidentWorkflow, Message } from './workflow.ts';

/** The chat port in Slack: each announcement rendered by a pure builder and posted through the workflow. */
export class SlackChat implements ChatPort {
  constructor(
    private readonly workflow: IncidentWorkflow,
    /** The policy as loaded now: its channels (escalation, status, executive) and templates. */
    private readonly policy: () => Policy,
    /** Publishes a person's App Home tab, so a step assigned to them is listed at once. */
    private readonly home: { opened(userId: string): Promise<void> } | null = null,
  ) {}

  /** Posts in the incident's channel, when it has one. */
  private async say(incident: Incident, message: Message): Promise<void> {
    if (incident.channelId) await this.workflow.post(incident.channelId, message);
  }

  open(declared: Declared, reply: DeclarerReply | null): Promise<Incident> {
    return this.workflow.open(declared, reply);
  }

  async queueOpen(incident: Incident): Promise<number> {
    return this.workflow.queueOpen(incident);
  }

  refreshHeader(incidentId: number): Promise<void> {
    return this.workflow.refreshHeader(incidentId);
  }

  showStep(incident: Incident, step: IncidentStep): Promise<void> {
    return this.workflow.showStep(incident, step);
  }

  postStep(incident: Incident, step: IncidentStep): Promise<void> {
    return this.workflow.postStep(incident, step);
  }

  announceJump(incident: Incident, jump: JumpTaken, by: string): Promise<void> {
    return this.say(incident, jumpTakenMessage(jump, by));
  }

  async showPhaseChosen(incident: Incident, prompt: string, choice: PhaseChoice, by: string) {
    if (incident.channelId)
      await this.workflow.update(incident.channelId, prompt, phaseChosenMessage(choice, by));
  }

  announceResolved(incident: Incident, note: string | null): Promise<void> {
    return this.say(incident, resolvedMessage(incident, note));
  }

  async showReadOnly(incident: Incident, steps: readonly IncidentStep[]): Promise<void> {
    await this.workflow.redrawDurably(incident.id, steps, incident.resolvedAt ?? incident.status);
  }

  announcePostmortemScheduled(incident: Incident, postmortem: Postmortem): Promise<void> {
    return this.say(incident, postmortemScheduled(postmortem, incident.commanderId));
  }

  announceDrillEscalation(escalation: Escalation): Promise<void> {
    return this.say(escalation.incident, drillEscalationNotice(escalation));
  }

  callIn(escalation: Escalation, steps: readonly IncidentStep[], actor: string, now: Date): Promise<void> {
    return this.brief(escalation, (linkTo) => escalationBrief(escalation, steps, actor, now, linkTo));
  }

  callInByTimer(
    escalation: Escalation,
    steps: readonly IncidentStep[],
    call: TimerCall,
    now: Date,
  ): Promise<void> {
    // escalationBrief shows the actor as text when it is not a Slack user ID.
    const by = 'Incident Bot (timer)';
    const extra = { incidentId: escalation.incident.id, ...call };
    return this.brief(escalation, (linkTo) =>
      timerEscalation(escalationBrief(escalation, steps, by, now, linkTo), extra),
    );
  }

  /**
   * Invites the targets and posts the brief to the incident's channel and the escalation channel, durably:
   * a Slack failure delays the brief, and never fires (and records) the escalation twice.
   */
  private async brief(escalation: Escalation, render: (linkTo?: string | null) => Message): Promise<void> {
    const { incident, targets } = escalation;
    await this.workflow.escalated?.(incident.id);
    const users = targets.flatMap((t) => t.users);
    const groups = targets.flatMap((t) => t.groups);
    if (incident.channelId && !incident.inFallback)
      await this.workflow.inviteDurably(incident, users, groups);
    if (incident.channelId) await this.workflow.postDurably(incident.id, render());
    const escalationChannel = this.policy().channels.escalation;
    await this.workflow.postDurably(incident.id, render(incident.channelId), escalationChannel);
  }

  async announceArchive(incident: Incident, at: Date): Promise<void> {
    if (incident.channelId) await this.workflow.postDurably(incident.id, archiveNoticeMessage(incident, at));
  }

  archiveChannel(incident: Incident): Promise<void> {
    return this.workflow.archiveDurably(incident.id);
  }

  announceRunbookSwitched(
    incident: Incident,
    change: { from: string | null; to: { id: string; title: string }; by: string; skipped: number },
  ): Promise<void> {
    return this.say(incident, runbookSwitchedMessage(change));
  }

  async tellAssignee(incident: Incident, step: IncidentStep, by: string): Promise<void> {
    if (!step.assigneeId) return;
    // In the channel, so whoever is not a member yet is added to do the step.
    await this.workflow.inviteDurably(incident, [step.assigneeId], []);
    await this.say(incident, stepAssignedMessage(step, by));
    await this.home?.opened(step.assigneeId);
  }

  announceTimesChanged(incident: Incident, changes: readonly TimeChange[], by: string): Promise<void> {
    return this.say(incident, timesChangedMessage(changes, by));
  }

  announceDrillReport(incident: Incident, report: DrillReport): Promise<void> {
    return this.say(incident, drillReportMessage(report));
  }

  // ------------------------------------------------------------ changes to the incident

  invite(incident: Incident, users: readonly string[], groups: readonly string[]): Promise<void> {
    return this.workflow.inviteDurably(incident, users, groups);
  }

  showLive(incident: Incident, steps: readonly IncidentStep[], occasion: string): Promise<void> {
    return this.workflow.redrawDurably(incident.id, steps, occasion);
  }

  /** A note in the incident's channel that everyone sees, after a change the header also shows. */
  private async announceChange(incident: Incident, message: Message): Promise<void> {
    await this.workflow.refreshHeader(incident.id);
    await this.say(incident, message);
  }

  announceStatus(incident: Incident, change: { status: WorkingStatus; by: string; note: string | null }) {
    return this.announceChange(incident, changes.statusChanged(change));
  }

  announceSeverity(incident: Incident, change: { severity: Severity; by: string }): Promise<void> {
    return this.announceChange(incident, changes.severityChanged(change));
  }

  announceCommander(incident: Incident, change: { userId: string; by: string }): Promise<void> {
    return this.announceChange(incident, changes.commanderChanged(change));
  }

  // ------------------------------------------------------------ timers and updates

  repage(
    incident: Incident,
    team: { users: string[]; groups: string[] },
    reason: string,
    late: string,
  ): Promise<void> {
    return this.say(incident, repageMessage(incident, team, reason, late));
  }

  announceDrillRepage(incident: Incident, reason: string, late: string): Promise<void> {
    return this.say(incident, changes.drillRepage(reason, late));
  }

  announceDrillTimerEscalation(escalation: Escalation, reason: string, late: string): Promise<void> {
    return this.say(escalation.incident, changes.drillTimerEscalation(escalation, reason, late));
  }

  announceAcknowledged(incident: Incident, by: string): Promise<void> {
    return this.say(incident, changes.escalationAcknowledged(by));
  }

  remindUpdate(incident: Incident, reminder: UpdateReminder): Promise<void> {
    const executiveChannel = this.policy().channels.executive;
    return this.say(incident, reminderMessage(incident, { ...reminder, executiveChannel }));
  }

  async postStatusUpdate(incident: Incident, update: StatusUpdate, kept: KeptInChannel): Promise<void> {
    const policy = this.policy();
    const message = statusUpdateMessage(templatesOf(policy), update);
    const note = kept && changes.keptNote(kept, 'status', policy.channels.status);
    // Durable: the update reaches its channels when Slack answers, even if it fails right now.
    if (incident.channelId)
      await this.workflow.postDurably(incident.id, note ? changes.withNote(message, note) : message);
    if (!kept) await this.workflow.postDurably(incident.id, message, policy.channels.status);
  }

  async postExecBrief(
    incident: Incident,
    brief: BriefPrefill & { at: Date },
    kept: KeptInChannel,
    by: string,
  ): Promise<void> {
    const policy = this.policy();
    const message = execBriefMessage(templatesOf(policy), brief);
    const executive = policy.channels.executive;
    if (kept) {
      const note = changes.keptNote(kept, 'brief', executive);
      if (incident.channelId) await this.workflow.postDurably(incident.id, changes.withNote(message, note));
      return;
    }
    await this.workflow.postDurably(incident.id, message, executive);
    if (incident.channelId)
      await this.workflow.postDurably(incident.id, changes.execBriefPosted(executive, by));
  }

  // ------------------------------------------------------------ diagnostics and the aftermath

  async announceDiagnosticsRunning(incident: Incident, checks: number): Promise<string | null> {
    if (!incident.channelId) return null;
    const message = diagnosticsRunningMessage(checks, incident.runbookId ?? '');
    return this.workflow.post(incident.channelId, message);
  }

  async showEvidence(incident: Incident, evidence: Evidence, by: string, replacing: string | null) {
    if (!incident.channelId) return;
    const message = evidenceMessage(incident.id, evidence, by);
    if (replacing) await this.workflow.update(incident.channelId, replacing, message);
    else await this.workflow.post(incident.channelId, message);
  }

  async announceRemediation(incident: Incident & { channelId: string }, result: RemediationResult) {
    await this.workflow.post(incident.channelId, remediationMessage(result));
  }

  async remindPostmortem(to: string, reminder: PostmortemReminder, late: string, dm: boolean) {
    await this.workflow.post(to, postmortemReminderMessage(reminder, late, dm));
  }

  async remindFollowup(reminder: FollowupReminder): Promise<void> {
    await this.workflow.post(reminder.followup.ownerId, followupReminderMessage(reminder));
  }

  async uploadPostmortem(incident: Incident & { channelId: string }, document: string, by: string) {
    await this.workflow.uploadFile(incident.channelId, {
      filename: `postmortem-incident-${incident.id}.md`,
      title: `Post-mortem draft: incident #${incident.id}`,
      content: document,
      comment: `Post-mortem draft from the timeline, requested by <@${by}>. Fill in the root cause, impact and prevention.`,
    });
  }

  announcePostmortemDone(incident: Incident, link: string): Promise<void> {
    return this.say(incident, postmortemDone(incident, link));
  }

  async announceFollowup(incident: Incident & { channelId: string }, followup: Followup): Promise<void> {
    await this.workflow.post(incident.channelId, followupAdded(followup));
  }

  /** One message when it fits Slack's limits (or no file can be attached), else the latest entries and a file. */
  async postTimeline(incident: Incident & { channelId: string }, entries: readonly TimelineEntry[]) {
    const inline = timelineInline(incident, entries);
    const latest = entries.slice(-TIMELINE_LATEST);
    if (inline || incident.inFallback) {
      const message = inline ?? timelineWithFile(incident, latest, entries.length, null);
      await this.workflow.post(incident.channelId, message);
      return;
    }
    const filename = `timeline-incident-${incident.id}.md`;
    await this.workflow.post(
      incident.channelId,
      timelineWithFile(incident, latest, entries.length, filename),
    );
    const lines = await renderInSlices(entries, 1_000, timelineFileLines);
    await this.workflow.uploadFile(incident.channelId, {
      filename,
      title: `Timeline of incident #${incident.id} (${entries.length} entries)`,
      content: `# Timeline of incident #${incident.id}\n\n${lines.join('\n')}\n`,
    });
  }

  // ------------------------------------------------------------ pages

  async postAlerts(incident: Incident, alerts: readonly NormalizedAlert[]): Promise<void> {
    if (incident.channelId) {
      await this.workflow.post(incident.channelId, alertEvidence(alerts));
      return;
    }
    // Slack is failing and the channel is not open yet: the evidence follows it, in order, durably.
    const key = alerts.map((a) => `${a.fingerprint}/${a.status}/${a.startsAt}`).join(',');
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 32);
    await this.workflow.postWhenOpen(incident.id, digest, alertEvidence(alerts));
  }

  announceStormJoined(incident: Incident, joined: readonly StormJoin[], total: number): Promise<void> {
    return this.say(incident, stormSummary(joined, total));
  }

  announceStillFiring(
    incident: Incident,
    alerts: readonly NormalizedAlert[],
    outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
  ): Promise<void> {
    return this.say(incident, stillFiringNotice(incident, alerts, outcome));
  }

  announceAlertsResolved(incident: Incident, commanderId: string): Promise<void> {
    return this.say(incident, alertsResolvedNotice(commanderId));
  }
}
