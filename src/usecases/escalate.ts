import type { Incident } from '../domain/incident.ts';
import type { TimerPayload } from '../domain/timerPlan.ts';
import type { Escalation, IncidentService } from '../services/incidentService.ts';
import { type RunbookSet, responseTeam } from '../services/runbookSet.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import { firingKey } from './durableKeys.ts';
import type { ChatPort } from './ports/chat.ts';

export interface EscalateInput {
  incidentId: number;
  /** Flagged conditions (data breach, user data, revenue impact) that add their own targets. */
  conditions: readonly string[];
  note: string | null;
  actor: string;
}

export interface EscalateDeps {
  incidents: Pick<IncidentService, 'escalate' | 'steps'>;
  chat: Pick<ChatPort, 'announceDrillEscalation' | 'callIn'>;
  now: () => Date;
}

/**
 * Escalating now (the Escalate modal, a diagnostics remediation): the flags and the escalation are on the
 * timeline, then the targets are called in. A drill names who would be called in and calls nobody.
 */
export class EscalateIncident {
  constructor(private readonly deps: EscalateDeps) {}

  async run(input: EscalateInput): Promise<Escalation> {
    const { incidents, chat, now } = this.deps;
    const escalation = await incidents.escalate({ ...input, note: input.note ?? '' });
    if (escalation.incident.drill) {
      await chat.announceDrillEscalation(escalation);
      return escalation;
    }
    // One reading of the steps and the clock for both briefs, so the two channels see the same picture.
    const steps = await incidents.steps(escalation.incident.id);
    await chat.callIn(escalation, steps, input.actor, now());
    return escalation;
  }
}

export interface EscalationTimerDeps {
  incidents: Pick<IncidentService, 'get' | 'steps'>;
  timekeeper: Pick<
    Timekeeper,
    'escalateByTimer' | 'scheduleRepeat' | 'recordRepage' | 'acknowledge' | 'acknowledgedSince' | 'isOpen'
  >;
  runbooks: () => Pick<RunbookSet, 'policy'>;
  chat: Pick<
    ChatPort,
    | 'repage'
    | 'announceDrillRepage'
    | 'announceDrillTimerEscalation'
    | 'callInByTimer'
    | 'announceAcknowledged'
  >;
  now: () => Date;
}

/**
 * What happens when an escalation timer fires (the severity's escalate_after, or a repeat nobody
 * acknowledged), when nobody took command in time, and when someone acknowledges. `late` is the
 * " (fired 12 min late)" note of a timer that fired after its due time. A drill keeps the timing of a
 * real incident but pages nobody.
 */
export class EscalationTimers {
  constructor(private readonly deps: EscalationTimerDeps) {}

  /** The incident a timer is about, if it still needs the timer (resolving cancels timers). */
  async openIncident(incidentId: number | null): Promise<Incident | null> {
    if (incidentId === null) return null;
    let incident: Incident;
    try {
      incident = await this.deps.incidents.get(incidentId);
    } catch {
      return null;
    }
    return this.deps.timekeeper.isOpen(incident) ? incident : null;
  }

  acknowledgedSince(incidentId: number, since: string): Promise<boolean> {
    return this.deps.timekeeper.acknowledgedSince(incidentId, since);
  }

  /**
   * The escalation is recorded first and its repeat planned (a Slack failure below must neither lose nor
   * repeat it); then the targets are invited and briefed in the incident's and the escalation channel.
   */
  async escalate(incident: Incident, payload: TimerPayload, late: string): Promise<void> {
    const { timekeeper, chat } = this.deps;
    const onceKey = firingKey('escalation');
    const escalation = await timekeeper.escalateByTimer({ incident, payload, late, onceKey });
    if (incident.drill) {
      await chat.announceDrillTimerEscalation(escalation, payload.reason, late);
      return;
    }
    await timekeeper.scheduleRepeat(incident, payload, escalation.recordedAt);
    const steps = await this.deps.incidents.steps(incident.id);
    const call = { reason: payload.reason, who: payload.who, round: payload.round, late };
    await chat.callInByTimer(escalation, steps, call, this.deps.now());
  }

  /** No commander within the response time: page the severity's team again, with a claim button. */
  async repage(incident: Incident, payload: TimerPayload, late: string): Promise<void> {
    if (incident.commanderId || !incident.channelId) return;
    const { timekeeper, chat } = this.deps;
    if (incident.drill) {
      await timekeeper.recordRepage(
        incident,
        `${payload.reason} (drill: nobody paged)`,
        late,
        firingKey('repage'),
      );
      await chat.announceDrillRepage(incident, payload.reason, late);
      return;
    }
    const team = responseTeam(this.deps.runbooks().policy, incident.severity);
    await timekeeper.recordRepage(incident, payload.reason, late, firingKey('repage'));
    await chat.repage(incident, team, payload.reason, late);
  }

  /**
   * The Acknowledge button: the repeats stop and who took it is recorded, then said in the incident's
   * channel unless that is where they clicked (`shownIn`: the message shows it there already).
   */
  async acknowledge(input: { incidentId: number; actor: string; shownIn: string | null }): Promise<void> {
    await this.deps.timekeeper.acknowledge(input);
    const incident = await this.deps.incidents.get(input.incidentId);
    if (incident.channelId && incident.channelId !== input.shownIn)
      await this.deps.chat.announceAcknowledged(incident, input.actor);
  }
}
