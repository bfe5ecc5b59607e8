// The chat port: what the use cases tell the responders, in the incident's terms. slack/ implements it
// (rendering with its pure Block Kit builders, posting through its durable workflow); a use case never
// sees a Slack message.

import type { Incident } from '../../domain/incident.ts';
import type { Postmortem } from '../../domain/records.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import type { TimeChange } from '../../services/milestoneService.ts';
import type { Declared, Escalation } from '../../services/outcomes.ts';
import type { DrillReport } from '../../services/postmortemService.ts';

/** Where the declarer hears that the incident is open: the command's response_url, or an ephemeral. */
export type DeclarerReply =
  | { via: 'response_url'; url: string; user: string; lead: string }
  | { via: 'ephemeral'; channel: string; user: string; lead: string };

export interface ChatPort {
  /** Opens the declared incident's channel (durably) and tells the declarer where it is; the incident as opened. */
  open(declared: Declared, reply: DeclarerReply | null): Promise<Incident>;
  /** Queues the opening of the incident's channel (durably); resolves to how many steps were newly queued. */
  queueOpen(incident: Incident): Promise<number>;
  /** The pinned header shows the incident as it is now (status, severity, commander, buttons). */
  refreshHeader(incidentId: number): Promise<void>;
  /** Redraws a step's message from the step as it is now (ticks, state, chosen option). */
  showStep(incident: Incident, step: IncidentStep): Promise<void>;
  /** A step of the checklist, with its commands and checkboxes, in the incident's channel. */
  postStep(incident: Incident, step: IncidentStep): Promise<void>;
  /** The incident is resolved: said in its channel, with the note given. */
  announceResolved(incident: Incident, note: string | null): Promise<void>;
  /**
   * The steps worked before the resolve are shown read-only (what became of each, who resolved and when),
   * durably: a Slack outage delays the redraw, never loses it.
   */
  showReadOnly(incident: Incident, steps: readonly IncidentStep[]): Promise<void>;
  /** The post-mortem is due: the commander is told when and how to draft and close it. */
  announcePostmortemScheduled(incident: Incident, postmortem: Postmortem): Promise<void>;
  /** A drill's escalation: who would be called in, in its channel only (no mentions, no invites). */
  announceDrillEscalation(escalation: Escalation): Promise<void>;
  /**
   * Calls the escalation's targets in: pages them where the policy says, invites them to the channel, and
   * briefs the channel and the escalation channel (durably: a Slack outage delays it, never loses it).
   */
  callIn(escalation: Escalation, steps: readonly IncidentStep[], actor: string, now: Date): Promise<void>;
  /** The channel will be archived at `at`: said in it first, so nobody is surprised. */
  announceArchive(incident: Incident, at: Date): Promise<void>;
  /** Archives the incident's channel (durably); a channel already archived or left is recorded, not retried. */
  archiveChannel(incident: Incident): Promise<void>;
  /** The runbook changed mid-incident: who switched, from what to what, how many old steps were skipped. */
  announceRunbookSwitched(
    incident: Incident,
    change: { from: string | null; to: { id: string; title: string }; by: string; skipped: number },
  ): Promise<void>;
  /** A step was handed to someone: they are pinged, and their App Home lists it. */
  tellAssignee(incident: Incident, step: IncidentStep, by: string): Promise<void>;
  /** Structured times were corrected: which, to what, from what, by whom. */
  announceTimesChanged(incident: Incident, changes: readonly TimeChange[], by: string): Promise<void>;
  /** The end of a drill: time per step and where the runbook was unclear. */
  announceDrillReport(incident: Incident, report: DrillReport): Promise<void>;
}
