// The chat port: what the use cases tell the responders, in the incident's terms. slack/ implements it
// (rendering with its pure Block Kit builders, posting through its durable workflow); a use case never
// sees a Slack message.

import type { NormalizedAlert } from '../../domain/alert.ts';
import type { Incident } from '../../domain/incident.ts';
import type { WorkingStatus } from '../../domain/incidentState.ts';
import type { Followup, Postmortem } from '../../domain/records.ts';
import type { Severity } from '../../domain/severity.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import type { TimelineEntry } from '../../domain/timeline.ts';
import type { BriefPrefill, KeptInChannel, UpdatePrefill } from '../../domain/updates.ts';
import type { Evidence } from '../../services/diagnosticsService.ts';
import type { TimeChange } from '../../services/milestoneService.ts';
import type { Declared, Escalation } from '../../services/outcomes.ts';
import type { FollowupReminder, PostmortemReminder } from '../../services/postmortemReminders.ts';
import type { DrillReport } from '../../services/postmortemService.ts';
import type { JumpTaken, PhaseChoice } from '../../services/stepChoices.ts';
import type { StormJoin } from './pages.ts';

/** Where the declarer hears that the incident is open: the command's response_url, or an ephemeral. */
export type DeclarerReply =
  | { via: 'response_url'; url: string; user: string; lead: string }
  | { via: 'ephemeral'; channel: string; user: string; lead: string };

/** Why a timer escalated: its reason, whom the runbook says to contact, which repeat, how late it fired. */
export interface TimerCall {
  reason: string;
  who: string | null;
  round: number;
  late: string;
}

/** A status-page update as it is posted: the form's fields, when, and the service the page names. */
export interface StatusUpdate extends UpdatePrefill {
  at: Date;
  service: string;
}

/** What an automated remediation did, and who ran (and approved) it. */
export interface RemediationResult {
  title: string;
  ok: boolean;
  summary: string;
  output: string;
  by: string;
  approvedBy: string | null;
}

/** A due (or overdue) update or brief, as the reminder says it. */
export interface UpdateReminder {
  kind: 'status' | 'brief';
  dueAt: string;
  now: Date;
  late: string;
  round: number;
  cap: number;
}

export interface ChatPort extends ChangesChat, TimersChat, AftermathChat, PagesChat {
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
  /** A jump in the runbook ("go to step N"): said in the channel, with the steps it skipped. */
  announceJump(incident: Incident, jump: JumpTaken, by: string): Promise<void>;
  /** The "which procedure applies?" question (message `prompt`) shows the answer and who gave it. */
  showPhaseChosen(incident: Incident, prompt: string, choice: PhaseChoice, by: string): Promise<void>;
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

/** Changes to the incident itself: status, severity, commander, and who is in its channel. */
export interface ChangesChat {
  /** Invites people (and user groups' members) to the incident's channel, durably. */
  invite(incident: Incident, users: readonly string[], groups: readonly string[]): Promise<void>;
  /** Steps the resolve made read-only get their checkboxes and buttons back (durably), after a reopen. */
  showLive(incident: Incident, steps: readonly IncidentStep[], occasion: string): Promise<void>;
  /** The header shows the new status, and the channel is told who set it and why. */
  announceStatus(
    incident: Incident,
    change: { status: WorkingStatus; by: string; note: string | null },
  ): Promise<void>;
  announceSeverity(incident: Incident, change: { severity: Severity; by: string }): Promise<void>;
  announceCommander(incident: Incident, change: { userId: string; by: string }): Promise<void>;
}

/** What the timers and the update forms say. */
export interface TimersChat {
  /** No commander in time: the response team is paged again in the channel, with a claim button. */
  repage(
    incident: Incident,
    team: { users: string[]; groups: string[] },
    reason: string,
    late: string,
  ): Promise<void>;
  /** A drill's repage: said in its channel, nobody paged. */
  announceDrillRepage(incident: Incident, reason: string, late: string): Promise<void>;
  /** A drill's timer escalation: who would be called in and why the timer fired, in its channel only. */
  announceDrillTimerEscalation(escalation: Escalation, reason: string, late: string): Promise<void>;
  /**
   * A timer's escalation: the targets are called in as by `callIn`, the briefs saying why the timer fired
   * and carrying the Acknowledge button that stops the repeats.
   */
  callInByTimer(
    escalation: Escalation,
    steps: readonly IncidentStep[],
    call: TimerCall,
    now: Date,
  ): Promise<void>;
  /** Someone took the escalation: said in the incident's channel (unless they clicked there). */
  announceAcknowledged(incident: Incident, by: string): Promise<void>;
  /** An update or brief is due: the channel is reminded, with a button to the prefilled form. */
  remindUpdate(incident: Incident, reminder: UpdateReminder): Promise<void>;
  /** The status-page update, in the incident's channel and (unless kept in it) the status channel. */
  postStatusUpdate(incident: Incident, update: StatusUpdate, kept: KeptInChannel): Promise<void>;
  /** The executive brief, in the executive channel (unless kept in the incident's), said in the incident's. */
  postExecBrief(
    incident: Incident,
    brief: BriefPrefill & { at: Date },
    kept: KeptInChannel,
    by: string,
  ): Promise<void>;
}

/** Diagnostics, the post-mortem, follow-ups and the timeline. */
export interface AftermathChat {
  /** A "running N checks" note in the channel; its reference, for the evidence to replace, or null. */
  announceDiagnosticsRunning(incident: Incident, checks: number): Promise<string | null>;
  /** The evidence, in place of the running note when there is one. */
  showEvidence(incident: Incident, evidence: Evidence, by: string, replacing: string | null): Promise<void>;
  /** An automated remediation's result, in the incident's channel for everyone. */
  announceRemediation(incident: Incident & { channelId: string }, result: RemediationResult): Promise<void>;
  /** A post-mortem reminder, to the commander's DM (`dm`) or the incident's channel (`to`). */
  remindPostmortem(to: string, reminder: PostmortemReminder, late: string, dm: boolean): Promise<void>;
  /** An overdue follow-up's owner is reminded in a DM. */
  remindFollowup(reminder: FollowupReminder): Promise<void>;
  /** The post-mortem draft, as a file in the incident's channel. */
  uploadPostmortem(incident: Incident & { channelId: string }, document: string, by: string): Promise<void>;
  announcePostmortemDone(incident: Incident, link: string): Promise<void>;
  announceFollowup(incident: Incident & { channelId: string }, followup: Followup): Promise<void>;
  /** The timeline in the incident's channel: one message when it fits, else the latest entries and a file. */
  postTimeline(incident: Incident & { channelId: string }, entries: readonly TimelineEntry[]): Promise<void>;
}

/** What a page shows in the incident's channel. */
export interface PagesChat {
  /** The alerts as evidence in the channel, or (the channel not open yet) durably once it opens. */
  postAlerts(incident: Incident, alerts: readonly NormalizedAlert[]): Promise<void>;
  /** Which alert groups joined the storm incident since the last summary. */
  announceStormJoined(incident: Incident, joined: readonly StormJoin[], total: number): Promise<void>;
  /** A resolved incident's alerts still fire, and what the policy did about it. */
  announceStillFiring(
    incident: Incident,
    alerts: readonly NormalizedAlert[],
    outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
  ): Promise<void>;
  /** All alerts resolved: the commander decides whether to resolve. */
  announceAlertsResolved(incident: Incident, commanderId: string): Promise<void>;
}
