import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';
import { payloadOf } from './context.ts';

/** The severity's escalate_after, or the runbook's own escalation delay, ran out: escalate. */
export function escalateHandler(actions: TimerActions): TimerHandler {
  return async (timer, firing) => {
    const incident = await actions.openIncident(timer);
    if (!incident) return;
    await actions.escalate(incident, payloadOf(timer), firing.late);
  };
}

/** Nobody acknowledged the escalation within repeat_every: escalate again, unless someone just did. */
export function escalateRepeatHandler(actions: TimerActions): TimerHandler {
  return async (timer, firing) => {
    const incident = await actions.openIncident(timer);
    if (!incident || (await actions.acknowledgedSince(incident.id, timer.createdAt))) return;
    await actions.escalate(incident, payloadOf(timer), firing.late);
  };
}
