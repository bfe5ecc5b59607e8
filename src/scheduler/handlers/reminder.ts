import type { ListenerDeps } from '../../slack/incidentFlows.ts';
import { remindUpdate } from '../../slack/timerFlows.ts';
import type { TimerHandler } from '../scheduler.ts';
import { openIncident, payloadOf } from './context.ts';

/** A status update or executive brief is due: remind the channel, again every cadence while overdue. */
export function reminderHandler(deps: ListenerDeps, kind: 'status' | 'brief'): TimerHandler {
  return async (timer, firing) => {
    const incident = openIncident(deps, timer);
    if (!incident) return;
    await remindUpdate(deps, incident, timer, payloadOf(timer), kind, firing.late);
  };
}
