import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';
import { payloadOf } from './context.ts';

/** A status update or executive brief is due: remind the channel, again every cadence while overdue. */
export function reminderHandler(actions: TimerActions, kind: 'status' | 'brief'): TimerHandler {
  return async (timer, firing) => {
    const incident = await actions.openIncident(timer);
    if (!incident) return;
    await actions.remindUpdate(incident, timer, payloadOf(timer), kind, firing.late);
  };
}
