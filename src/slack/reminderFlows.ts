import type { Timer } from '../domain/timer.ts';
import { followupReminderMessage, postmortemReminderMessage } from './blocks/reminders.ts';
import type { ListenerDeps } from './incidentFlows.ts';

/**
 * A post-mortem reminder fired: to the commander (a DM: chat.postMessage to the user ID) and the incident
 * channel. One failed post does not stop the other.
 */
export async function remindPostmortem(deps: ListenerDeps, timer: Timer, late: string): Promise<void> {
  const reminder = await deps.postmortems.reminders.fire(timer);
  if (!reminder) return;
  const { incident } = reminder;
  const targets: { to: string; dm: boolean }[] = [];
  if (incident.commanderId) targets.push({ to: incident.commanderId, dm: true });
  if (incident.channelId) targets.push({ to: incident.channelId, dm: false });
  for (const { to, dm } of targets) {
    try {
      await deps.workflow.post(to, postmortemReminderMessage(reminder, late, dm));
    } catch (error) {
      deps.log.warn({ err: error, incident: incident.id, to }, 'could not send a post-mortem reminder');
    }
  }
}

/** The daily follow-up check: each overdue item's owner gets a DM, recorded so it is sent once a day. */
export async function remindFollowups(deps: ListenerDeps): Promise<void> {
  for (const reminder of await deps.postmortems.reminders.followupsDue()) {
    try {
      await deps.workflow.post(reminder.followup.ownerId, followupReminderMessage(reminder));
      await deps.postmortems.reminders.followupReminded(reminder.followup);
    } catch (error) {
      deps.log.warn(
        { err: error, followup: reminder.followup.id },
        'could not remind a follow-up owner; the next check tries again',
      );
    }
  }
}
