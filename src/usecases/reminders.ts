import type { Timer } from '../domain/timer.ts';
import type { Logger } from '../log.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface AftermathReminderDeps {
  postmortems: Pick<PostmortemService, 'reminders'>;
  chat: Pick<ChatPort, 'remindPostmortem' | 'remindFollowup'>;
  log: Logger;
}

/** What the aftermath's timers do: remind the post-mortem until it is done, and follow-ups past due. */
export class AftermathReminders {
  constructor(private readonly deps: AftermathReminderDeps) {}

  /**
   * A post-mortem reminder fired: to the commander (a DM) and the incident channel. One failed post does
   * not stop the other.
   */
  async postmortem(timer: Timer, late: string): Promise<void> {
    const reminder = await this.deps.postmortems.reminders.fire(timer);
    if (!reminder) return;
    const { incident } = reminder;
    const targets: { to: string; dm: boolean }[] = [];
    if (incident.commanderId) targets.push({ to: incident.commanderId, dm: true });
    if (incident.channelId) targets.push({ to: incident.channelId, dm: false });
    for (const { to, dm } of targets) {
      try {
        await this.deps.chat.remindPostmortem(to, reminder, late, dm);
      } catch (error) {
        this.deps.log.warn(
          { err: error, incident: incident.id, to },
          'could not send a post-mortem reminder',
        );
      }
    }
  }

  /** The daily follow-up check: each overdue item's owner gets a DM, recorded so it is sent once a day. */
  async followups(): Promise<void> {
    const { reminders } = this.deps.postmortems;
    for (const reminder of await reminders.followupsDue()) {
      try {
        await this.deps.chat.remindFollowup(reminder);
        await reminders.followupReminded(reminder.followup);
      } catch (error) {
        this.deps.log.warn(
          { err: error, followup: reminder.followup.id },
          'could not remind a follow-up owner; the next check tries again',
        );
      }
    }
  }
}
