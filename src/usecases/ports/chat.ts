// The chat port: what the use cases tell the responders, in the incident's terms. slack/ implements it
// (rendering with its pure Block Kit builders, posting through its durable workflow); a use case never
// sees a Slack message.

import type { Incident } from '../../domain/incident.ts';
import type { Postmortem } from '../../domain/records.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import type { TimeChange } from '../../services/milestoneService.ts';
import type { DrillReport } from '../../services/postmortemService.ts';

export interface ChatPort {
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
