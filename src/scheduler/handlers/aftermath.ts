import { REMINDER_KIND } from '../../services/postmortemReminders.ts';
import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';

/** The post-mortem is due soon, due now or overdue: remind the commander and the channel. */
export function postmortemHandler(actions: TimerActions): TimerHandler {
  return (timer, firing) => actions.remindPostmortem(timer, firing.late);
}

/** The daily follow-up check (a global timer that plans its successor). */
export function followupsHandler(actions: TimerActions): TimerHandler {
  return () => actions.remindFollowups();
}

export function aftermathHandlers(actions: TimerActions): Record<string, TimerHandler> {
  return {
    [REMINDER_KIND.postmortemReminder]: postmortemHandler(actions),
    [REMINDER_KIND.postmortemOverdue]: postmortemHandler(actions),
    [REMINDER_KIND.followupsCheck]: followupsHandler(actions),
  };
}
