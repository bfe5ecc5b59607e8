import type { ListenerDeps } from '../../slack/incidentFlows.ts';
import { repageTeam } from '../../slack/timerFlows.ts';
import type { TimerHandler } from '../scheduler.ts';
import { openIncident, payloadOf } from './context.ts';

/** No commander within the severity's response time: page the response team again. */
export function unclaimedHandler(deps: ListenerDeps): TimerHandler {
  return async (timer, firing) => {
    const incident = openIncident(deps, timer);
    if (!incident || incident.commanderId) return;
    await repageTeam(deps, incident, payloadOf(timer), firing.late);
  };
}
