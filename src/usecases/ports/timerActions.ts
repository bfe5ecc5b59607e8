import type { Incident } from '../../domain/incident.ts';
import type { Timer } from '../../domain/timer.ts';
import type { TimerPayload } from '../../domain/timerPlan.ts';

/**
 * What the scheduler's timers do, in the incident's terms. The scheduler depends on this and nothing of
 * Slack; `late` is the " (fired 12 min late)" note for a timer that fired after its due time.
 */
export interface TimerActions {
  /** The incident a timer is about, if it still needs the timer (resolving cancels timers). */
  openIncident(timer: Timer): Promise<Incident | null>;
  /** Whether someone acknowledged the escalation since `since`. */
  acknowledgedSince(incidentId: number, since: string): Promise<boolean>;
  /** No commander within the severity's response time: page the response team again. */
  repageTeam(incident: Incident, payload: TimerPayload, late: string): Promise<void>;
  /** escalate_after ran out (or nobody acknowledged within repeat_every): escalate. */
  escalate(incident: Incident, payload: TimerPayload, late: string): Promise<void>;
  /** A status update or executive brief is due. */
  remindUpdate(
    incident: Incident,
    timer: Timer,
    payload: TimerPayload,
    kind: 'status' | 'brief',
    late: string,
  ): Promise<void>;
  /** The post-mortem is due soon, due now or overdue. */
  remindPostmortem(timer: Timer, late: string): Promise<void>;
  /** The incident's channel is archived soon: say so in it. */
  announceArchive(incidentId: number): Promise<void>;
  /** Archive the incident's channel, now that the incident has long been over. */
  archiveChannel(incidentId: number): Promise<void>;
  /** The daily follow-up check. */
  remindFollowups(): Promise<void>;
}
