import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';
import { payloadOf } from './context.ts';

/** No commander within the severity's response time: page the response team again. */
export function unclaimedHandler(actions: TimerActions): TimerHandler {
  return async (timer, firing) => {
    const incident = await actions.openIncident(timer);
    if (!incident || incident.commanderId) return;
    await actions.repageTeam(incident, payloadOf(timer), firing.late);
  };
}
