import { REMINDER_KIND } from '../../services/postmortemReminders.ts';
import type { ListenerDeps } from '../../slack/incidentFlows.ts';
import { remindFollowups, remindPostmortem } from '../../slack/reminderFlows.ts';
import type { TimerHandler } from '../scheduler.ts';

/** The post-mortem is due soon, due now or overdue: remind the commander and the channel. */
export function postmortemHandler(deps: ListenerDeps): TimerHandler {
  return (timer, firing) => remindPostmortem(deps, timer, firing.late);
}

/** The daily follow-up check (a global timer that plans its successor). */
export function followupsHandler(deps: ListenerDeps): TimerHandler {
  return () => remindFollowups(deps);
}

export function aftermathHandlers(deps: ListenerDeps): Record<string, TimerHandler> {
  return {
    [REMINDER_KIND.postmortemReminder]: postmortemHandler(deps),
    [REMINDER_KIND.postmortemOverdue]: postmortemHandler(deps),
    [REMINDER_KIND.followupsCheck]: followupsHandler(deps),
  };
}
