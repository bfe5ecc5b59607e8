import { formatDuration } from '../../domain/duration.ts';
import type { FollowupReminder, PostmortemReminder } from '../../services/postmortemReminders.ts';
import { ACTIONS } from '../ids.ts';
import { button, context, type Message, section } from './kit.ts';
import { channel, escapeMrkdwn, slackDate, truncate } from './mrkdwn.ts';

const HOW_TO =
  '`/incident postmortem` drafts it from the timeline; `/incident postmortem done <link>` closes the incident and stops these reminders.';

/**
 * A post-mortem reminder, for the incident channel or (`dm`) the commander: due soon, due now, or overdue
 * by how much. A private incident's title stays out of it.
 */
export function postmortemReminderMessage(reminder: PostmortemReminder, late: string, dm: boolean): Message {
  const { incident, postmortem, overdueMs } = reminder;
  const title = incident.private ? '' : ` (${escapeMrkdwn(truncate(incident.title, 150))})`;
  const where = dm && incident.channelId ? ` in ${channel(incident.channelId)}` : '';
  const what = `the post-mortem of incident #${incident.id}${title}${where}`;
  const text =
    reminder.kind === 'soon'
      ? `📝 Reminder: ${what} is due ${slackDate(postmortem.dueAt)}, in ${formatDuration(-overdueMs)}.`
      : overdueMs >= 60_000
        ? `⏰ Overdue: ${what} was due ${slackDate(postmortem.dueAt)}; it is overdue by ${formatDuration(overdueMs)}.`
        : `⏰ Due now: ${what} is due ${slackDate(postmortem.dueAt)}.`;
  const plain =
    reminder.kind === 'soon'
      ? `Post-mortem of incident #${incident.id} due in ${formatDuration(-overdueMs)}`
      : overdueMs >= 60_000
        ? `Post-mortem of incident #${incident.id} overdue by ${formatDuration(overdueMs)}`
        : `Post-mortem of incident #${incident.id} due now`;
  const blocks = [section(text), context(`${HOW_TO}${escapeMrkdwn(late)}`)];
  return { text: plain, blocks };
}

/** An overdue follow-up, to its owner. */
export function followupReminderMessage(reminder: FollowupReminder): Message {
  const { followup, incident, today } = reminder;
  const days = Math.round((Date.parse(today) - Date.parse(followup.dueDate)) / 86_400_000);
  const where = incident?.channelId ? ` (${channel(incident.channelId)})` : '';
  const text = `⏰ Your follow-up from incident #${followup.incidentId}${where} is overdue by ${days} day${days === 1 ? '' : 's'} (due ${followup.dueDate}): ${escapeMrkdwn(truncate(followup.text, 1500))}`;
  return {
    text: `Follow-up from incident #${followup.incidentId} overdue by ${days} day${days === 1 ? '' : 's'}`,
    blocks: [
      {
        ...section(text),
        accessory: button({
          text: 'Done',
          actionId: ACTIONS.followupDone,
          value: String(followup.id),
          style: 'primary',
        }),
      },
      context('You get this once a working day until it is marked done.'),
    ],
  };
}
