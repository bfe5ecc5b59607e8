import type { Incident } from '../domain/incident.ts';
import type { Postmortem } from '../domain/records.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { TimeChange } from '../services/milestoneService.ts';
import type { Declared, Escalation } from '../services/outcomes.ts';
import type { DrillReport } from '../services/postmortemService.ts';
import type { ChatPort, DeclarerReply } from '../usecases/ports/chat.ts';
import { drillReportMessage, postmortemScheduled } from './blocks/aftermath.ts';
import { archiveNoticeMessage } from './blocks/archive.ts';
import { runbookSwitchedMessage, stepAssignedMessage } from './blocks/course.ts';
import { drillEscalationNotice, escalationBrief } from './blocks/escalation.ts';
import { resolvedMessage } from './blocks/replies.ts';
import { timesChangedMessage } from './blocks/times.ts';
import type { IncidentWorkflow } from './workflow.ts';

/** The chat port in Slack: each announcement rendered by a pure builder and posted through the workflow. */
export class SlackChat implements ChatPort {
  constructor(
    private readonly workflow: IncidentWorkflow,
    /** Where every escalation is briefed besides the incident's channel (policy.yml `channels.escalation`). */
    private readonly escalationChannel: () => string,
    /** Publishes a person's App Home tab, so a step assigned to them is listed at once. */
    private readonly home: { opened(userId: string): Promise<void> } | null = null,
  ) {}

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

  async announceResolved(incident: Incident, note: string | null): Promise<void> {
    if (incident.channelId) await this.workflow.post(incident.channelId, resolvedMessage(incident, note));
  }

  async showReadOnly(incident: Incident, steps: readonly IncidentStep[]): Promise<void> {
    await this.workflow.redrawDurably(incident.id, steps, incident.resolvedAt ?? incident.status);
  }

  async announcePostmortemScheduled(incident: Incident, postmortem: Postmortem): Promise<void> {
    if (incident.channelId)
      await this.workflow.post(incident.channelId, postmortemScheduled(postmortem, incident.commanderId));
  }

  async announceDrillEscalation(escalation: Escalation): Promise<void> {
    const { incident } = escalation;
    if (incident.channelId) await this.workflow.post(incident.channelId, drillEscalationNotice(escalation));
  }

  async callIn(
    escalation: Escalation,
    steps: readonly IncidentStep[],
    actor: string,
    now: Date,
  ): Promise<void> {
    const { incident, targets } = escalation;
    await this.workflow.escalated?.(incident.id);
    const users = targets.flatMap((t) => t.users);
    const groups = targets.flatMap((t) => t.groups);
    if (incident.channelId && !incident.inFallback)
      await this.workflow.inviteDurably(incident, users, groups);
    if (incident.channelId)
      await this.workflow.postDurably(incident.id, escalationBrief(escalation, [...steps], actor, now));
    await this.workflow.postDurably(
      incident.id,
      escalationBrief(escalation, [...steps], actor, now, incident.channelId),
      this.escalationChannel(),
    );
  }

  async announceArchive(incident: Incident, at: Date): Promise<void> {
    if (incident.channelId) await this.workflow.postDurably(incident.id, archiveNoticeMessage(incident, at));
  }

  archiveChannel(incident: Incident): Promise<void> {
    return this.workflow.archiveDurably(incident.id);
  }

  async announceRunbookSwitched(
    incident: Incident,
    change: { from: string | null; to: { id: string; title: string }; by: string; skipped: number },
  ): Promise<void> {
    if (incident.channelId) await this.workflow.post(incident.channelId, runbookSwitchedMessage(change));
  }

  async tellAssignee(incident: Incident, step: IncidentStep, by: string): Promise<void> {
    if (!step.assigneeId) return;
    // In the channel, so whoever is not a member yet is added to do the step.
    await this.workflow.inviteDurably(incident, [step.assigneeId], []);
    if (incident.channelId) await this.workflow.post(incident.channelId, stepAssignedMessage(step, by));
    await this.home?.opened(step.assigneeId);
  }

  async announceTimesChanged(incident: Incident, changes: readonly TimeChange[], by: string): Promise<void> {
    if (incident.channelId) await this.workflow.post(incident.channelId, timesChangedMessage(changes, by));
  }

  async announceDrillReport(incident: Incident, report: DrillReport): Promise<void> {
    if (incident.channelId) await this.workflow.post(incident.channelId, drillReportMessage(report));
  }
}
