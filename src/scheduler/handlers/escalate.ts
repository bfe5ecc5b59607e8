import type { ListenerDeps } from '../../slack/incidentFlows.ts';
import { escalateOnTimer } from '../../slack/timerFlows.ts';
import type { TimerHandler } from '../scheduler.ts';
import { openIncident, payloadOf } from './context.ts';

/** The severity's escalate_after, or the runbook's own escalation delay, ran out: escalate. */
export function escalateHandler(deps: ListenerDeps): TimerHandler {
  return async (timer, firing) => {
    const incident = openIncident(deps, timer);
    if (!incident) return;
    await escalateOnTimer(deps, incident, payloadOf(timer), firing.late);
  };
}

/** Nobody acknowledged the escalation within repeat_every: escalate again, unless someone just did. */
export function escalateRepeatHandler(deps: ListenerDeps): TimerHandler {
  return async (timer, firing) => {
    const incident = openIncident(deps, timer);
    if (!incident || deps.timekeeper.acknowledgedSince(incident.id, timer.createdAt)) return;
    await escalateOnTimer(deps, incident, payloadOf(timer), firing.late);
  };
}
