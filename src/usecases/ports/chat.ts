// The chat port: what the use cases tell the responders, in the incident's terms. slack/ implements it
// (rendering with its pure Block Kit builders, posting through its durable workflow); a use case never
// sees a Slack message.

import type { Incident } from '../../domain/incident.ts';
import type { Postmortem } from '../../domain/records.ts';
import type { IncidentStep } from '../../domain/steps.ts';
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
  /** The post-mortem is due: the commander is told when and how to draft and close it. */
  announcePostmortemScheduled(incident: Incident, postmortem: Postmortem): Promise<void>;
  /** A drill's escalation: who would be called in, in its channel only (no mentions, no invites). */
  announceDrillEscalation(escalation: Escalation): Promise<void>;
  /**
   * Calls the escalation's targets in: pages them where the policy says, invites them to the channel, and
   * briefs the channel and the escalation channel (durably: a Slack outage delays it, never loses it).
   */
  callIn(escalation: Escalation, steps: readonly IncidentStep[], actor: string, now: Date): Promise<void>;
  /** The end of a drill: time per step and where the runbook was unclear. */
  announceDrillReport(incident: Incident, report: DrillReport): Promise<void>;
}
